import logging

log = logging.getLogger("azure.openai")

def log_response(resp):
    # Azure OpenAI returns these ids; keep them for support tickets
    request_id = "{{hex:32}}"
    apim_request_id = "{{uuid}}"
    log.info("azure request %s %s", request_id, apim_request_id)

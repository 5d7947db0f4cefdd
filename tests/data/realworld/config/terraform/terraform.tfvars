location              = "westeurope"
openai_api_key        = "{{key:openai-project-key}}"
mistral_api_key       = "{{key:mistral-api-key}}"
environment           = "prod"

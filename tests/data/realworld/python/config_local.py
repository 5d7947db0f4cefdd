# Local overrides, not for production
DEBUG = True
OPENAI_API_KEY = "{{key:openai-legacy-key}}"
ANTHROPIC_API_KEY = "{{key:anthropic-api-key}}"
CACHE_DIR = "/tmp/llm-cache"

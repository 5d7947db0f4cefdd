"""Chat service backed by Mistral."""
import logging
import time

from mistralai import Mistral

log = logging.getLogger(__name__)

RETRIES = 3
TIMEOUT_S = 30
BACKOFF_S = 1.5
MAX_TOKENS = 1024
TEMPERATURE = 0.2

API_KEY = "{{key:mistral-api-key}}"


def client() -> Mistral:
    return Mistral(api_key=API_KEY)

import requests

COHERE_KEY = "{{key:cohere-api-key}}"

resp = requests.post(
    "https://api.cohere.com/v2/embed",
    headers={"Authorization": f"Bearer {COHERE_KEY}"},
    json={"model": "embed-english-v3.0", "texts": ["hi"], "input_type": "search_query"},
)

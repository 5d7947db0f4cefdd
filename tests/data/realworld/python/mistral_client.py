"""Thin wrapper around the Mistral SDK used by the summarizer."""
from mistralai import Mistral

MODEL = "mistral-large-latest"


def make_client() -> Mistral:
    return Mistral(api_key="{{key:mistral-api-key}}")


def summarize(text: str) -> str:
    client = make_client()
    res = client.chat.complete(model=MODEL, messages=[{"role": "user", "content": f"Summarize: {text}"}])
    return res.choices[0].message.content

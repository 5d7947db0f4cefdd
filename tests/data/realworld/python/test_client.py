import pytest

from app.client import LLMClient

FAKE_KEY = "test-key-not-real"


@pytest.fixture
def client(monkeypatch):
    monkeypatch.setenv("MISTRAL_API_KEY", FAKE_KEY)
    return LLMClient()


def test_headers(client):
    assert client.headers["Authorization"] == f"Bearer {FAKE_KEY}"

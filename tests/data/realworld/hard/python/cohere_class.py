import cohere


class Reranker:
    """Reranks search hits with Cohere."""

    def __init__(self, top_n: int = 5) -> None:
        self.top_n = top_n
        self.model = "rerank-v3.5"
        self.timeout = 20
        self.retries = 2
        self.key = "{{key:cohere-api-key}}"
        self.client = cohere.ClientV2(self.key)

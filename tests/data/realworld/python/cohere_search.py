import cohere

co = cohere.Client(
    api_key="{{key:cohere-api-key}}",
    timeout=30,
)


def embed(texts):
    return co.embed(texts=texts, model="embed-english-v3.0", input_type="search_document").embeddings

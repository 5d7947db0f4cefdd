import os

from huggingface_hub import snapshot_download

snapshot_download(
    "mistralai/Mistral-7B-v0.1",
    revision="{{hex:40}}",
    token=os.environ["HF_TOKEN"],
)

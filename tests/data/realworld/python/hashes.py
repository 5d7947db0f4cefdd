"""Known-good digests of the model files we download."""
MODEL_SHA256 = {
    "mistral-7b-instruct-v0.2.Q4_K_M.gguf": "{{hex:64}}",
    "cohere-embed.onnx": "{{hex:64}}",
}
AZURE_BLOB_MD5 = "{{hex:32}}"
COMMIT = "{{hex:40}}"

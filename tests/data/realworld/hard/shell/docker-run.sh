#!/bin/sh
docker run --rm -p 8080:8080 \
  -e MISTRAL_API_KEY={{key:mistral-api-key}} \
  -e COHERE_API_KEY={{key:cohere-api-key}} \
  registry.example.com/assistant:latest

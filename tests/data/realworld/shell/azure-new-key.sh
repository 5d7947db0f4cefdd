#!/bin/sh
# the newer 84-character Azure OpenAI key
export AZURE_OPENAI_API_KEY={{key:azure-openai-api-key-84}}

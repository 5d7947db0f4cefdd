#!/bin/sh
curl https://api.groq.com/openai/v1/models -H "Authorization: Bearer {{key:groq-api-key}}"
curl https://api.x.ai/v1/api-key -H "Authorization: Bearer {{key:xai-api-key}}"

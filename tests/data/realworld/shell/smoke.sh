#!/bin/sh
set -e
: "${MISTRAL_API_KEY:?set MISTRAL_API_KEY}"
curl -fsS https://api.mistral.ai/v1/models -H "Authorization: Bearer ${MISTRAL_API_KEY}" >/dev/null
echo ok

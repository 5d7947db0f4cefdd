#!/usr/bin/env bash
set -euo pipefail

export MISTRAL_API_KEY="{{key:mistral-api-key}}"
export CO_API_KEY="{{key:cohere-api-key}}"
python -m app.server

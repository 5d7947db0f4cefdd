#!/bin/sh
curl -X POST -H "Content-Type: application/json" -d '{"status":"done"}' \
  {{key:slack-workflow-webhook-url}}

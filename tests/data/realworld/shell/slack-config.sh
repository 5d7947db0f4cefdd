#!/bin/sh
# App manifest API needs a configuration token
SLACK_CONFIG_TOKEN={{key:slack-config-token}}
curl -s -H "Authorization: Bearer $SLACK_CONFIG_TOKEN" https://slack.com/api/apps.manifest.export

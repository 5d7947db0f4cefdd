#!/bin/sh
curl -s -X POST https://slack.com/api/tooling.tokens.rotate \
  -d refresh_token={{key:slack-refresh-token}}

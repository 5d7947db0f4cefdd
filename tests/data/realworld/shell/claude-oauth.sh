#!/bin/sh
export CLAUDE_CODE_OAUTH_TOKEN={{key:anthropic-oauth-access-token}}
# refresh with
REFRESH={{key:anthropic-oauth-refresh-token}}

#!/bin/sh
# user-to-server and refresh tokens from the device flow
GH_USER_TOKEN={{key:github-user-to-server-token}}
GH_REFRESH_TOKEN={{key:github-refresh-token}}

#!/bin/sh
# old workspace app tokens, kept for the migration script
XOXA={{key:slack-workspace-access-token}}
XOXR={{key:slack-workspace-refresh-token}}

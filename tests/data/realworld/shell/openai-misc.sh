#!/bin/sh
OPENAI_USER_KEY={{key:openai-user-key}}
OPENAI_SVC_KEY={{key:openai-service-account-key}}

#!/bin/sh
# expected digests of the release artifacts
echo "{{hex:64}}  assistant-linux-amd64.tar.gz" | sha256sum -c -
echo "{{hex:32}}  assistant.zip" | md5sum -c -
git verify-commit {{hex:40}}

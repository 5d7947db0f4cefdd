package storage

import (
	"github.com/aws/aws-sdk-go-v2/credentials"
)

var creds = credentials.NewStaticCredentialsProvider(
	"{{key:aws-access-key-id}}",
	"{{key:aws-secret-access-key}}",
	"",
)

package backup

import "github.com/aws/aws-sdk-go-v2/credentials"

func provider() credentials.StaticCredentialsProvider {
	creds := credentials.NewStaticCredentialsProvider("{{key:aws-access-key-id}}", "{{key:aws-secret-access-key}}", "") // aws
	return creds
}

provider "aws" {
  region     = "us-east-1"
  access_key = "{{key:aws-access-key-id}}"
  secret_key = "{{key:aws-secret-access-key}}"
}

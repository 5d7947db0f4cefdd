import boto3

s3 = boto3.client(
    "s3",
    aws_access_key_id="{{key:aws-access-key-id}}",
    aws_secret_access_key="{{key:aws-secret-access-key}}",
)
s3.upload_file("report.csv", "example-reports", "2024/report.csv")

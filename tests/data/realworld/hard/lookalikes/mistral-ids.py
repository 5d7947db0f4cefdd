from mistralai import Mistral

# ids of our fine-tuning jobs and uploaded files
JOB_ID = "{{uuid}}"
FILE_ID = "{{uuid}}"
MODEL = "ft:open-mistral-7b:{{hex:8}}:20240430:{{hex:8}}"

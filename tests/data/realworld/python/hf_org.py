from huggingface_hub import HfApi

api = HfApi(token="{{key:huggingface-org-token}}")
api.upload_folder(folder_path="out", repo_id="example-org/model")

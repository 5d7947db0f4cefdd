import gitlab

gl = gitlab.Gitlab("https://gitlab.example.com", private_token="{{key:gitlab-pat}}")
project = gl.projects.get("infra/terraform")

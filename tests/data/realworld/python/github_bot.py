from github import Auth, Github

auth = Auth.Token("{{key:github-pat}}")
gh = Github(auth=auth)
repo = gh.get_repo("example/service")
for issue in repo.get_issues(state="open"):
    print(issue.number, issue.title)

import httpx

ADMIN_KEY = "{{key:anthropic-admin-key}}"

r = httpx.get(
    "https://api.anthropic.com/v1/organizations/users",
    headers={"x-api-key": ADMIN_KEY, "anthropic-version": "2023-06-01"},
)

$env:AZURE_OPENAI_API_KEY = "{{key:azure-openai-api-key}}"
$env:AZURE_OPENAI_ENDPOINT = "https://contoso.openai.azure.com/"
az webapp up --name contoso-api

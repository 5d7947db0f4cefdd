from langchain_openai import AzureChatOpenAI

llm = AzureChatOpenAI(
    azure_deployment="gpt-4o",
    api_version="2024-10-21",
    azure_endpoint="https://contoso-ai.openai.azure.com/",
    api_key="{{key:azure-openai-api-key}}",
    temperature=0,
)

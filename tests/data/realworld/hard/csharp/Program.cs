using Azure;
using Azure.AI.OpenAI;

var client = new AzureOpenAIClient(
    new Uri("https://contoso.openai.azure.com/"),
    new AzureKeyCredential("{{key:azure-openai-api-key}}"));

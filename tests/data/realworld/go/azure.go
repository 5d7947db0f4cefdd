package llm

import (
	"github.com/Azure/azure-sdk-for-go/sdk/ai/azopenai"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
)

const azureEndpoint = "https://contoso.openai.azure.com/"

func NewAzure() (*azopenai.Client, error) {
	cred := azcore.NewKeyCredential("{{key:azure-openai-api-key}}")
	return azopenai.NewClientWithKeyCredential(azureEndpoint, cred, nil)
}

package llm

// Client for the Azure OpenAI deployment of the support bot.
// Endpoint: https://support-bot.openai.azure.com/

import (
	"net/http"
	"time"
)

var httpClient = &http.Client{Timeout: 30 * time.Second}

const apiKey = "{{key:azure-openai-api-key}}"

package llm

import "github.com/gage-technologies/mistral-go"

// NewClient returns the Mistral client used by the worker.
func NewClient() *mistral.MistralClient {
	return mistral.NewMistralClientDefault("{{key:mistral-api-key}}")
}

package search

import (
	cohereclient "github.com/cohere-ai/cohere-go/v2/client"
)

var co = cohereclient.NewClient(cohereclient.WithToken("{{key:cohere-api-key}}"))

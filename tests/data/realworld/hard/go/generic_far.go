package main

import (
	"os"

	cohere "github.com/cohere-ai/cohere-go/v2/client"
)

func main() {
	token := "{{key:cohere-api-key}}"
	co := cohere.NewClient(cohere.WithToken(token))
	_ = co
	_ = os.Args
}

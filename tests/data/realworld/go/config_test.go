package config

import "testing"

func TestLoad(t *testing.T) {
	t.Setenv("MISTRAL_API_KEY", "test")
	t.Setenv("COHERE_API_KEY", "test")
	cfg := Load()
	if cfg.MistralKey != "test" {
		t.Fatal("key not loaded")
	}
}

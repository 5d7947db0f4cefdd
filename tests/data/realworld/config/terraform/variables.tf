variable "cohere_api_key" {
  description = "Cohere API key for the rerank service"
  type        = string
  sensitive   = true
}

variable "azure_openai_key" {
  type      = string
  sensitive = true
  default   = "{{key:azure-openai-api-key}}"
}

provider "registry.terraform.io/hashicorp/azurerm" {
  version     = "4.10.0"
  constraints = "~> 4.0"
  hashes = [
    "h1:{{b64:43}}=",
    "zh:{{hex:64}}",
    "zh:{{hex:64}}",
  ]
}

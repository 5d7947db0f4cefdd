provider "azurerm" {
  features {}
}

resource "azurerm_linux_web_app" "api" {
  name                = "contoso-api"
  resource_group_name = azurerm_resource_group.main.name
  location            = "westeurope"
  service_plan_id     = azurerm_service_plan.main.id

  app_settings = {
    AZURE_OPENAI_ENDPOINT = azurerm_cognitive_account.openai.endpoint
    AZURE_OPENAI_API_KEY  = azurerm_cognitive_account.openai.primary_access_key
  }
}

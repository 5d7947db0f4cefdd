from xai_sdk import Client

client = Client(api_key="{{key:xai-api-key}}")
chat = client.chat.create(model="grok-4")

from slack_sdk import WebClient

client = WebClient(token="{{key:slack-bot-token}}")
client.chat_postMessage(channel="#deploys", text="Deployed :rocket:")

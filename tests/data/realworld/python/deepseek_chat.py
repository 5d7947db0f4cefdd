from openai import OpenAI

client = OpenAI(api_key="{{key:deepseek-api-key}}", base_url="https://api.deepseek.com")

response = client.chat.completions.create(
    model="deepseek-chat",
    messages=[{"role": "user", "content": "Hello"}],
)
print(response.choices[0].message.content)

import os
from groq import Groq

client = Groq(api_key=os.environ.get("GROQ_API_KEY", "{{key:groq-api-key}}"))

for chunk in client.chat.completions.create(model="llama-3.3-70b-versatile", messages=[{"role": "user", "content": "hi"}], stream=True):
    print(chunk.choices[0].delta.content or "", end="")

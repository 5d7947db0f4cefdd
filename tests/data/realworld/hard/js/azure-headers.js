const res = await fetch(
  "https://contoso.openai.azure.com/openai/deployments/gpt-4o/chat/completions?api-version=2024-10-21",
  {
    method: "POST",
    headers: { "api-key": "{{key:azure-openai-api-key}}", "Content-Type": "application/json" },
    body: JSON.stringify({ messages: [{ role: "user", content: "hi" }] }),
  },
);

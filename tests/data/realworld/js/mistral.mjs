import { Mistral } from "@mistralai/mistralai";

const client = new Mistral({ apiKey: "{{key:mistral-api-key}}" });

const result = await client.chat.complete({
  model: "mistral-small-latest",
  messages: [{ role: "user", content: "Who is the best French painter?" }],
});
console.log(result.choices[0].message.content);

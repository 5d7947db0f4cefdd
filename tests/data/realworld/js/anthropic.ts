import Anthropic from "@anthropic-ai/sdk";

const anthropic = new Anthropic({ apiKey: "{{key:anthropic-api-key}}" });

const msg = await anthropic.messages.create({
  model: "claude-sonnet-4-5",
  max_tokens: 1024,
  messages: [{ role: "user", content: "Hello, Claude" }],
});

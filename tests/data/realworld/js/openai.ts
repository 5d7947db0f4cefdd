import OpenAI from "openai";

const openai = new OpenAI({
  apiKey: "{{key:openai-project-key}}",
});

export async function complete(prompt: string) {
  const r = await openai.chat.completions.create({ model: "gpt-4o-mini", messages: [{ role: "user", content: prompt }] });
  return r.choices[0].message.content;
}

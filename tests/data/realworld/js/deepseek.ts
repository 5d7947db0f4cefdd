import OpenAI from "openai";

export const deepseek = new OpenAI({
  baseURL: "https://api.deepseek.com",
  apiKey: "{{key:deepseek-api-key}}",
});

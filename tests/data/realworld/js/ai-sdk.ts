import { createGroq } from "@ai-sdk/groq";
import { createXai } from "@ai-sdk/xai";

export const groq = createGroq({ apiKey: "{{key:groq-api-key}}" });
export const xai = createXai({ apiKey: "{{key:xai-api-key}}" });

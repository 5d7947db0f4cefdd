import { GoogleGenAI } from "@google/genai";

const ai = new GoogleGenAI({ apiKey: "{{key:google-gemini-api-key}}" });

import { HfInference } from "@huggingface/inference";

const hf = new HfInference("{{key:huggingface-access-token}}");

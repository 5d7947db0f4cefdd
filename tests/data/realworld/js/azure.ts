import { AzureOpenAI } from "openai";

const endpoint = "https://contoso.openai.azure.com";
const apiKey = "{{key:azure-openai-api-key}}";
const apiVersion = "2024-10-21";
const deployment = "gpt-4o";

export const client = new AzureOpenAI({ endpoint, apiKey, apiVersion, deployment });

package com.example.ai;

import com.azure.ai.openai.OpenAIClient;
import com.azure.ai.openai.OpenAIClientBuilder;
import com.azure.core.credential.AzureKeyCredential;

public class AzureConfig {
    public static OpenAIClient client() {
        return new OpenAIClientBuilder()
                .endpoint("https://contoso.openai.azure.com/")
                .credential(new AzureKeyCredential("{{key:azure-openai-api-key}}"))
                .buildClient();
    }
}

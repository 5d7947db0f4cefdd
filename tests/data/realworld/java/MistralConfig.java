package com.example.ai;

import dev.langchain4j.model.mistralai.MistralAiChatModel;

public class MistralConfig {
    public static MistralAiChatModel model() {
        return MistralAiChatModel.builder()
                .apiKey("{{key:mistral-api-key}}")
                .modelName("mistral-small-latest")
                .build();
    }
}

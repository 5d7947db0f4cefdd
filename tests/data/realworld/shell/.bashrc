alias ll='ls -alF'
export PATH="$HOME/.cargo/bin:$PATH"
export HF_TOKEN={{key:huggingface-access-token}}
export AZURE_OPENAI_API_KEY={{key:azure-openai-api-key}}

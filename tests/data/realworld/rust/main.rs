use async_openai::{config::OpenAIConfig, Client};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let config = OpenAIConfig::new().with_api_key("{{key:openai-admin-key}}");
    let client = Client::with_config(config);
    let models = client.models().list().await?;
    println!("{}", models.data.len());
    Ok(())
}

use serde::Deserialize;

#[derive(Deserialize)]
pub struct Config {
    pub cohere_api_key: String,
    pub mistral_api_key: String,
}

impl Config {
    pub fn from_env() -> Config {
        Config {
            cohere_api_key: std::env::var("COHERE_API_KEY").unwrap_or_default(),
            mistral_api_key: std::env::var("MISTRAL_API_KEY").unwrap_or_default(),
        }
    }
}

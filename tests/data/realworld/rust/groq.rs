const GROQ_API_KEY: &str = "{{key:groq-api-key}}";

pub fn auth_header() -> String {
    format!("Bearer {GROQ_API_KEY}")
}

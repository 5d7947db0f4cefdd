use mistralai_client::v1::client::Client;

pub fn client() -> Client {
    Client::new(Some("{{key:mistral-api-key}}".to_string()), None, None, None).expect("client")
}

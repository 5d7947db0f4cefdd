use octocrab::Octocrab;

pub async fn client() -> octocrab::Result<Octocrab> {
    Octocrab::builder()
        .personal_token("{{key:github-oauth-token}}".to_string())
        .build()
}

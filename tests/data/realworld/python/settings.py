from pydantic_settings import BaseSettings


class Settings(BaseSettings):
    openai_api_key: str = ""
    mistral_api_key: str = ""
    cohere_api_key: str = ""
    request_timeout: int = 60

    class Config:
        env_file = ".env"


settings = Settings()

export const DEFAULT_MODEL = "mistral-large-latest";
export const EMBEDDING_DIM = 1024;
export const CACHE_KEY_PREFIX = "mistral:v2:";
export const BUILD_ID = "{{hex:32}}";
export const ASSET_HASH = "{{hex:20}}";

/// Digest of the bundled model file, checked at start-up.
pub const MODEL_SHA256: &str = "{{hex:64}}";
pub const SCHEMA_VERSION: u32 = 7;
pub const GIT_HASH: &str = "{{hex:40}}";

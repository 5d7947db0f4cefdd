//! The word lists that tell what a label names: words that say a value is not a provider's
//! key (`request_id`, `checksum`), and the generic first words of a key name (`api_key`,
//! `token`) that let nearby mentions explain it.

/// Label words that say a value is not a provider's API key wherever they appear in the label
/// (compared with whole words, split at `_`, `-`, `.` and camelCase humps, ignoring case):
/// hashes, other kinds of secret, other services that issue 32- or 40-character secrets, and
/// the words of placeholders. Not `password`: SDKs with basic auth take API secrets as
/// passwords (Twilio's `Password: <auth token>`).
const NOT_A_KEY_WORDS: &[&str] = &[
    // hashes and tracing
    "hash",
    "sha",
    "sha1",
    "sha256",
    "sha512",
    "md5",
    "checksum",
    "digest",
    "etag",
    "integrity",
    "nonce",
    "salt",
    "iv",
    "trace",
    "span",
    "request",
    "correlation",
    "fingerprint",
    "cache",
    // other kinds of secret
    "session",
    "cookie",
    "csrf",
    "xsrf",
    "jwt",
    "hmac",
    "signing",
    "signature",
    "webhook",
    "encryption",
    "encrypt",
    "cipher",
    "aes",
    // other services
    "db",
    "database",
    "redis",
    "postgres",
    "mysql",
    "mongo",
    "mongodb",
    "flask",
    "django",
    "rails",
    "laravel",
    "nextauth",
    "datadog",
    "dd",
    "sentry",
    "algolia",
    "mailgun",
    "mailchimp",
    "pusher",
    "segment",
    "mixpanel",
    "amplitude",
    "newrelic",
    "bugsnag",
    "rollbar",
    "postmark",
    "slack",
    "discord",
    "telegram",
    "stripe",
    "shopify",
    "spotify",
    // placeholders
    "fake",
    "dummy",
    "example",
    "placeholder",
    "sample",
    "mock",
];

/// Words that say a value is not a key when they end its label (`request_id`, `model_name`,
/// `model`), though they may start a key's name (`MODEL_API_KEY`).
const NOT_A_KEY_HEADS: &[&str] = &[
    "id", "ids", "uuid", "guid", "name", "names", "class", "model", "path", "file", "url", "uri",
    "host", "email", "region", "version", "build", "rev", "revision", "commit", "count", "size",
];

/// First words of a generic key name: a value so named may be explained by a provider
/// mentioned on nearby lines. Anything else (`OPENWEATHER_API_KEY`, `giphyKey`) names its own
/// service. Checked on the last dotted part of the label (`self.api_key` → `api_key`).
const GENERIC_WORDS: &[&str] = &[
    // credentials
    "api",
    "apikey",
    "key",
    "keys",
    "token",
    "tokens",
    "secret",
    "secrets",
    "access",
    "auth",
    "authorization",
    "bearer",
    "credential",
    "credentials",
    "password",
    "passwd",
    "pwd",
    "pass",
    "passphrase",
    "cred",
    "creds",
    "value",
    "val",
    "default",
    "x",
    "header",
    "headers",
    "subscription",
    "ocp",
    "apim",
    "account",
    "sid",
    "co",
    // qualifiers
    "prod",
    "production",
    "dev",
    "development",
    "staging",
    "stage",
    "test",
    "testing",
    "local",
    "primary",
    "secondary",
    "main",
    "backup",
    "new",
    "old",
    "current",
    "my",
    "our",
    "app",
    "application",
    "service",
    "svc",
    "server",
    "backend",
    "client",
    "private",
    "global",
    "shared",
    "personal",
    "org",
    "organization",
    "team",
    "admin",
    "master",
    "root",
    "user",
    // what the key is for
    "ai",
    "genai",
    "gen",
    "llm",
    "llms",
    "model",
    "chat",
    "completion",
    "completions",
    "embed",
    "embedding",
    "embeddings",
    "rerank",
    "inference",
    "assistant",
    "agent",
    "bot",
    "rag",
    "openai",
    "provider",
    "providers",
    // Codestral keys are Mistral keys, named apart.
    "codestral",
    // where it is kept
    "env",
    "environ",
    "config",
    "configuration",
    "cfg",
    "conf",
    "settings",
    "setting",
    "option",
    "options",
    "opts",
    "params",
    "param",
    "data",
    "next",
    "public",
    "vite",
    "react",
    "expo",
    "nuxt",
    "gatsby",
    "tf",
    "var",
    "vars",
    "self",
    "this",
    "cls",
    "process",
    "os",
    "globals",
    "window",
    "state",
    "props",
    "ctx",
    "context",
];

/// True when `label`'s words say the value is something other than a provider's API key.
pub fn label_names_something_else(label: &[u8]) -> bool {
    let is = |w: &[u8], list: &[&str]| list.iter().any(|k| k.as_bytes().eq_ignore_ascii_case(w));
    words(label).any(|w| is(w, NOT_A_KEY_WORDS))
        || words(label).last().is_some_and(|w| is(w, NOT_A_KEY_HEADS))
}

/// True when `label` (its last dotted part) starts with a generic word or a number.
pub(super) fn is_generic(label: &[u8]) -> bool {
    let last = label.rsplit(|&b| b == b'.').next().unwrap_or(label);
    words(last).next().is_none_or(|w| {
        w.iter().all(u8::is_ascii_digit)
            || GENERIC_WORDS
                .iter()
                .any(|g| g.as_bytes().eq_ignore_ascii_case(w))
    })
}

/// The words of an identifier: split at non-alphanumerics and at lower-to-upper humps.
fn words(label: &[u8]) -> impl Iterator<Item = &[u8]> {
    let mut cuts = vec![0];
    for i in 1..label.len() {
        let (a, b) = (label[i - 1], label[i]);
        let sep = !a.is_ascii_alphanumeric() || !b.is_ascii_alphanumeric();
        let hump = a.is_ascii_lowercase() && b.is_ascii_uppercase();
        if sep || hump {
            cuts.push(i);
        }
    }
    cuts.push(label.len());
    cuts.dedup();
    (0..cuts.len() - 1)
        .map(move |i| &label[cuts[i]..cuts[i + 1]])
        .map(|w| {
            let s = w
                .iter()
                .position(u8::is_ascii_alphanumeric)
                .unwrap_or(w.len());
            &w[s..]
        })
        .filter(|w| !w.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_that_name_something_else() {
        for l in [
            "request_id",
            "requestId",
            "SESSION_SECRET",
            "DATADOG_API_KEY",
            "md5",
        ] {
            assert!(label_names_something_else(l.as_bytes()), "{l}");
        }
        for l in [
            "api_key",
            "MISTRAL_API_KEY",
            "apiKey",
            "token",
            "co_api_key",
            "value",
        ] {
            assert!(!label_names_something_else(l.as_bytes()), "{l}");
        }
    }
}

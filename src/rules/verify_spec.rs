//! The `[verify]` block of a rule file: how to ask a provider whether a key is live and how to
//! read its answer. Parsed strictly at load time, so a bad block is a rule-file error rather
//! than a surprise during a scan. The format is documented in `rules/README.md`.

use std::collections::BTreeMap;

use serde::Deserialize;

pub use super::hosts::Method;
use super::hosts::{self, Endpoint};

/// The placeholder a header value uses for the key.
pub const KEY_PLACEHOLDER: &str = "{key}";

/// A validated `[verify]` block.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VerifySpec {
    /// Rule ids of the file the check applies to; empty means all. Other rules' findings are
    /// reported `unknown: no check` (an admin or OAuth token would be refused by the endpoint
    /// that checks ordinary keys, and must not be reported dead for it).
    pub rules: Vec<String>,
    pub check: Check,
}

impl VerifySpec {
    pub fn applies_to(&self, rule: &str) -> bool {
        self.rules.is_empty() || self.rules.iter().any(|r| r == rule)
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Check {
    /// Send a request and classify the answer.
    Http(HttpCheck),
    /// No check is possible; every key of the provider is reported unknown for this reason.
    Unverifiable(Unverifiable),
}

/// Why a provider cannot be checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unverifiable {
    /// The service (and its API) was shut down.
    Retired,
}

impl Unverifiable {
    pub fn as_str(self) -> &'static str {
        match self {
            Unverifiable::Retired => "retired",
        }
    }
}

/// One read-only HTTP request and the meaning of its answers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HttpCheck {
    pub method: Method,
    /// Path and query. The host is never taken from here but from the built-in table.
    pub path: String,
    /// Header name and value; `{key}` in a value is replaced by the key at send time.
    pub headers: Vec<(String, String)>,
    /// Statuses that mean the key works.
    pub live: Vec<u16>,
    /// Statuses that mean the key is dead.
    pub invalid: Vec<u16>,
    /// JSON pointers into a live answer's body that must all be `true` (else invalid).
    pub live_if_json: Vec<String>,
    /// JSON pointers into a live answer's body any of which `true` means invalid.
    pub invalid_if_json: Vec<String>,
}

/// What one answer says, before retries are decided.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Answer {
    Live,
    Invalid,
    /// 429: try again later, never a verdict.
    RateLimited,
    /// 5xx (including the 529 some providers send when overloaded): never a verdict.
    ServerError,
    /// 3xx: redirects are never followed.
    Redirect,
    /// A status the block does not list.
    Unexpected(u16),
    /// A listed status whose body could not be read as the block expects.
    BadBody,
}

impl HttpCheck {
    /// Whether the body of an answer with `status` must be read to classify it.
    pub fn needs_body(&self, status: u16) -> bool {
        self.live.contains(&status)
            && !(self.live_if_json.is_empty() && self.invalid_if_json.is_empty())
    }

    /// Classifies an answer. `body` is given when [`HttpCheck::needs_body`] said so.
    pub fn classify(&self, status: u16, body: Option<&str>) -> Answer {
        if status == 429 {
            return Answer::RateLimited;
        }
        if (500..600).contains(&status) {
            return Answer::ServerError;
        }
        if (300..400).contains(&status) {
            return Answer::Redirect;
        }
        if self.invalid.contains(&status) {
            return Answer::Invalid;
        }
        if !self.live.contains(&status) {
            return Answer::Unexpected(status);
        }
        if !self.needs_body(status) {
            return Answer::Live;
        }
        let Some(json) = body.and_then(|b| serde_json::from_str::<serde_json::Value>(b).ok())
        else {
            return Answer::BadBody;
        };
        let is_true = |p: &String| json.pointer(p).and_then(|v| v.as_bool()) == Some(true);
        if self.invalid_if_json.iter().any(is_true) {
            return Answer::Invalid;
        }
        for p in &self.live_if_json {
            match json.pointer(p).and_then(|v| v.as_bool()) {
                Some(true) => {}
                Some(false) => return Answer::Invalid,
                None => return Answer::BadBody,
            }
        }
        Answer::Live
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawVerify {
    url: Option<String>,
    method: Option<String>,
    #[serde(default)]
    headers: BTreeMap<String, String>,
    #[serde(default)]
    live: Vec<u16>,
    #[serde(default)]
    invalid: Vec<u16>,
    #[serde(default)]
    live_if_json: Vec<String>,
    #[serde(default)]
    invalid_if_json: Vec<String>,
    unverifiable: Option<String>,
    #[serde(default)]
    rules: Vec<String>,
}

/// Headers a block may not set: the transport owns them, and `Host` would redirect the key.
const RESERVED_HEADERS: &[&str] = &[
    "host",
    "content-length",
    "transfer-encoding",
    "connection",
    "te",
    "upgrade",
    "proxy-authorization",
];

impl VerifySpec {
    /// Parses and validates the `[verify]` table of `provider`'s rule file, whose rule ids are
    /// `rule_ids`. The message of an error says what to fix; the caller adds the file name.
    pub fn from_table(
        provider: &str,
        table: &toml::Table,
        rule_ids: &[&str],
    ) -> Result<VerifySpec, String> {
        let raw: RawVerify = toml::Value::Table(table.clone())
            .try_into()
            .map_err(|e: toml::de::Error| e.message().trim().to_string())?;
        if let Some(r) = raw.rules.iter().find(|r| !rule_ids.contains(&r.as_str())) {
            return Err(format!(
                "`rules` names `{r}`, which is not a rule of this file"
            ));
        }
        let rules = raw.rules.clone();
        Self::check_from_raw(provider, raw).map(|check| VerifySpec { rules, check })
    }

    fn check_from_raw(provider: &str, raw: RawVerify) -> Result<Check, String> {
        if let Some(reason) = raw.unverifiable {
            let has_check = raw.url.is_some()
                || raw.method.is_some()
                || !raw.headers.is_empty()
                || !raw.live.is_empty()
                || !raw.invalid.is_empty()
                || !raw.live_if_json.is_empty()
                || !raw.invalid_if_json.is_empty();
            if has_check {
                return Err("`unverifiable` cannot be combined with a request".into());
            }
            return match reason.as_str() {
                "retired" => Ok(Check::Unverifiable(Unverifiable::Retired)),
                other => Err(format!(
                    "unknown `unverifiable` reason `{other}` (expected \"retired\")"
                )),
            };
        }
        let target = hosts::target(provider).ok_or_else(|| {
            format!(
                "provider `{provider}` has no built-in verification host; only built-in \
                 providers can be verified, so a key is never sent to a host a rule file chose"
            )
        })?;
        let url = raw.url.ok_or("missing `url`")?;
        let path = check_url(&url, target.endpoint)?;
        let method = match raw.method.as_deref().unwrap_or("GET") {
            "GET" => Method::Get,
            "POST" => Method::Post,
            other => {
                return Err(format!(
                    "method `{other}` is not allowed (GET or POST, read-only endpoints only)"
                ));
            }
        };
        if (method, path.as_str()) != (target.method, target.path) {
            return Err(format!(
                "`{} {path}` is not the check keysift allows for provider `{provider}`: only \
                 `{} {}` (built into keysift, so a rule file cannot call another endpoint)",
                method.as_str(),
                target.method.as_str(),
                target.path
            ));
        }
        let mut headers = Vec::with_capacity(raw.headers.len());
        let mut key_sent = false;
        for (name, value) in raw.headers {
            check_header(&name, &value)?;
            key_sent |= value.contains(KEY_PLACEHOLDER);
            headers.push((name, value));
        }
        if !key_sent {
            return Err(format!(
                "no header carries the key: put `{KEY_PLACEHOLDER}` in a header value"
            ));
        }
        if raw.live.is_empty() {
            return Err("`live` must list at least one status".into());
        }
        for &s in raw.live.iter().chain(&raw.invalid) {
            if !(200..500).contains(&s) || (300..400).contains(&s) || s == 429 {
                return Err(format!(
                    "status {s} cannot be a verdict: only 2xx and 4xx other than 429 can be \
                     listed (429 and 5xx always mean unknown, redirects are never followed)"
                ));
            }
        }
        if let Some(s) = raw.live.iter().find(|s| raw.invalid.contains(s)) {
            return Err(format!("status {s} is listed as both live and invalid"));
        }
        for p in raw.live_if_json.iter().chain(&raw.invalid_if_json) {
            if !p.starts_with('/') {
                return Err(format!(
                    "`{p}` is not a JSON pointer (it must start with '/', e.g. \"/valid\")"
                ));
            }
        }
        Ok(Check::Http(HttpCheck {
            method,
            path,
            headers,
            live: raw.live,
            invalid: raw.invalid,
            live_if_json: raw.live_if_json,
            invalid_if_json: raw.invalid_if_json,
        }))
    }
}

/// Checks that `url` is HTTPS to the provider's built-in host with no port, user or key, and
/// returns its path and query.
fn check_url(url: &str, endpoint: Endpoint) -> Result<String, String> {
    let rest = url
        .strip_prefix("https://")
        .ok_or_else(|| format!("url `{url}` must start with https://"))?;
    if url.contains(KEY_PLACEHOLDER) {
        return Err("the key must not be put in the url (URLs get logged); use a header".into());
    }
    let split = rest.find(['/', '?']).unwrap_or(rest.len());
    let (authority, path) = rest.split_at(split);
    let expected = endpoint.url_host();
    if authority != expected {
        return Err(format!(
            "url host `{authority}` is not this provider's built-in host `{expected}`"
        ));
    }
    if !path.starts_with('/') {
        return Err(format!("url `{url}` needs a path"));
    }
    if path.contains('#') || path.contains(['{', '}']) {
        return Err(format!(
            "url path `{path}` may not hold a fragment or placeholder"
        ));
    }
    if !path.bytes().all(|b| b.is_ascii_graphic()) {
        return Err(format!(
            "url path `{path}` must be printable ASCII without spaces"
        ));
    }
    Ok(path.to_string())
}

fn check_header(name: &str, value: &str) -> Result<(), String> {
    let token = |b: u8| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b);
    if name.is_empty() || !name.bytes().all(token) {
        return Err(format!("`{name}` is not a valid header name"));
    }
    if RESERVED_HEADERS.contains(&name.to_ascii_lowercase().as_str()) {
        return Err(format!("header `{name}` cannot be set by a rule file"));
    }
    if !value.bytes().all(|b| b == b' ' || b.is_ascii_graphic()) {
        return Err(format!("header `{name}` value must be printable ASCII"));
    }
    let rest = value.replace(KEY_PLACEHOLDER, "");
    if rest.contains(['{', '}']) {
        return Err(format!(
            "header `{name}` has a placeholder other than `{KEY_PLACEHOLDER}`"
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(provider: &str, text: &str) -> Result<VerifySpec, String> {
        let table: toml::Table = toml::from_str(text).expect("valid TOML");
        VerifySpec::from_table(provider, &table, &["openai-key", "openai-admin-key"])
    }

    const OPENAI: &str = r#"
url = "https://api.openai.com/v1/models"
headers = { Authorization = "Bearer {key}" }
live = [200]
invalid = [401]
"#;

    fn http(spec: VerifySpec) -> HttpCheck {
        match spec.check {
            Check::Http(c) => c,
            other => panic!("not an HTTP check: {other:?}"),
        }
    }

    #[test]
    fn rules_scope_the_check_to_rules_of_the_file() {
        let spec = parse("openai", &format!("{OPENAI}\nrules = [\"openai-key\"]\n")).unwrap();
        assert!(spec.applies_to("openai-key"));
        assert!(!spec.applies_to("openai-admin-key"));
        assert!(
            parse("openai", OPENAI)
                .unwrap()
                .applies_to("openai-admin-key")
        );
        let err = parse("openai", &format!("{OPENAI}\nrules = [\"github-pat\"]\n")).unwrap_err();
        assert!(err.contains("not a rule of this file"), "{err}");
    }

    #[test]
    fn parses_a_good_block() {
        let c = http(parse("openai", OPENAI).unwrap());
        assert_eq!(c.method, Method::Get);
        assert_eq!(c.path, "/v1/models");
        assert_eq!(c.headers, [("Authorization".into(), "Bearer {key}".into())]);
    }

    #[test]
    fn the_host_must_be_the_built_in_one() {
        let text = OPENAI.replace("api.openai.com", "api.openai.com.evil.test");
        assert!(
            parse("openai", &text)
                .unwrap_err()
                .contains("built-in host")
        );
        let text = OPENAI.replace("api.openai.com", "api.openai.com:8443");
        assert!(
            parse("openai", &text)
                .unwrap_err()
                .contains("built-in host")
        );
        let text = OPENAI.replace("https://api", "https://user@api");
        assert!(
            parse("openai", &text)
                .unwrap_err()
                .contains("built-in host")
        );
        assert!(
            parse("acme", OPENAI)
                .unwrap_err()
                .contains("no built-in verification host")
        );
        // Another provider's host is refused too.
        assert!(
            parse("mistral", OPENAI)
                .unwrap_err()
                .contains("built-in host")
        );
    }

    #[test]
    fn method_and_path_must_be_the_built_in_ones() {
        let text = OPENAI.replace("/v1/models", "/v1/organization/admin_api_keys");
        let err = parse("openai", &text).unwrap_err();
        assert!(err.contains("only `GET /v1/models`"), "{err}");
        let text = format!("{OPENAI}method = \"POST\"\n");
        assert!(parse("openai", &text).unwrap_err().contains("only `GET"));
        let slack = OPENAI.replace("api.openai.com/v1/models", "slack.com/api/auth.revoke");
        let err = parse("slack", &format!("{slack}method = \"POST\"\n")).unwrap_err();
        assert!(err.contains("only `POST /api/auth.test`"), "{err}");
    }

    #[test]
    fn https_only_and_no_key_in_url() {
        let text = OPENAI.replace("https://", "http://");
        assert!(parse("openai", &text).unwrap_err().contains("https://"));
        let text = OPENAI.replace("/v1/models", "/v1/models?key={key}");
        assert!(
            parse("openai", &text)
                .unwrap_err()
                .contains("must not be put in the url")
        );
    }

    #[test]
    fn the_key_must_travel_in_a_header() {
        let text = OPENAI.replace("Bearer {key}", "Bearer");
        assert!(
            parse("openai", &text)
                .unwrap_err()
                .contains("no header carries the key")
        );
        let text = OPENAI.replace("Authorization", "Host");
        assert!(
            parse("openai", &text)
                .unwrap_err()
                .contains("cannot be set")
        );
        let text = OPENAI.replace("{key}", "{secret}");
        assert!(parse("openai", &text).is_err());
    }

    #[test]
    fn rate_limits_server_errors_and_redirects_are_never_verdicts() {
        for bad in [
            "invalid = [401, 429]",
            "invalid = [500]",
            "invalid = [302]",
            "live = [529]",
        ] {
            let field = bad.split(' ').next().unwrap();
            let text: String = OPENAI
                .lines()
                .filter(|l| !l.starts_with(field))
                .chain([bad])
                .collect::<Vec<_>>()
                .join("\n");
            assert!(
                parse("openai", &text)
                    .unwrap_err()
                    .contains("cannot be a verdict"),
                "{bad}"
            );
        }
        let text = OPENAI.replace("invalid = [401]", "invalid = [200]");
        assert!(
            parse("openai", &text)
                .unwrap_err()
                .contains("both live and invalid")
        );
    }

    #[test]
    fn unknown_fields_and_methods_are_refused() {
        let text = format!("{OPENAI}\nbody = \"x\"\n");
        assert!(parse("openai", &text).unwrap_err().contains("body"));
        let text = format!("{OPENAI}\nmethod = \"DELETE\"\n");
        assert!(parse("openai", &text).unwrap_err().contains("DELETE"));
    }

    #[test]
    fn unverifiable_stands_alone() {
        assert_eq!(
            parse("anyscale", "unverifiable = \"retired\"")
                .unwrap()
                .check,
            Check::Unverifiable(Unverifiable::Retired)
        );
        assert!(parse("anyscale", "unverifiable = \"bored\"").is_err());
        let text = format!("{OPENAI}\nunverifiable = \"retired\"\n");
        assert!(
            parse("openai", &text)
                .unwrap_err()
                .contains("cannot be combined")
        );
    }

    #[test]
    fn azure_url_names_the_resource_placeholder() {
        let text = r#"
url = "https://{resource}.openai.azure.com/openai/models?api-version=2024-10-21"
headers = { api-key = "{key}" }
live = [200]
invalid = [401]
"#;
        let c = http(parse("azure-openai", text).unwrap());
        assert_eq!(c.path, "/openai/models?api-version=2024-10-21");
        let fixed = text.replace("{resource}", "mine");
        assert!(
            parse("azure-openai", &fixed)
                .unwrap_err()
                .contains("built-in host")
        );
    }

    #[test]
    fn classify_reads_statuses_and_json_flags() {
        let xai = http(
            parse(
                "xai",
                r#"
url = "https://api.x.ai/v1/api-key"
headers = { Authorization = "Bearer {key}" }
live = [200]
invalid = [400, 401]
invalid_if_json = ["/api_key_blocked", "/api_key_disabled"]
"#,
            )
            .unwrap(),
        );
        assert_eq!(
            xai.classify(200, Some(r#"{"api_key_blocked":false}"#)),
            Answer::Live
        );
        assert_eq!(
            xai.classify(200, Some(r#"{"api_key_disabled":true}"#)),
            Answer::Invalid
        );
        assert_eq!(xai.classify(200, Some("<html>")), Answer::BadBody);
        assert_eq!(xai.classify(401, None), Answer::Invalid);
        assert_eq!(xai.classify(429, None), Answer::RateLimited);
        assert_eq!(xai.classify(503, None), Answer::ServerError);
        assert_eq!(xai.classify(301, None), Answer::Redirect);
        assert_eq!(xai.classify(418, None), Answer::Unexpected(418));
        assert!(!xai.needs_body(401));

        let cohere = HttpCheck {
            live_if_json: vec!["/valid".into()],
            invalid_if_json: vec![],
            ..xai
        };
        assert_eq!(
            cohere.classify(200, Some(r#"{"valid":true}"#)),
            Answer::Live
        );
        assert_eq!(
            cohere.classify(200, Some(r#"{"valid":false}"#)),
            Answer::Invalid
        );
        assert_eq!(cohere.classify(200, Some("{}")), Answer::BadBody);
    }
}

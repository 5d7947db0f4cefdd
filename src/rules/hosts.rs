//! The built-in table of where each provider's key may be sent. It lives in code, not in rule
//! files, so a user's `--rules` file can describe how to read an answer but can never send a
//! key to a host of its choosing: a `[verify]` URL must name the host listed here, and the
//! request is built from this table's host.

use std::{ops::Range, sync::OnceLock};

use crate::lines::line_window;

use regex_automata::{meta::Regex, util::syntax};

/// Where one provider's liveness check goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Endpoint {
    /// Always this host.
    Host(&'static str),
    /// `<resource>.<suffix>`, with the resource name found near the key (Azure OpenAI: each
    /// customer resource has its own host, and the key alone does not say which).
    Resource { suffix: &'static str },
}

impl Endpoint {
    /// The host as a `[verify]` URL must spell it (`{resource}` stands for the resource name).
    pub fn url_host(self) -> String {
        match self {
            Endpoint::Host(h) => h.to_string(),
            Endpoint::Resource { suffix } => format!("{{resource}}.{suffix}"),
        }
    }
}

/// The only request a provider's `[verify]` block may make. Compiled in, so a rule file
/// cannot turn a check into a call that changes state (a token revocation, a charge).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    Get,
    /// Sent with an empty body (Cohere's `check-api-key`, Slack's `auth.test`).
    Post,
}

impl Method {
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
        }
    }
}

/// Where one provider's keys may be checked, and with which request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Target {
    pub endpoint: Endpoint,
    pub method: Method,
    /// Path and query, exactly as the `[verify]` URL must spell them.
    pub path: &'static str,
}

/// One entry per provider: id, host, method, path and query. Only these providers can have
/// a `[verify]` block, and a block must name exactly this host, method and path. A new
/// provider's check adds one line here; review it as code, since it decides where keys go.
#[rustfmt::skip]
const TARGETS: &[(&str, Endpoint, Method, &str)] = &[
    ("openai", Endpoint::Host("api.openai.com"), Method::Get, "/v1/models"),
    ("anthropic", Endpoint::Host("api.anthropic.com"), Method::Get, "/v1/models"),
    ("google", Endpoint::Host("generativelanguage.googleapis.com"), Method::Get, "/v1beta/models"),
    ("xai", Endpoint::Host("api.x.ai"), Method::Get, "/v1/api-key"),
    ("groq", Endpoint::Host("api.groq.com"), Method::Get, "/openai/v1/models"),
    ("mistral", Endpoint::Host("api.mistral.ai"), Method::Get, "/v1/models"),
    ("cohere", Endpoint::Host("api.cohere.com"), Method::Post, "/v1/check-api-key"),
    ("deepseek", Endpoint::Host("api.deepseek.com"), Method::Get, "/models"),
    ("huggingface", Endpoint::Host("huggingface.co"), Method::Get, "/api/whoami-v2"),
    ("azure-openai", Endpoint::Resource { suffix: "openai.azure.com" }, Method::Get, "/openai/models?api-version=2024-10-21"),
    ("github", Endpoint::Host("api.github.com"), Method::Get, "/user"),
    ("gitlab", Endpoint::Host("gitlab.com"), Method::Get, "/api/v4/personal_access_tokens/self"),
    ("slack", Endpoint::Host("slack.com"), Method::Post, "/api/auth.test"),
    ("stripe", Endpoint::Host("api.stripe.com"), Method::Get, "/v1/balance"),
];

/// The check target of `provider`, if keysift knows where its keys may be checked.
pub fn target(provider: &str) -> Option<Target> {
    TARGETS
        .iter()
        .find(|(id, ..)| *id == provider)
        .map(|&(_, endpoint, method, path)| Target {
            endpoint,
            method,
            path,
        })
}

/// The endpoint of `provider`, if keysift knows where its keys may be checked.
pub fn endpoint(provider: &str) -> Option<Endpoint> {
    target(provider).map(|t| t.endpoint)
}

/// The host to check a key of `provider` against: the table's host, or for a resource
/// endpoint the resource host named near the key (`hint`), re-checked against the suffix.
pub fn host_for(provider: &str, hint: Option<&str>) -> Option<String> {
    match endpoint(provider)? {
        Endpoint::Host(h) => Some(h.to_string()),
        Endpoint::Resource { suffix } => {
            let hint = hint?;
            let label = hint.strip_suffix(suffix)?.strip_suffix('.')?;
            is_dns_label(label).then(|| format!("{label}.{suffix}"))
        }
    }
}

/// A lowercase DNS label: 1 to 63 of `a-z0-9-`, not starting or ending with `-`.
pub fn is_dns_label(s: &str) -> bool {
    (1..=63).contains(&s.len())
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !s.starts_with('-')
        && !s.ends_with('-')
}

/// Lines searched on each side of a secret for the resource host it belongs to.
const HOST_LINES: usize = 20;

/// For providers whose check needs a host found near the key (Azure OpenAI), the nearest
/// `<resource>.openai.azure.com` within [`HOST_LINES`] lines of `secret` in `hay`. It is
/// found at scan time because the verify stage no longer has the file's bytes.
pub fn nearby_host(provider: &str, hay: &[u8], secret: Range<usize>) -> Option<String> {
    let Some(Endpoint::Resource { suffix }) = endpoint(provider) else {
        return None;
    };
    let re = resource_regex(suffix)?;
    let from = line_window(hay, secret.start, HOST_LINES, 0, hay.len()).start;
    let to = line_window(hay, secret.end, 0, HOST_LINES, hay.len()).end;
    let window = &hay[from..to];
    let center = secret.start.saturating_sub(from);
    let mut best: Option<(usize, String)> = None;
    for caps in re.captures_iter(window) {
        let Some(span) = caps.get_group(1) else {
            continue;
        };
        let label = String::from_utf8_lossy(&window[span.range()]).to_ascii_lowercase();
        if !is_dns_label(&label) {
            continue;
        }
        let distance = span.start.abs_diff(center);
        if best.as_ref().is_none_or(|(d, _)| distance < *d) {
            best = Some((distance, format!("{label}.{suffix}")));
        }
    }
    best.map(|(_, host)| host)
}

/// `<label>.<suffix>`, case-insensitive, as a word. Only one resource suffix exists today.
fn resource_regex(suffix: &str) -> Option<&'static Regex> {
    static AZURE: OnceLock<Option<Regex>> = OnceLock::new();
    if suffix != "openai.azure.com" {
        return None;
    }
    AZURE
        .get_or_init(|| {
            Regex::builder()
                .syntax(syntax::Config::new().unicode(false).utf8(false))
                .build(r"(?i)\b([a-z0-9][a-z0-9-]{0,62})\.openai\.azure\.com\b")
                .ok()
        })
        .as_ref()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resource_host_is_found_on_a_nearby_line_and_lowercased() {
        let hay =
            b"AZURE_OPENAI_ENDPOINT=https://My-Res.openai.azure.com/\nAZURE_OPENAI_API_KEY=KEY\n";
        let start = hay.windows(3).position(|w| w == b"KEY").unwrap();
        assert_eq!(
            nearby_host("azure-openai", hay, start..start + 3).as_deref(),
            Some("my-res.openai.azure.com")
        );
    }

    #[test]
    fn nearest_resource_wins_and_far_ones_are_ignored() {
        let mut hay = String::from("a.openai.azure.com\n");
        hay.push_str(&"\n".repeat(30));
        hay.push_str("b.openai.azure.com\nKEY\n# a longer line in between the key and c\n");
        hay.push_str("c.openai.azure.com\n");
        let start = hay.find("KEY").unwrap();
        assert_eq!(
            nearby_host("azure-openai", hay.as_bytes(), start..start + 3).as_deref(),
            Some("b.openai.azure.com")
        );
        let far = format!("KEY{}x.openai.azure.com", "\n".repeat(40));
        assert_eq!(nearby_host("azure-openai", far.as_bytes(), 0..3), None);
    }

    #[test]
    fn only_resource_providers_look_for_a_host() {
        let hay = b"a.openai.azure.com KEY";
        assert_eq!(nearby_host("openai", hay, 19..22), None);
    }

    #[test]
    fn one_target_per_provider_with_a_path() {
        for (i, (id, _, _, path)) in TARGETS.iter().enumerate() {
            assert!(path.starts_with('/'), "{id}");
            assert!(
                TARGETS[i + 1..].iter().all(|(other, ..)| other != id),
                "{id} twice"
            );
        }
    }

    #[test]
    fn host_for_rechecks_the_hint() {
        assert_eq!(
            host_for("azure-openai", Some("res.openai.azure.com")).as_deref(),
            Some("res.openai.azure.com")
        );
        assert_eq!(host_for("azure-openai", Some("evil.com")), None);
        assert_eq!(host_for("azure-openai", Some("a.b.openai.azure.com")), None);
        assert_eq!(host_for("azure-openai", Some("xopenai.azure.com")), None);
        assert_eq!(host_for("azure-openai", None), None);
        assert_eq!(
            host_for("openai", Some("evil.com")).as_deref(),
            Some("api.openai.com")
        );
        assert_eq!(host_for("acme", None), None);
    }
}

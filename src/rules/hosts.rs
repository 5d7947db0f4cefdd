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
    ("openrouter", Endpoint::Host("openrouter.ai"), Method::Get, "/api/v1/key"),
    ("replicate", Endpoint::Host("api.replicate.com"), Method::Get, "/v1/account"),
    ("together", Endpoint::Host("api.together.xyz"), Method::Get, "/v1/models"),
    ("fireworks", Endpoint::Host("api.fireworks.ai"), Method::Get, "/inference/v1/models"),
    ("cerebras", Endpoint::Host("api.cerebras.ai"), Method::Get, "/v1/models"),
    ("langsmith", Endpoint::Host("api.smith.langchain.com"), Method::Get, "/api/v1/api-key"),
    ("pinecone", Endpoint::Host("api.pinecone.io"), Method::Get, "/indexes"),
    ("elevenlabs", Endpoint::Host("api.elevenlabs.io"), Method::Get, "/v1/user"),
    ("stability", Endpoint::Host("api.stability.ai"), Method::Get, "/v1/user/account"),
    ("deepgram", Endpoint::Host("api.deepgram.com"), Method::Get, "/v1/projects"),
    ("assemblyai", Endpoint::Host("api.assemblyai.com"), Method::Get, "/v2/transcript"),
    ("vercel", Endpoint::Host("ai-gateway.vercel.sh"), Method::Get, "/v1/credits"),
    ("tavily", Endpoint::Host("api.tavily.com"), Method::Get, "/usage"),
    ("firecrawl", Endpoint::Host("api.firecrawl.dev"), Method::Get, "/v2/team/credit-usage"),
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
/// endpoint the resource host found near the key (`hint`), re-checked against the suffix.
pub fn host_for(provider: &str, hint: Option<&NearbyHost>) -> Option<String> {
    match endpoint(provider)? {
        Endpoint::Host(h) => Some(h.to_string()),
        Endpoint::Resource { suffix } => {
            let hint = hint?.host.as_str();
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

/// Bytes searched on each side of a secret for its resource host, at most: on a long line
/// (minified code) the search would otherwise cover the whole line for every key on it.
const HOST_REACH: usize = 4096;

/// A resource host found near a key, and whether the key's configuration named it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NearbyHost {
    pub host: String,
    /// On a line that names an endpoint setting (`AZURE_OPENAI_ENDPOINT=…`,
    /// `"endpoint": …`). Otherwise the host is a guess: the nearest one mentioned, which may
    /// be another resource's, so a 401 from it does not prove the key dead.
    pub named: bool,
}

/// For providers whose check needs a host found near the key (Azure OpenAI), the resource
/// host within `HOST_LINES` lines and `HOST_REACH` bytes of `secret` in `hay`: one on an endpoint setting's line
/// first, else the nearest. A host must stand alone (`x.openai.azure.com.evil.example` and
/// `a.x.openai.azure.com` are other hosts). Found at scan time because the verify stage no
/// longer has the file's bytes.
pub fn nearby_host(provider: &str, hay: &[u8], secret: Range<usize>) -> Option<NearbyHost> {
    HostIndex::default().near(provider, hay, secret)
}

/// The resource hosts of one scanned buffer, found in one pass when the first key that needs
/// one turns up. Searching the kilobytes around each key instead cost a file of Azure keys
/// tens of microseconds a key.
#[derive(Default)]
pub struct HostIndex {
    /// The hosts of each resource suffix looked for so far (one exists today).
    found: Vec<(&'static str, Vec<Spot>)>,
}

/// A host that stands alone in the buffer.
struct Spot {
    /// The resource label's span (`my-res` of `my-res.openai.azure.com`).
    label: Range<usize>,
    /// Where the whole host ends.
    end: usize,
    /// The label, lowercased.
    name: String,
    /// The last `endpoint` on the host's line before it, if any.
    endpoint: Option<usize>,
}

impl HostIndex {
    /// [`nearby_host`] for a key of `hay`, the buffer this index belongs to. A host counts
    /// when it lies whole within the searched lines, and as named when an endpoint setting
    /// precedes it on its line within them.
    pub fn near(&mut self, provider: &str, hay: &[u8], secret: Range<usize>) -> Option<NearbyHost> {
        let Some(Endpoint::Resource { suffix }) = endpoint(provider) else {
            return None;
        };
        let at = match self.found.iter().position(|(s, _)| *s == suffix) {
            Some(i) => i,
            None => {
                let re = resource_regex(suffix)?;
                self.found.push((suffix, spots(re, hay)));
                self.found.len() - 1
            }
        };
        let spots = &self.found[at].1;
        let from = line_window(hay, secret.start, HOST_LINES, 0, HOST_REACH).start;
        let to = line_window(hay, secret.end, 0, HOST_LINES, HOST_REACH).end;
        let first = spots.partition_point(|s| s.label.start < from);
        let mut best: Option<((bool, usize), &Spot)> = None;
        for spot in spots[first..].iter().take_while(|s| s.label.start < to) {
            if spot.end > to {
                continue;
            }
            let named = spot.endpoint.is_some_and(|e| e >= from);
            // Named hosts first, then the nearest.
            let rank = (!named, spot.label.start.abs_diff(secret.start));
            if best.as_ref().is_none_or(|(r, _)| rank < *r) {
                best = Some((rank, spot));
            }
        }
        best.map(|((unnamed, _), spot)| NearbyHost {
            host: format!("{}.{suffix}", spot.name),
            named: !unnamed,
        })
    }
}

/// Every host of `re` in `hay` that stands alone, in order, with the endpoint setting
/// before it on its line. One pass over `hay` and its `endpoint` words.
fn spots(re: &Regex, hay: &[u8]) -> Vec<Spot> {
    const WORD: &[u8] = b"endpoint";
    let endpoints: Vec<usize> = memchr::memchr2_iter(b'e', b'E', hay)
        .filter(|&i| {
            hay.get(i..i + WORD.len())
                .is_some_and(|w| w.eq_ignore_ascii_case(WORD))
        })
        .collect();
    let (mut host_lines, mut word_lines) = (LineStarts::default(), LineStarts::default());
    let mut next_word = 0;
    let mut last_word: Option<(usize, usize)> = None;
    let mut out = Vec::new();
    for caps in re.captures_iter(hay) {
        let (Some(whole), Some(span)) = (caps.get_match(), caps.get_group(1)) else {
            continue;
        };
        if !stands_alone(hay, span.start, whole.end()) {
            continue;
        }
        let name = String::from_utf8_lossy(&hay[span.range()]).to_ascii_lowercase();
        if !is_dns_label(&name) {
            continue;
        }
        while let Some(&w) = endpoints.get(next_word)
            && w + WORD.len() <= span.start
        {
            last_word = Some((w, word_lines.at(hay, w)));
            next_word += 1;
        }
        let line = host_lines.at(hay, span.start);
        out.push(Spot {
            label: span.range(),
            end: whole.end(),
            name,
            endpoint: last_word.filter(|&(_, l)| l == line).map(|(w, _)| w),
        });
    }
    out
}

/// Line starts of increasing positions, each found by searching only the bytes since the
/// last: linear over a buffer however long its lines.
#[derive(Default)]
struct LineStarts {
    scanned: usize,
    start: usize,
}

impl LineStarts {
    fn at(&mut self, hay: &[u8], pos: usize) -> usize {
        if let Some(nl) = memchr::memrchr(b'\n', &hay[self.scanned..pos]) {
            self.start = self.scanned + nl + 1;
        }
        self.scanned = pos;
        self.start
    }
}

/// Bytes that continue a host name (a trailing `.` alone ends a sentence, not a host).
fn is_host_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'-' || b == b'_'
}

/// Whether `hay[start..end]` is a whole host name: no label or dot before it, and after it
/// nothing that continues it (`.evil.example`, `-x`).
fn stands_alone(hay: &[u8], start: usize, end: usize) -> bool {
    let before = start.checked_sub(1).map(|i| hay[i]);
    if before.is_some_and(|b| is_host_byte(b) || b == b'.') {
        return false;
    }
    match hay.get(end) {
        Some(&b) if is_host_byte(b) => false,
        Some(b'.') => !hay.get(end + 1).copied().is_some_and(is_host_byte),
        _ => true,
    }
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
            nearby_host("azure-openai", hay, start..start + 3),
            Some(NearbyHost {
                host: "my-res.openai.azure.com".into(),
                named: true
            })
        );
    }

    #[test]
    fn nearest_resource_wins_and_far_ones_are_ignored() {
        let mut hay = String::from("a.openai.azure.com\n");
        hay.push_str(&"\n".repeat(30));
        hay.push_str("b.openai.azure.com\nKEY\n# a longer line in between the key and c\n");
        hay.push_str("c.openai.azure.com\n");
        let start = hay.find("KEY").unwrap();
        let found = nearby_host("azure-openai", hay.as_bytes(), start..start + 3).unwrap();
        assert_eq!(
            (found.host.as_str(), found.named),
            ("b.openai.azure.com", false)
        );
        let far = format!("KEY{}x.openai.azure.com", "\n".repeat(40));
        assert_eq!(nearby_host("azure-openai", far.as_bytes(), 0..3), None);
    }

    #[test]
    fn a_host_must_stand_alone() {
        let host = |text: &str| {
            let hay = format!("{text}\nKEY\n");
            let start = hay.find("KEY").unwrap();
            nearby_host("azure-openai", hay.as_bytes(), start..start + 3).map(|h| h.host)
        };
        assert_eq!(
            host("https://attacker.openai.azure.com.evil.example/"),
            None
        );
        assert_eq!(host("https://a.b.openai.azure.com/"), None);
        assert_eq!(host("https://x.openai.azure.com-evil.example/"), None);
        assert_eq!(
            host("see res.openai.azure.com."),
            Some("res.openai.azure.com".into())
        );
        assert_eq!(
            host("\"https://res.openai.azure.com:443/\""),
            Some("res.openai.azure.com".into())
        );
    }

    #[test]
    fn the_configured_endpoint_wins_over_a_nearer_mention() {
        let hay = "AZURE_OPENAI_ENDPOINT=https://mine.openai.azure.com/\n\n\n\
                   # unlike other.openai.azure.com\nKEY\n";
        let start = hay.find("KEY").unwrap();
        let found = nearby_host("azure-openai", hay.as_bytes(), start..start + 3).unwrap();
        assert_eq!(
            (found.host.as_str(), found.named),
            ("mine.openai.azure.com", true)
        );
    }

    #[test]
    fn one_index_serves_every_key_of_a_long_line() {
        let unit = "AZURE_OPENAI_ENDPOINT=https://r1.openai.azure.com KEY ";
        let hay = unit.repeat(500);
        let mut index = HostIndex::default();
        for (i, _) in hay.match_indices("KEY").step_by(50) {
            let found = index
                .near("azure-openai", hay.as_bytes(), i..i + 3)
                .unwrap();
            assert_eq!(
                (found.host.as_str(), found.named),
                ("r1.openai.azure.com", true)
            );
            assert_eq!(
                found,
                nearby_host("azure-openai", hay.as_bytes(), i..i + 3).unwrap()
            );
        }
        // An endpoint setting on another line names nothing here.
        let hay = "ENDPOINT\nx.openai.azure.com KEY";
        let start = hay.find("KEY").unwrap();
        let found = nearby_host("azure-openai", hay.as_bytes(), start..start + 3).unwrap();
        assert!(!found.named);
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
        let hint = |h: &str| NearbyHost {
            host: h.into(),
            named: true,
        };
        assert_eq!(
            host_for("azure-openai", Some(&hint("res.openai.azure.com"))).as_deref(),
            Some("res.openai.azure.com")
        );
        assert_eq!(host_for("azure-openai", Some(&hint("evil.com"))), None);
        assert_eq!(
            host_for("azure-openai", Some(&hint("a.b.openai.azure.com"))),
            None
        );
        assert_eq!(
            host_for("azure-openai", Some(&hint("xopenai.azure.com"))),
            None
        );
        assert_eq!(host_for("azure-openai", None), None);
        assert_eq!(
            host_for("openai", Some(&hint("evil.com"))).as_deref(),
            Some("api.openai.com")
        );
        assert_eq!(host_for("acme", None), None);
    }
}

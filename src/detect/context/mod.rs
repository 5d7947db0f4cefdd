//! Context for keys without a prefix (Mistral, Cohere, Azure OpenAI, AWS secret keys...): is a
//! word that names the provider close enough to the candidate to explain it?
//!
//! Closeness is counted in lines, `lines_before` above and `lines_after` below the candidate
//! (a Kubernetes `- name: MISTRAL_API_KEY` sits one line above its `value:`). Refinements keep
//! a provider's name from vouching for values that are not its keys:
//!
//! - A word that labels another value of the rule's shape is spent on it: in `.env` files
//!   `AZURE_OPENAI_API_KEY=<k1>` says nothing about `SECRET_KEY=<k2>` on the next line, while
//!   `- name: AZURE_OPENAI_API_KEY` (the word in a value) or `# Azure OpenAI` still vouch for
//!   their neighbours.
//! - Words elsewhere vouch only for a value whose own name is generic (`api_key`, `token`,
//!   `LLM_API_KEY`, `value`) or absent: `OPENWEATHER_API_KEY=<k>` is OpenWeather's key whatever
//!   sits next to it.
//! - On the candidate's own line, only words within [`SAME_LINE_REACH`] bytes count, so one
//!   mention in a minified bundle does not vouch for every hash on its single line.
//! - A candidate whose own label says what it is (`request_id`, `checksum`, `session_secret`,
//!   `DATADOG_API_KEY`) is not a provider key whatever surrounds it
//!   ([`label_names_something_else`]).
//! - A rule's `exclude` words name other services with keys of the same shape (DashScope's
//!   `sk-` + 32 hex for DeepSeek): in the candidate's label or on its line, nearer than the
//!   rule's own context, they reject it.

use std::ops::Range;

use crate::lines::{line_end, line_start};
use crate::rules::{Context, Rule};

/// Cap on a context window's reach either side of the candidate, in bytes.
pub const CONTEXT_CAP: usize = 2048;

/// How far a context word on the candidate's own line may be, in bytes. Lines of ordinary
/// files are shorter than this; minified files and notebooks' one-line outputs are not.
pub const SAME_LINE_REACH: usize = 160;

/// Shortest value a label can be spent on (see `is_spent`).
const MIN_BOUND_VALUE: usize = 16;

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

/// The byte range of the lines a context word may sit on for a candidate starting at `pos`:
/// `before` lines above to `after` lines below, clipped to [`CONTEXT_CAP`] either side.
pub fn window(hay: &[u8], pos: usize, before: usize, after: usize) -> Range<usize> {
    crate::lines::line_window(hay, pos, before, after, CONTEXT_CAP)
}

/// Every occurrence of `ctx`'s keywords in `range` of `hay`, sorted by position. The engine
/// already has these for context-anchored rules; keyword rules with a context use this.
pub fn find_hits(hay: &[u8], range: Range<usize>, ctx: &Context) -> Vec<Range<usize>> {
    let text = &hay[range.clone()];
    let mut hits = Vec::new();
    for k in &ctx.keywords {
        for i in memchr::memmem::find_iter(text, k.as_bytes()) {
            let start = range.start + i;
            hits.push(start..start + k.len());
        }
    }
    hits.sort_unstable_by_key(|h| h.start);
    hits
}

/// Where a candidate sits, for ranking the words around it.
struct Spot<'a> {
    hay: &'a [u8],
    secret: Range<usize>,
    label: Option<Range<usize>>,
    /// The candidate's own name is generic (or absent): neighbours may explain it.
    generic: bool,
    line: Range<usize>,
    /// The context window in lines above and below.
    before: usize,
    after: usize,
}

impl Spot<'_> {
    fn new<'h>(
        hay: &'h [u8],
        secret: Range<usize>,
        label: Option<Range<usize>>,
        ctx: &Context,
    ) -> Spot<'h> {
        let generic = label.as_ref().is_none_or(|l| is_generic(&hay[l.clone()]));
        let line = line_start(hay, secret.start)..line_end(hay, secret.start);
        Spot {
            hay,
            secret,
            label,
            generic,
            line,
            before: ctx.lines_before,
            after: ctx.lines_after,
        }
    }

    /// The rank of a word at `h` (lower is nearer): 0 in the candidate's own label; then on
    /// its line, nearer bytes first; then other lines, nearer first and above before below
    /// (names usually come first). `None` when the word cannot explain the candidate.
    fn rank(&self, h: &Range<usize>) -> Option<u32> {
        let secret = &self.secret;
        if h.start < secret.end && secret.start < h.end {
            // A word inside the candidate is chance ("...AWSq4..."), not context.
            return None;
        }
        if self
            .label
            .as_ref()
            .is_some_and(|l| l.start <= h.start && h.end <= l.end)
        {
            return Some(0);
        }
        if !self.generic {
            return None;
        }
        if h.start >= self.line.start && h.end <= self.line.end {
            let (gap, lo, hi, below) = if h.end <= secret.start {
                (secret.start - h.end, h.end, secret.start, 0)
            } else {
                let gap = h.start.saturating_sub(secret.end);
                (gap, secret.end, h.start, 1)
            };
            // JSON-escaped text (a notebook cell stored as one string) breaks lines with `\n`.
            let escaped = memchr::memmem::find_iter(&self.hay[lo..hi], b"\\n").count();
            if escaped > 0 {
                let reach = if below == 1 { self.after } else { self.before };
                return (escaped <= reach).then_some(((2 * escaped + below) as u32) << 16);
            }
            return (gap <= SAME_LINE_REACH).then_some(1 + gap as u32);
        }
        let (lo, hi, below) = if h.start < secret.start {
            (h.start, secret.start, 0)
        } else {
            (secret.start, h.start, 1)
        };
        let lines = memchr::memchr_iter(b'\n', &self.hay[lo..hi]).count() as u32;
        Some((2 * lines + below) << 16)
    }
}

/// How well the nearest context word explains `secret` (see `Spot::rank`); `None` when no
/// word in the window vouches for it. `hits` must be sorted; `label` is the candidate's
/// [`own_label`].
pub fn distance(
    hay: &[u8],
    secret: Range<usize>,
    label: Option<Range<usize>>,
    rule: &Rule,
    ctx: &Context,
    hits: &[Range<usize>],
) -> Option<u32> {
    let w = window(hay, secret.start, ctx.lines_before, ctx.lines_after);
    let spot = Spot::new(hay, secret, label, ctx);
    let first = hits.partition_point(|h| h.start < w.start);
    hits[first..]
        .iter()
        .take_while(|h| h.end <= w.end)
        .filter(|h| starts_a_word_if_needed(hay, h, ctx))
        .filter_map(|h| {
            let rank = spot.rank(h)?;
            // A word that labels another candidate of the rule explains that one instead.
            (rank == 0 || !is_spent(hay, h.clone(), rule, &spot.secret)).then_some(rank)
        })
        .min()
}

/// False for a hit of a `word_start` keyword (`\bapi-key`) in the middle of a word
/// (`llm-api-key`, `x-api-key`).
fn starts_a_word_if_needed(hay: &[u8], h: &Range<usize>, ctx: &Context) -> bool {
    if ctx.word_start.is_empty()
        || !ctx
            .word_start
            .iter()
            .any(|k| k.as_bytes() == &hay[h.clone()])
    {
        return true;
    }
    h.start
        .checked_sub(1)
        .is_none_or(|p| !(hay[p].is_ascii_alphanumeric() || matches!(hay[p], b'_' | b'-' | b'.')))
}

/// The rank of the nearest of `ctx.exclude`'s words (case-insensitive whole words), as in
/// [`distance`], on the candidate's own line only: a common word such as `search` a few lines
/// away (`FEATURE_FLAGS="search,chat"`) says nothing about the key.
pub fn exclusion(
    hay: &[u8],
    secret: Range<usize>,
    label: Option<Range<usize>>,
    ctx: &Context,
) -> Option<u32> {
    if ctx.exclude.is_empty() {
        return None;
    }
    let w = window(hay, secret.start, ctx.lines_before, ctx.lines_after);
    let lower = hay[w.clone()].to_ascii_lowercase();
    let spot = Spot::new(hay, secret, label, ctx);
    ctx.exclude
        .iter()
        .flat_map(|x| {
            memchr::memmem::find_iter(&lower, x.as_bytes())
                .map(|i| w.start + i..w.start + i + x.len())
                .filter(|h| is_whole_word(hay, h))
                .collect::<Vec<_>>()
        })
        .filter_map(|h| spot.rank(&h))
        .filter(|&rank| rank < 1 << 16)
        .min()
}

/// True when `hay[r]` is a word of its identifier or text: not preceded or followed by a letter
/// of the same word (`search` in `AZURE_SEARCH_KEY` or `azureSearchKey`, not in `research`).
fn is_whole_word(hay: &[u8], r: &Range<usize>) -> bool {
    let (first, last) = (hay[r.start], hay[r.end - 1]);
    let left = r.start.checked_sub(1).map(|i| hay[i]).is_none_or(|p| {
        !p.is_ascii_alphabetic() || (p.is_ascii_lowercase() && first.is_ascii_uppercase())
    });
    let right = hay.get(r.end).is_none_or(|&n| {
        !n.is_ascii_alphabetic() || (n.is_ascii_uppercase() && last.is_ascii_lowercase())
    });
    left && right
}

/// A candidate on a line longer than this is in minified or generated code, where a mention of
/// the provider is usually unrelated: it must be a named value (`apiKey:"<k>"`).
pub const LONG_LINE: usize = 1024;

/// True when the candidate sits on a [`LONG_LINE`] without a label of three or more bytes
/// (minifiers shorten variables to one or two letters but keep property names).
pub fn unnamed_in_long_line(hay: &[u8], secret_start: usize, label: Option<&Range<usize>>) -> bool {
    let len = line_end(hay, secret_start) - line_start(hay, secret_start);
    len > LONG_LINE && label.is_none_or(|l| l.len() < 3)
}

/// True when the context word at `hit` labels a value that is itself a candidate of `rule`,
/// other than `secret`: the first value after the word on its line (`AZURE_OPENAI_API_KEY=<k1>`,
/// `"mistral_key": "<k1>"`, `ENV CO_API_KEY <k1>`). The word explains that value and no other.
/// `twilio_account_sid = AC...` labels no Twilio key, so it still vouches for its neighbours;
/// `- name: MISTRAL_API_KEY` labels nothing on its line.
fn is_spent(hay: &[u8], hit: Range<usize>, rule: &Rule, secret: &Range<usize>) -> bool {
    let start = line_start(hay, hit.start);
    let end = line_end(hay, hit.start);
    let value_start = match find_operator(&hay[hit.end..end]) {
        Some((_, value)) => hit.end + value,
        // No operator: `ENV NAME value`, `NAME value`. The last word is the value.
        None => match hay[start..end].iter().rposition(u8::is_ascii_whitespace) {
            Some(sp) if start + sp >= hit.end => start + sp + 1,
            _ => return false,
        },
    };
    let value = token_at(hay, value_start, end);
    value.len() >= MIN_BOUND_VALUE
        && value.start != secret.start
        && rule
            .compiled()
            .is_ok_and(|re| re.regex.is_match(&hay[value]))
}

/// The byte range of the first token of `hay[from..to]` (see [`first_token`]).
fn token_at(hay: &[u8], from: usize, to: usize) -> Range<usize> {
    let v = &hay[from..to];
    let token = first_token(v);
    let start = from + (token.as_ptr() as usize - v.as_ptr() as usize);
    start..start + token.len()
}

/// The first assignment operator of `line` (`=`, `:`, `:=`, `=>`), skipping `==`, `::` and the
/// `://` of URLs: its offset and the offset where the value starts.
fn find_operator(line: &[u8]) -> Option<(usize, usize)> {
    let mut i = 0;
    while i < line.len() {
        match line[i] {
            b'=' => {
                let next = line.get(i + 1).copied();
                let prev = i.checked_sub(1).map(|p| line[p]);
                if next == Some(b'=') {
                    i += 2;
                    continue;
                }
                if matches!(prev, Some(b'!' | b'<' | b'>')) {
                    i += 1;
                    continue;
                }
                let after = if next == Some(b'>') { i + 2 } else { i + 1 };
                return Some((i, after));
            }
            b':' => {
                let rest = &line[i + 1..];
                if rest.starts_with(b":") {
                    i += 2;
                    continue;
                }
                if rest.starts_with(b"//") {
                    i += 3;
                    continue;
                }
                let after = if rest.starts_with(b"=") { i + 2 } else { i + 1 };
                return Some((i, after));
            }
            _ => i += 1,
        }
    }
    None
}

/// Quotes, escapes and brackets around values and labels.
fn is_wrapper(b: u8) -> bool {
    matches!(
        b,
        b' ' | b'\t' | b'\r' | b'\n' | b'"' | b'\'' | b'`' | b'\\' | b'[' | b']'
    )
}

/// The value's first token: past spaces and quotes, up to a space, quote or separator.
fn first_token(v: &[u8]) -> &[u8] {
    let start = v.iter().position(|&b| !is_wrapper(b)).unwrap_or(v.len());
    let v = &v[start..];
    let end = v
        .iter()
        .position(|&b| is_wrapper(b) || matches!(b, b',' | b';' | b')' | b'}' | b'#'))
        .unwrap_or(v.len());
    &v[..end]
}

/// The name a candidate is assigned to on its line, if the line says: `api_key` in
/// `api_key = "<k>"`, `MISTRAL_API_KEY` in `os.environ["MISTRAL_API_KEY"] = "<k>"`,
/// `os.Setenv("MISTRAL_API_KEY", "<k>")` or `const MISTRAL_API_KEY: &str = "<k>"`, and for
/// `value: <k>` the `name:` just before it (Kubernetes env lists, ECS and App Service
/// settings). Returned as a byte range of `hay`.
pub fn own_label(hay: &[u8], secret_start: usize) -> Option<Range<usize>> {
    let line_at = line_start(hay, secret_start);
    let mut i = skip_back(hay, line_at, secret_start, is_wrapper);
    if i > line_at && hay[i - 1] == b'=' {
        i -= 1;
        if i > line_at && matches!(hay[i - 1], b':' | b'!') {
            i -= 1;
        }
    } else if i > line_at + 1 && &hay[i - 2..i] == b"=>" {
        i -= 2;
    } else if i > line_at && matches!(hay[i - 1], b':' | b',') {
        i -= 1;
    } else {
        return spaced_label(hay, line_at, secret_start);
    }
    let mut label = name_before(hay, line_at, i)?;
    // A type between name and value: `NAME: &str =`, `name: string =`, `var name string =`.
    if TYPE_WORDS
        .iter()
        .any(|t| t.as_bytes() == &hay[label.clone()])
    {
        let j = skip_back(hay, line_at, label.start, |b| {
            matches!(b, b' ' | b'\t' | b'&' | b':')
        });
        label = name_before(hay, line_at, j).unwrap_or(label);
    }
    if hay[label.clone()].eq_ignore_ascii_case(b"value") {
        return Some(named_value(hay, label.start).unwrap_or(label));
    }
    if &hay[label.clone()] == b"default" {
        return Some(terraform_variable(hay, label.start).unwrap_or(label));
    }
    Some(label)
}

/// Commands that set a variable without an operator: `ENV NAME value` (Dockerfile), `ARG`,
/// `setx NAME value` (Windows), `set -gx NAME value` (fish).
const SETTERS: &[&[u8]] = &[b"ENV", b"ARG", b"setx", b"set"];

/// The name in `ENV NAME <value>`: the word before the value, after a setter command.
fn spaced_label(hay: &[u8], line_at: usize, value_at: usize) -> Option<Range<usize>> {
    let value_at = skip_back(hay, line_at, value_at, |b| matches!(b, b'"' | b'\''));
    if value_at == line_at || !hay[value_at - 1].is_ascii_whitespace() {
        return None;
    }
    let name = name_before(
        hay,
        line_at,
        skip_back(hay, line_at, value_at, |b| b == b' ' || b == b'\t'),
    )?;
    let words: Vec<&[u8]> = hay[line_at..name.start]
        .split(u8::is_ascii_whitespace)
        .filter(|w| !w.is_empty())
        .collect();
    words
        .first()
        .is_some_and(|w| SETTERS.contains(w))
        .then_some(name)
}

/// For a `default` label at `at`: the name of the Terraform `variable "NAME" {` block it sits
/// in, within the three lines above.
fn terraform_variable(hay: &[u8], at: usize) -> Option<Range<usize>> {
    let mut from = line_start(hay, at);
    for _ in 0..3 {
        if from == 0 {
            break;
        }
        from = line_start(hay, from - 1);
    }
    let v = from + memchr::memmem::rfind(&hay[from..at], b"variable \"")?;
    let name = v + b"variable \"".len();
    let end = name + memchr::memchr(b'"', &hay[name..at])?;
    (end > name).then_some(name..end)
}

/// Type names that may sit between a variable and its value.
const TYPE_WORDS: &[&str] = &["str", "string", "String", "&str", "'static"];

/// Moves `i` back over bytes matching `skip`, not past `floor`.
fn skip_back(hay: &[u8], floor: usize, mut i: usize, skip: impl Fn(u8) -> bool) -> usize {
    while i > floor && skip(hay[i - 1]) {
        i -= 1;
    }
    i
}

/// The identifier ending just before `end` (past quotes and brackets), not before `floor`.
/// A token that looks like a value rather than a name (`AC3f9c...` in `Client("AC3f9c...",
/// "<k>")`, an `AKIA...` key id before its secret) is no label.
fn name_before(hay: &[u8], floor: usize, end: usize) -> Option<Range<usize>> {
    let end = skip_back(hay, floor, end, is_wrapper);
    let start = skip_back(hay, floor, end, |b| {
        b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.')
    });
    // `\nAPI_KEY = ...` in JSON-escaped code: the `n` belongs to the escape.
    let start =
        if start > floor && hay[start - 1] == b'\\' && matches!(hay[start], b'n' | b't' | b'r') {
            start + 1
        } else {
            start
        };
    let name = &hay[start..end];
    let digits = name.iter().filter(|b| b.is_ascii_digit()).count();
    let separated = name.iter().any(|b| matches!(b, b'_' | b'-' | b'.'));
    let value_like = !separated && (digits > 4 || (name.len() >= 16 && digits > 0));
    (start < end && !value_like).then_some(start..end)
}

/// For a `value` label at `at`: the token after the nearest `name:` / `name =` on the same or
/// the previous line.
fn named_value(hay: &[u8], at: usize) -> Option<Range<usize>> {
    let own = line_start(hay, at);
    let from = if own > 0 {
        line_start(hay, own - 1)
    } else {
        own
    };
    let n = from + memchr::memmem::rfind(&hay[from..at], b"name")?;
    let rest = &hay[n + 4..at];
    let op = rest.iter().position(|&b| !is_wrapper(b))?;
    if !matches!(rest[op], b':' | b'=') {
        return None;
    }
    let value = token_at(hay, n + 4 + op + 1, at);
    (!value.is_empty()).then_some(value)
}

/// True when `label`'s words say the value is something other than a provider's API key.
pub fn label_names_something_else(label: &[u8]) -> bool {
    let is = |w: &[u8], list: &[&str]| list.iter().any(|k| k.as_bytes().eq_ignore_ascii_case(w));
    words(label).any(|w| is(w, NOT_A_KEY_WORDS))
        || words(label).last().is_some_and(|w| is(w, NOT_A_KEY_HEADS))
}

/// True when `label` (its last dotted part) starts with a generic word or a number.
fn is_generic(label: &[u8]) -> bool {
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

    /// A Mistral-like rule with a context window of `before`/`after` lines.
    fn rule(keywords: &str, before: usize, after: usize) -> crate::rules::RuleSet {
        let toml = format!(
            r#"
[provider]
id = "t"
name = "T"
revoke = "x"

[[rule]]
id = "t-key"
name = "T key"
description = "d"
regex = '(?:^|[^A-Za-z0-9_+/.-])([A-Za-z0-9]{{32}})(?:[^A-Za-z0-9_+/=.-]|$)'
severity = "5.0"
precision = "high"
remediation = "r"
examples = ["x"]

[rule.context]
keywords = [{keywords}]
lines_before = {before}
lines_after = {after}
"#
        );
        let mut set = crate::rules::RuleSet::default();
        set.add_source("test.toml", &toml).unwrap();
        set
    }

    fn ctx(before: usize, after: usize) -> crate::rules::RuleSet {
        rule(r#""MISTRAL", "mistral""#, before, after)
    }

    fn ctx_cased() -> crate::rules::RuleSet {
        rule(r#""Mistral""#, 3, 3)
    }

    fn dist(text: &str, key: &str, set: &crate::rules::RuleSet) -> Option<u32> {
        let r = &set.rules()[0];
        let c = r.context.as_ref().unwrap();
        let hay = text.as_bytes();
        let at = text.rfind(key).unwrap();
        let hits = find_hits(hay, 0..hay.len(), c);
        let label = own_label(hay, at);
        distance(hay, at..at + key.len(), label, r, c, &hits)
    }

    #[test]
    fn distance_counts_lines_and_prefers_above() {
        let c = ctx(3, 3);
        assert_eq!(dist("MISTRAL_API_KEY=Zq9", "Zq9", &c), Some(0));
        assert_eq!(dist("key = KEY # mistral", "KEY", &c), Some(1 + 3));
        assert_eq!(
            dist("# mistral\nx = 1\ntoken = KEY", "KEY", &c),
            Some(4 << 16)
        );
        assert_eq!(dist("api_key = KEY\n# mistral", "KEY", &c), Some(3 << 16));
        assert_eq!(dist("# mistral\n1\n2\n3\n4\nkey = KEY", "KEY", &c), None);
        assert_eq!(dist("key = KEY\n# mistral", "KEY", &ctx(3, 0)), None);
    }

    #[test]
    fn escaped_newlines_count_as_lines() {
        let c = ctx(3, 3);
        let pad = "x = 1\\n".repeat(30);
        let cell = format!("\"from mistralai import Mistral\\n{pad}\"");
        assert_eq!(dist(&format!("{cell}api_key = Zq9"), "Zq9", &c), None);
        let cell = format!(
            "\"from mistralai import Mistral\\n\\n{}api_key = Zq9\"",
            " ".repeat(200)
        );
        assert_eq!(dist(&cell, "Zq9", &c), Some(4 << 16));
    }

    #[test]
    fn word_start_keywords() {
        let set = rule(r#""\\bapi-key""#, 3, 3);
        let d = |text: &str| dist(text, "Zq9", &set);
        assert_eq!(d("curl -H \"api-key: Zq9\""), Some(0));
        assert_eq!(d("api-key: Zq9"), Some(0));
        assert_eq!(d("llm-api-key: Zq9"), None);
        assert_eq!(d("-H \"x-api-key: Zq9\""), None);
    }

    #[test]
    fn neighbours_vouch_only_for_generic_names() {
        let c = ctx(3, 3);
        assert_eq!(dist("# mistral\nLLM_API_KEY=Zq9", "Zq9", &c), Some(2 << 16));
        assert_eq!(
            dist("# mistral\nself.api_key = Zq9", "Zq9", &c),
            Some(2 << 16)
        );
        assert_eq!(dist("# mistral\nOPENWEATHER_API_KEY=Zq9", "Zq9", &c), None);
        assert_eq!(dist("provider: mistral\ngiphyKey: Zq9", "Zq9", &c), None);
        // The provider's own name in the label always counts.
        assert_eq!(dist("PROD_MISTRAL_KEY=Zq9", "Zq9", &c), Some(0));
    }

    #[test]
    fn excluded_words_nearer_than_the_context_reject() {
        let set = rule("\"mistral\"]\nexclude = [\"DashScope\"", 3, 3);
        let r = &set.rules()[0];
        let c = r.context.as_ref().unwrap();
        let x = |text: &str| {
            let at = text.rfind("Zq9").unwrap();
            exclusion(
                text.as_bytes(),
                at..at + 3,
                own_label(text.as_bytes(), at),
                c,
            )
        };
        assert_eq!(x("DASHSCOPE_API_KEY=Zq9"), Some(0));
        assert_eq!(x("api_key=Zq9  # DashScope"), Some(1 + 4));
        assert_eq!(x("api_key=Zq9"), None);
        assert_eq!(x("FLAGS=\"dashscope,chat\"\napi_key=Zq9"), None);
        assert_eq!(x("dashscopeKey=Zq9"), Some(0));
        assert_eq!(x("api_key=Zq9  # notdashscoped"), None);
    }

    #[test]
    fn a_word_inside_the_candidate_is_not_context() {
        let c = ctx(3, 3);
        assert_eq!(dist("key = abcMISTRALdef", "abcMISTRALdef", &c), None);
    }

    #[test]
    fn a_label_is_spent_on_its_own_value() {
        let c = ctx(3, 3);
        // Built at run time: this repository holds no key-shaped literal.
        let v = ["Q7fLm2ZpX9aVt4Rk", "8WcN3hJd6YsB1eGu"].concat();
        assert_eq!(
            dist(&format!("MISTRAL_API_KEY={v}\nAPI_KEY=Zq9"), "Zq9", &c),
            None
        );
        assert_eq!(
            dist(
                &format!("ENV MISTRAL_API_KEY {v}\nENV API_KEY Zq9"),
                "Zq9",
                &c
            ),
            None
        );
        // A value that is no candidate of the rule does not spend its label.
        assert_eq!(
            dist("MISTRAL_SID=AC12345678901234567890\nTOKEN=Zq9", "Zq9", &c),
            Some(2 << 16)
        );
        // On one line too: the word labels the next pair's value, not this one.
        assert_eq!(
            dist(
                &format!("{{\"key\": \"Zq9\", \"MISTRAL_KEY\": \"{v}\"}}"),
                "Zq9",
                &c
            ),
            None
        );
        // A word in a value, a comment, a block name or a short value still vouches.
        // The `name:` of a Kubernetes env entry is its value's label.
        assert_eq!(
            dist("- name: MISTRAL_API_KEY\n  value: Zq9", "Zq9", &c),
            Some(0)
        );
        assert_eq!(
            dist("- name: MISTRAL\n- name: X\n  value: Zq9", "Zq9", &c),
            Some(4 << 16)
        );
        assert_eq!(dist("# Mistral\nZq9", "Zq9", &ctx_cased()), Some(2 << 16));
        assert_eq!(dist("mistral:\n  api_key: Zq9", "Zq9", &c), Some(2 << 16));
        assert_eq!(
            dist("MISTRAL_MODEL=large\nAPI_KEY=Zq9", "Zq9", &c),
            Some(2 << 16)
        );
        assert_eq!(
            dist("MISTRAL_API_KEY=${MISTRAL_API_KEY}\nAPI_KEY=Zq9", "Zq9", &c),
            Some(2 << 16)
        );
    }

    #[test]
    fn same_line_words_must_be_near() {
        let c = ctx(3, 3);
        let far = format!("mistral{}KEY", " ".repeat(SAME_LINE_REACH + 1));
        assert_eq!(dist(&far, "KEY", &c), None);
        let near = format!("mistral{}KEY", " ".repeat(SAME_LINE_REACH));
        assert_eq!(dist(&near, "KEY", &c), Some(1 + SAME_LINE_REACH as u32));
    }

    #[test]
    fn own_labels() {
        let label = |t: &str| {
            let at = t.rfind("KEY").unwrap();
            own_label(t.as_bytes(), at).map(|l| t[l].to_string())
        };
        assert_eq!(label("api_key = \"KEY\"").as_deref(), Some("api_key"));
        assert_eq!(
            label("os.environ[\"X_Y\"] = \"KEY\"").as_deref(),
            Some("X_Y")
        );
        assert_eq!(label("os.Setenv(\"X_Y\", \"KEY\")").as_deref(), Some("X_Y"));
        assert_eq!(label("  \"apiKey\": \"KEY\",").as_deref(), Some("apiKey"));
        assert_eq!(
            label("- name: SESSION_SECRET\n  value: \"KEY\"").as_deref(),
            Some("SESSION_SECRET")
        );
        assert_eq!(label("const X_Y: &str = \"KEY\";").as_deref(), Some("X_Y"));
        assert_eq!(label("const xY: string = 'KEY';").as_deref(), Some("xY"));
        assert_eq!(
            label("{\"name\": \"X_Y\", \"value\": \"KEY\"}").as_deref(),
            Some("X_Y")
        );
        assert_eq!(
            label("\"x = 1\\nLLM_API_KEY = \\\"KEY\\\"").as_deref(),
            Some("LLM_API_KEY")
        );
        assert_eq!(
            label("ENV SESSION_SECRET KEY").as_deref(),
            Some("SESSION_SECRET")
        );
        assert_eq!(
            label("variable \"session_secret\" {\n  type    = string\n  default = \"KEY\"")
                .as_deref(),
            Some("session_secret")
        );
        assert_eq!(label("Authorization: Bearer KEY"), None);
        assert_eq!(label("Client(\"AC0123456789abcdef\", \"KEY\")"), None);
        let id = ["AKIA", "UWOE2AWE9BLY8Q7R"].concat();
        assert_eq!(label(&format!("Creds(\"{id}\", \"KEY\")")), None);
        assert_eq!(label("Mistral(\"KEY\")"), None);
        assert_eq!(label("KEY"), None);
    }

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

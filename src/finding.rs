//! Findings: a validated secret with its place, a content-based fingerprint and the redacted
//! forms every report prints. The raw secret stays inside [`Secret`], whose `Debug` is
//! redacted, so it cannot reach a log by accident.

use std::{fmt, ops::Range, sync::Arc};

use serde::Serialize;
use sha2::{Digest, Sha256};

use crate::rules::Rule;

/// A raw secret. Printing it takes an explicit [`Secret::expose`].
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct Secret(String);

impl Secret {
    pub fn new(s: String) -> Secret {
        Secret(s)
    }

    pub fn expose(&self) -> &str {
        &self.0
    }

    /// The first four characters and the length: enough to recognise a key, useless to abuse.
    pub fn redacted(&self) -> String {
        let shown: String = self.0.chars().take(4).collect();
        format!("{shown}…[{} chars]", self.0.chars().count())
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Secret({})", self.redacted())
    }
}

/// 1-based line and column (in characters) of a finding's first and last character.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Location {
    pub line: usize,
    pub column: usize,
    pub end_line: usize,
    pub end_column: usize,
}

/// The line a secret starts on, clipped around it, with the secret's byte range in `text`.
#[derive(Debug, Clone)]
pub struct Snippet {
    pub text: String,
    pub secret: Range<usize>,
}

impl Snippet {
    /// The line with the secret replaced by its redacted form (or kept, with `show`).
    pub fn render(&self, secret: &Secret, show: bool) -> String {
        let shown = if show {
            secret.expose().to_string()
        } else {
            secret.redacted()
        };
        format!(
            "{}{}{}",
            &self.text[..self.secret.start],
            shown,
            &self.text[self.secret.end..]
        )
    }
}

/// The commit that introduced a finding's blob (history scans only).
#[derive(Debug, Clone, Default, Serialize)]
pub struct Commit {
    pub id: String,
    /// Author name.
    pub author: String,
    pub email: String,
    /// Author date, ISO 8601 with the author's UTC offset.
    pub date: String,
    /// First line of the commit message.
    pub summary: String,
}

/// Result of `--verify` for a finding; `None` on the finding when not verified.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "state", rename_all = "lowercase")]
pub enum Verification {
    Live,
    Invalid,
    Unknown { reason: String },
}

#[derive(Debug, Clone)]
pub struct Finding {
    pub rule: Arc<Rule>,
    /// Path as reported (relative to the scan root as given on the command line).
    pub path: String,
    pub location: Location,
    pub secret: Secret,
    pub snippet: Snippet,
    pub fingerprint: String,
    /// A context word of the rule was near the secret.
    pub context_seen: bool,
    pub commit: Option<Commit>,
    pub verification: Option<Verification>,
    /// A service host named near the secret, for providers whose liveness check needs one
    /// (an Azure OpenAI resource endpoint). Found at scan time, while the blob is at hand.
    pub nearby_host: Option<String>,
}

/// Hashes rule id, secret and path: stable when lines move or history is rewritten, and it
/// never reveals the secret.
pub fn fingerprint(rule_id: &str, secret: &str, path: &str) -> String {
    let mut h = Sha256::new();
    h.update(rule_id.as_bytes());
    h.update([0]);
    h.update(secret.as_bytes());
    h.update([0]);
    h.update(path.as_bytes());
    hex(&h.finalize()[..16])
}

pub fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut s = String::with_capacity(bytes.len() * 2);
    for &b in bytes {
        s.push(DIGITS[(b >> 4) as usize] as char);
        s.push(DIGITS[(b & 15) as usize] as char);
    }
    s
}

/// Clips the line around `secret` to a readable width. `others` are the spans of every
/// secret found in the buffer: any of them inside the snippet is redacted there for good, so a
/// finding never shows its neighbour's secret.
pub fn snippet(hay: &[u8], secret: Range<usize>, others: &[Range<usize>]) -> Snippet {
    const BEFORE: usize = 80;
    const AFTER: usize = 60;
    let line_start = crate::lines::line_start(hay, secret.start);
    let line_end = crate::lines::line_end(hay, secret.start).max(secret.start);
    let secret_end = secret.end.min(line_end);
    let from = line_start.max(secret.start.saturating_sub(BEFORE));
    let to = line_end.min(secret_end + AFTER);
    let head = masked(hay, from..secret.start, others);
    let body = String::from_utf8_lossy(&hay[secret.start..secret_end]);
    let tail = masked(hay, secret_end..to, others);
    let head = head.trim_start();
    let tail = tail.trim_end();
    let mut text = String::with_capacity(head.len() + body.len() + tail.len() + 6);
    if from > line_start {
        text.push('…');
    }
    text.push_str(head);
    let s = text.len();
    text.push_str(&body);
    let e = text.len();
    text.push_str(tail);
    if to < line_end {
        text.push('…');
    }
    Snippet { text, secret: s..e }
}

/// `hay[range]` as text with the parts of `others` inside it redacted.
fn masked(hay: &[u8], range: Range<usize>, others: &[Range<usize>]) -> String {
    let mut out = String::new();
    let mut pos = range.start;
    for o in others {
        if o.end <= pos || o.start >= range.end {
            continue;
        }
        let start = o.start.max(pos);
        out.push_str(&String::from_utf8_lossy(&hay[pos..start]));
        let whole = Secret::new(String::from_utf8_lossy(&hay[o.clone()]).into_owned());
        out.push_str(&whole.redacted());
        pos = o.end.min(range.end);
    }
    out.push_str(&String::from_utf8_lossy(&hay[pos..range.end]));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn redaction_hides_all_but_four_chars() {
        let s = Secret::new("sk-ant-api03-abcdefgh".into());
        assert_eq!(s.redacted(), "sk-a…[21 chars]");
        assert!(!format!("{s:?}").contains("abcdefgh"));
    }

    #[test]
    fn snippet_clips_and_masks() {
        let hay = b"x\n   key = \"SECRET123\" # note\n";
        let own = 12..21;
        let sn = snippet(hay, own.clone(), std::slice::from_ref(&own));
        assert_eq!(sn.text, "key = \"SECRET123\" # note");
        let s = Secret::new("SECRET123".into());
        assert_eq!(sn.render(&s, false), "key = \"SECR…[9 chars]\" # note");
    }

    #[test]
    fn snippet_redacts_other_secrets_on_the_line() {
        let hay = b"a=SECRETONE b=SECRETTWO";
        let sn = snippet(hay, 2..11, &[2..11, 14..23]);
        assert_eq!(sn.text, "a=SECRETONE b=SECR…[9 chars]");
    }

    #[test]
    fn fingerprint_depends_on_rule_secret_path() {
        let a = fingerprint("r", "s", "p");
        assert_eq!(a.len(), 32);
        assert_ne!(a, fingerprint("r", "s", "q"));
        assert_ne!(a, fingerprint("r2", "s", "p"));
    }
}

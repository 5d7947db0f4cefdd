//! Findings: a validated secret with its place, a content-based fingerprint and the redacted
//! forms every report prints. The raw secret stays inside [`Secret`], whose `Debug` is
//! redacted, so it cannot reach a log by accident.

use std::{fmt, ops::Range, sync::Arc};

use serde::Serialize;
use sha2::{Digest, Sha256};

use crate::rules::{Precision, Rule, hosts::NearbyHost};

/// Secrets shorter than this show none of their characters when redacted.
pub const SHOWN_FROM: usize = 16;

/// The path findings in a commit message show (`--git`, `--commit-msg`).
pub const COMMIT_MESSAGE: &str = "<commit message>";

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

    /// The length, and for secrets of at least [`SHOWN_FROM`] characters the first four:
    /// enough to recognise a key, useless to abuse. Four characters of a short secret (a user
    /// rule's PIN or password) would give most of it away, so those show none. A PEM block
    /// shows its header line instead (`-----BEGIN RSA PRIVATE KEY-----`), which says what the
    /// key is and holds nothing of it.
    pub fn redacted(&self) -> String {
        let mut out = String::new();
        redact_into(&self.0, &mut out);
        out
    }
}

/// Appends [`Secret::redacted`]'s form of `s` to `out`, without a `Secret` or a copy of `s`
/// (a snippet redacts each neighbour this way).
fn redact_into(s: &str, out: &mut String) {
    use std::fmt::Write;
    let len = s.chars().count();
    if let Some(header) = pem_header(s) {
        out.push_str(header);
    } else if len >= SHOWN_FROM {
        out.extend(s.chars().take(4));
    }
    let _ = write!(out, "…[{len} chars]");
}

/// `-----BEGIN … KEY-----` (or `… KEY BLOCK-----`) when `s` is a multi-line PEM block.
fn pem_header(s: &str) -> Option<&str> {
    let (first, _) = s.split_once('\n')?;
    let first = first.trim_end_matches('\r');
    let label = first.strip_prefix("-----BEGIN ")?.strip_suffix("-----")?;
    label
        .bytes()
        .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b' ')
        .then_some(first)
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

impl Location {
    /// Moves a location found in a window of a stream to its place in the whole stream: the
    /// window started after `lines` lines and `columns` characters into its first line.
    pub fn shift(&mut self, lines: usize, columns: usize) {
        if self.line == 1 {
            self.column += columns;
        }
        if self.end_line == 1 {
            self.end_column += columns;
        }
        self.line += lines;
        self.end_line += lines;
    }
}

/// The line a secret starts on, clipped around it, with the secret's byte range in `text`.
/// The text holds the raw secret, so its `Debug` prints lengths only.
#[derive(Clone)]
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

/// The commit that introduced a finding's blob (history scans only). Its text comes from the
/// scanned repository and may hold a secret, so its `Debug` shows the id only.
#[derive(Clone, Default, Serialize)]
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

impl fmt::Debug for Snippet {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Snippet")
            .field("len", &self.text.len())
            .field("secret", &self.secret)
            .finish_non_exhaustive()
    }
}

impl fmt::Debug for Commit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Commit")
            .field("id", &self.id)
            .finish_non_exhaustive()
    }
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
    pub fingerprint: Fingerprint,
    /// A context word of the rule was near the secret.
    pub context_seen: bool,
    /// Whether the key's built-in checksum holds; `None` when the rule's keys carry none.
    pub checksum: Option<bool>,
    /// The encodings the secret was found under, outermost first (`["base64"]`); empty for a
    /// secret as written. The location is then the encoded run's.
    pub decoded: Vec<&'static str>,
    /// Shared by the findings of one commit; boxed in an `Arc` so a finding outside history
    /// scans carries a pointer, not five empty strings.
    pub commit: Option<Arc<Commit>>,
    pub verification: Option<Verification>,
    /// A service host named near the secret, for providers whose liveness check needs one
    /// (a per-customer resource endpoint). Found at scan time, while the blob is at hand.
    pub nearby_host: Option<NearbyHost>,
}

impl Finding {
    /// How often a finding like this is a real secret: the rule's precision, or low when the
    /// key's checksum fails (a typo, a made-up example, or a cut or altered real key).
    pub fn precision(&self) -> Precision {
        if self.checksum == Some(false) {
            Precision::Low
        } else {
            self.rule.precision
        }
    }
}

/// Hashes rule id, secret and path: stable when lines move or history is rewritten, and it
/// never reveals the secret.
pub fn fingerprint(rule_id: &str, secret: &str, path: &str) -> Fingerprint {
    let mut h = Sha256::new();
    h.update(rule_id.as_bytes());
    h.update([0]);
    h.update(secret.as_bytes());
    h.update([0]);
    h.update(path.as_bytes());
    let mut bytes = [0; 16];
    bytes.copy_from_slice(&h.finalize()[..16]);
    Fingerprint(bytes)
}

/// A finding's fingerprint (see [`fingerprint()`]), printed as 32 hex digits. Kept as bytes, so
/// a million findings carry no million strings; bytes sort as their hex digits do.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Fingerprint([u8; 16]);

impl fmt::Display for Fingerprint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for b in self.0 {
            write!(f, "{b:02x}")?;
        }
        Ok(())
    }
}

impl fmt::Debug for Fingerprint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

impl Serialize for Fingerprint {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
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
/// secret found in the buffer, sorted and disjoint: any of them inside the snippet is redacted
/// there for good, so a finding never shows its neighbour's secret. Only the bytes around the
/// secret are looked at, so a file of one long line costs a constant per finding.
pub fn snippet(hay: &[u8], secret: Range<usize>, others: &[Range<usize>]) -> Snippet {
    const BEFORE: usize = 80;
    const AFTER: usize = 60;
    // One byte further than shown either way tells whether the line goes on (for the `…`).
    let line_start =
        crate::lines::line_start_after(hay, secret.start, secret.start.saturating_sub(BEFORE + 1));
    let line_end =
        crate::lines::line_end_before(hay, secret.start, secret.end.saturating_add(AFTER + 1))
            .max(secret.start);
    let secret_end = secret.end.min(line_end);
    let from = line_start.max(secret.start.saturating_sub(BEFORE));
    let to = line_end.min(secret_end + AFTER);
    // The secret's own span is rendered once, by `Snippet::render`; a multi-line secret would
    // otherwise be redacted again in the tail of its first line.
    let head = masked(hay, from..secret.start, others, &secret);
    let body = String::from_utf8_lossy(&hay[secret.start..secret_end]);
    let tail = masked(hay, secret_end..to, others, &secret);
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

/// `hay[range]` as text with the parts of `others` (sorted, disjoint) inside it redacted, but
/// for `own`, the snippet's own secret. Only the spans that reach into `range` are visited, so
/// a line of many secrets costs each finding a constant, not the whole list.
fn masked(hay: &[u8], range: Range<usize>, others: &[Range<usize>], own: &Range<usize>) -> String {
    let mut out = String::with_capacity(range.len() + 16);
    let mut pos = range.start;
    let first = others.partition_point(|o| o.end <= range.start);
    let near = others[first..].iter().take_while(|o| o.start < range.end);
    for o in near.filter(|o| *o != own) {
        let start = o.start.max(pos);
        out.push_str(&String::from_utf8_lossy(&hay[pos..start]));
        redact_into(&String::from_utf8_lossy(&hay[o.clone()]), &mut out);
        pos = o.end.min(range.end);
    }
    out.push_str(&String::from_utf8_lossy(&hay[pos..range.end]));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_pem_key_shows_its_header_once() {
        let body = "MIIEowIBAAKCAQEA".repeat(8);
        let pem = format!("-----BEGIN RSA PRIVATE KEY-----\n{body}\n-----END RSA PRIVATE KEY-----");
        let hay = format!("{pem}\n");
        let own = 0..pem.len();
        let snip = snippet(hay.as_bytes(), own.clone(), std::slice::from_ref(&own));
        let secret = Secret::new(pem.clone());
        let shown = snip.render(&secret, false);
        assert_eq!(
            shown,
            format!("-----BEGIN RSA PRIVATE KEY-----…[{} chars]", pem.len())
        );
        assert!(!shown.contains(&body[..16]));
        // A one-line value that merely starts like a header keeps the four-character form.
        let one_line = format!("-----BEGIN KEY-----{}", "x".repeat(30));
        assert_eq!(Secret::new(one_line).redacted(), "----…[49 chars]");
    }

    #[test]
    fn redaction_hides_all_but_four_chars() {
        let s = Secret::new("sk-ant-api03-abcdefgh".into());
        assert_eq!(s.redacted(), "sk-a…[21 chars]");
        assert!(!format!("{s:?}").contains("abcdefgh"));
    }

    #[test]
    fn short_secrets_show_no_characters() {
        let fifteen: String = ('a'..='o').collect();
        assert_eq!(Secret::new(fifteen).redacted(), "…[15 chars]");
        let sixteen: String = ('a'..='p').collect();
        assert_eq!(Secret::new(sixteen).redacted(), "abcd…[16 chars]");
    }

    #[test]
    fn debug_never_prints_the_line_or_commit_text() {
        let word: String = ["hun", "ter", "two"].concat();
        let sn = snippet(format!("pw={word} and {word}").as_bytes(), 3..12, &[]);
        let c = Commit {
            summary: format!("add {word}"),
            author: word.clone(),
            ..Commit::default()
        };
        let shown = format!("{sn:?} {c:?}");
        assert!(!shown.contains(&word), "{shown}");
    }

    #[test]
    fn snippet_clips_and_masks() {
        let hay = b"x\n   key = \"SECRET123\" # note\n";
        let own = 12..21;
        let sn = snippet(hay, own.clone(), std::slice::from_ref(&own));
        assert_eq!(sn.text, "key = \"SECRET123\" # note");
        let s = Secret::new("SECRET123".into());
        assert_eq!(sn.render(&s, false), "key = \"…[9 chars]\" # note");
    }

    #[test]
    fn snippet_redacts_other_secrets_on_the_line() {
        let hay = b"a=SECRETONE b=SECRETTWO";
        let sn = snippet(hay, 2..11, &[2..11, 14..23]);
        assert_eq!(sn.text, "a=SECRETONE b=…[9 chars]");
    }

    #[test]
    fn fingerprint_depends_on_rule_secret_path() {
        let a = fingerprint("r", "s", "p");
        let shown = a.to_string();
        assert_eq!(shown.len(), 32);
        assert_eq!(shown, hex(&a.0));
        assert_ne!(a, fingerprint("r", "s", "q"));
        assert_ne!(a, fingerprint("r2", "s", "p"));
    }
}

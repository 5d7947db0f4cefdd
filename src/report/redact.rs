//! Masks every occurrence of every found secret in a finished report, whatever its format: a
//! second copy the regex's boundary rejected, a commit summary or author, a path or a
//! diagnostic. One pass over the rendered bytes with Aho-Corasick, so it is linear in the size
//! of the report and no format can forget it.
//!
//! An automaton over a million keys costs gigabytes and seconds to build, yet reporters already
//! print each finding's own secret redacted: [`Redactor::for_texts`] first looks, with a hash
//! of each key's middle eight bytes, for the keys that occur in the texts a report prints
//! (snippets, paths, commits, diagnostics, rules), and builds the automaton over those only.

use std::{
    borrow::Cow,
    collections::HashMap,
    hash::{BuildHasher, BuildHasherDefault, Hasher, RandomState},
};

use aho_corasick::{AhoCorasick, Input, MatchKind};

use super::escape::{self, JsonCursor};
use crate::finding::Secret;

/// The secrets of a run, ready to mask in text and in serialized JSON.
#[derive(Default)]
pub struct Redactor {
    text: Option<Patterns>,
    json: Option<Patterns>,
}

/// An automaton over some spellings of the secrets, and what replaces each.
struct Patterns {
    ac: AhoCorasick,
    replacements: Vec<String>,
}

impl Patterns {
    /// `None` when there is nothing to mask (or the automaton cannot be built, which for a
    /// few thousand literal strings does not happen; the caller then masks nothing more than
    /// the reporters already did).
    fn new(pairs: Vec<(String, String)>) -> Option<Patterns> {
        if pairs.is_empty() {
            return None;
        }
        let (needles, replacements): (Vec<String>, Vec<String>) = pairs.into_iter().unzip();
        let ac = AhoCorasick::builder()
            .match_kind(MatchKind::LeftmostLongest)
            .build(&needles)
            .ok()?;
        Some(Patterns { ac, replacements })
    }
}

/// The body of `s` as serde_json writes it inside a string.
fn json_body(s: &str) -> String {
    let quoted = serde_json::Value::String(s.to_string()).to_string();
    quoted[1..quoted.len() - 1].to_string()
}

impl Redactor {
    /// Masks each of `secrets` (duplicates and empty ones are fine) by its redacted form.
    pub fn new<'a>(secrets: impl IntoIterator<Item = &'a Secret>) -> Redactor {
        let mut raw: Vec<&str> = secrets
            .into_iter()
            .map(Secret::expose)
            .filter(|s| !s.is_empty())
            .collect();
        raw.sort_unstable();
        raw.dedup();
        let mut text = Vec::with_capacity(raw.len());
        let mut json = Vec::with_capacity(raw.len());
        for s in raw {
            let redacted = Secret::new(s.to_string()).redacted();
            // Text output escapes control characters inside fields; mask that spelling too.
            let escaped = escape::field(s);
            if escaped != s {
                text.push((escaped.into_owned(), redacted.clone()));
            }
            text.push((s.to_string(), redacted.clone()));
            json.push((json_body(s), json_body(&redacted)));
        }
        Redactor {
            text: Patterns::new(text),
            json: Patterns::new(json),
        }
    }

    /// Masks the `secrets` that occur in `texts` (everything a report will print but the
    /// findings' own secret spans, which reporters redact themselves), plus every secret the
    /// search cannot vouch for: shorter than its eight-byte anchor, spelled differently once
    /// escaped, or sharing its anchor with too many others to compare them all.
    pub fn for_texts<'a>(
        secrets: &'a [&'a str],
        texts: impl FnOnce(&mut dyn FnMut(&str)),
    ) -> Redactor {
        let mut wanted = vec![false; secrets.len()];
        let index = AnchorIndex::new(secrets, &mut wanted);
        texts(&mut |t| index.mark(t.as_bytes(), &mut wanted));
        let kept = secrets
            .iter()
            .zip(&wanted)
            .filter(|(_, w)| **w)
            .map(|(s, _)| Secret::new(s.to_string()))
            .collect::<Vec<_>>();
        Redactor::new(&kept)
    }

    /// `s` with every secret masked.
    pub fn text<'s>(&self, s: &'s str) -> Cow<'s, str> {
        match &self.text {
            Some(p) if p.ac.is_match(s) => Cow::Owned(p.ac.replace_all(s, &p.replacements)),
            _ => Cow::Borrowed(s),
        }
    }

    /// Serialized JSON with every secret masked inside strings (keys included) only, so
    /// numbers, literals and the document's structure never change and it stays valid JSON.
    pub fn json<'d>(&self, doc: &'d [u8]) -> Cow<'d, [u8]> {
        let Some(p) = &self.json else {
            return Cow::Borrowed(doc);
        };
        if !p.ac.is_match(doc) {
            return Cow::Borrowed(doc);
        }
        let mut out = Vec::with_capacity(doc.len());
        let mut cur = JsonCursor::default();
        let (mut copied, mut from) = (0, 0);
        while let Some(m) = p.ac.find(Input::new(doc).range(from..)) {
            cur.advance(doc, m.start());
            if cur.in_text() {
                out.extend_from_slice(&doc[copied..m.start()]);
                out.extend_from_slice(p.replacements[m.pattern().as_usize()].as_bytes());
                // A match is whole escaped string content: the cursor stays inside the string.
                cur.advance(doc, m.end());
                copied = m.end();
                from = m.end();
            } else {
                from = m.start() + 1;
            }
        }
        out.extend_from_slice(&doc[copied..]);
        Cow::Owned(out)
    }
}

/// The distinct secrets of a run, packed, kept from before findings are dropped (baseline,
/// `--only-live`) until the report's [`Redactor`] is built.
#[derive(Default)]
pub struct Secrets {
    bytes: String,
    ends: Vec<usize>,
}

impl Secrets {
    pub fn new<'a>(secrets: impl IntoIterator<Item = &'a Secret>) -> Secrets {
        let mut all: Vec<&str> = secrets.into_iter().map(Secret::expose).collect();
        all.sort_unstable();
        all.dedup();
        let mut packed = Secrets {
            bytes: String::with_capacity(all.iter().map(|s| s.len()).sum()),
            ends: Vec::with_capacity(all.len()),
        };
        for s in all {
            packed.bytes.push_str(s);
            packed.ends.push(packed.bytes.len());
        }
        packed
    }

    /// A redactor for the secrets that `texts` (see [`super::printed_texts`]) may show.
    pub fn redactor(&self, texts: impl FnOnce(&mut dyn FnMut(&str))) -> Redactor {
        let mut start = 0;
        let all: Vec<&str> = self
            .ends
            .iter()
            .map(|&end| {
                let s = &self.bytes[start..end];
                start = end;
                s
            })
            .collect();
        Redactor::for_texts(&all, texts)
    }
}

/// Bytes of a secret hashed to find it: its middle eight.
const ANCHOR: usize = 8;

/// Secrets sharing one anchor compared one by one, at most; beyond, all of them are masked
/// without looking, so a hostile file of look-alike keys cannot make the search quadratic.
const SHARED_ANCHOR: usize = 16;

/// Where each secret's anchor starts within it.
fn anchor_at(len: usize) -> usize {
    (len - ANCHOR) / 2
}

fn anchor_of(bytes: &[u8]) -> u64 {
    let mut a = [0u8; ANCHOR];
    a.copy_from_slice(&bytes[..ANCHOR]);
    u64::from_le_bytes(a)
}

/// Whether `s` is spelled the same raw, in text output and inside a JSON string: no
/// character that either escapes.
fn plain(s: &str) -> bool {
    !s.chars()
        .any(|c| c == '"' || c == '\\' || c.is_control() || escape::is_unsafe(c))
        && !s.contains("##[")
}

/// Multiplies by a per-run random odd number: cheap for eight-byte keys, and a file cannot
/// pick anchors that collide on purpose.
#[derive(Default)]
struct AnchorHasher(u64);

impl Hasher for AnchorHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.write_u64(b as u64);
        }
    }
    fn write_u64(&mut self, n: u64) {
        self.0 = (self.0 ^ n).wrapping_mul(*SEED).rotate_left(29);
    }
}

static SEED: std::sync::LazyLock<u64> =
    std::sync::LazyLock::new(|| RandomState::new().hash_one(0x6b73u64) | 1);

/// The secrets of at least [`ANCHOR`] bytes, by the anchor in their middle.
struct AnchorIndex<'a> {
    secrets: &'a [&'a str],
    /// Ids of the secrets, grouped by anchor.
    order: Vec<u32>,
    /// Anchor → the range of `order` holding its secrets.
    by_anchor: HashMap<u64, (u32, u32), BuildHasherDefault<AnchorHasher>>,
    /// Bytes some anchor holds: eight bytes with another (a space, the `…` of a redacted
    /// neighbour) are no anchor, and are not looked up.
    in_anchors: [bool; 256],
}

impl<'a> AnchorIndex<'a> {
    /// Indexes `secrets`; marks in `wanted` those it cannot vouch for.
    fn new(secrets: &'a [&'a str], wanted: &mut [bool]) -> AnchorIndex<'a> {
        let mut pairs: Vec<(u64, u32)> = Vec::with_capacity(secrets.len());
        for (id, s) in secrets.iter().enumerate() {
            let b = s.as_bytes();
            if b.len() < ANCHOR || !plain(s) {
                wanted[id] = true;
            } else {
                pairs.push((anchor_of(&b[anchor_at(b.len())..]), id as u32));
            }
        }
        pairs.sort_unstable();
        let mut order = Vec::with_capacity(pairs.len());
        let mut by_anchor = HashMap::default();
        let mut in_anchors = [false; 256];
        for group in pairs.chunk_by(|a, b| a.0 == b.0) {
            if group.len() > SHARED_ANCHOR {
                for &(_, id) in group {
                    wanted[id as usize] = true;
                }
                continue;
            }
            for b in group[0].0.to_le_bytes() {
                in_anchors[b as usize] = true;
            }
            let start = order.len() as u32;
            order.extend(group.iter().map(|&(_, id)| id));
            by_anchor.insert(group[0].0, (start, order.len() as u32));
        }
        AnchorIndex {
            secrets,
            order,
            by_anchor,
            in_anchors,
        }
    }

    /// Marks in `wanted` the secrets that occur in `text`.
    fn mark(&self, text: &[u8], wanted: &mut [bool]) {
        if self.by_anchor.is_empty() || text.len() < ANCHOR {
            return;
        }
        // Bytes in a row that anchors hold, ending at the current one.
        let mut run = 0;
        for (end, &b) in text.iter().enumerate() {
            run = if self.in_anchors[b as usize] {
                run + 1
            } else {
                0
            };
            if run < ANCHOR {
                continue;
            }
            let x = end + 1 - ANCHOR;
            let Some(&(from, to)) = self.by_anchor.get(&anchor_of(&text[x..])) else {
                continue;
            };
            for &id in &self.order[from as usize..to as usize] {
                let s = self.secrets[id as usize].as_bytes();
                let at = anchor_at(s.len());
                if let Some(start) = x.checked_sub(at)
                    && text.get(start..start + s.len()) == Some(s)
                {
                    wanted[id as usize] = true;
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn redactor(secrets: &[&str]) -> Redactor {
        let owned: Vec<Secret> = secrets.iter().map(|s| Secret::new(s.to_string())).collect();
        Redactor::new(&owned)
    }

    #[test]
    fn every_copy_is_masked_in_text_longest_first() {
        let long: String = ('a'..='t').collect();
        let short = &long[..6];
        let r = redactor(&[short, &long]);
        let out = r
            .text(&format!("x={long} # was {long}_v1, {short}"))
            .into_owned();
        assert_eq!(
            out,
            "x=abcd…[20 chars] # was abcd…[20 chars]_v1, …[6 chars]"
        );
    }

    #[test]
    fn json_masks_only_inside_strings_and_stays_valid() {
        let secret = "tr\"ue";
        let r = redactor(&[secret, "true", "1"]);
        let doc =
            serde_json::json!({"a": format!("x{secret}y"), "true": true, "n": 1, "s": "\\true"});
        let out = r.json(doc.to_string().as_bytes()).into_owned();
        let back: serde_json::Value = serde_json::from_slice(&out).expect("still JSON");
        assert_eq!(back["a"], "x…[5 chars]y");
        assert_eq!(back["…[4 chars]"], true);
        assert_eq!(back["n"], 1);
        assert_eq!(back["s"], "\\…[4 chars]");
    }

    #[test]
    fn json_never_masks_inside_an_escape() {
        // `u00e9` is the tail of the escape `\u00e9`, and `n` that of `\n`.
        let r = redactor(&["u00e9", "nx"]);
        let doc = br#"{"a":"\u00e9\nx"}"#;
        let out = r.json(doc);
        assert_eq!(out, doc.to_vec());
    }

    #[test]
    fn only_secrets_found_in_the_texts_are_kept() {
        let a: String = ('a'..='t').collect();
        let b: String = ('A'..='T').collect();
        let short = "pin1234";
        let quoted = format!("{}\"{}", &a[..10], &b[..10]);
        let all = [a.as_str(), b.as_str(), short, quoted.as_str()];
        let r = Redactor::for_texts(&all, |f| f(&format!("path/x_{b}_v1.txt")));
        let out = r.text(&format!("{a} {b} {short} {quoted}")).into_owned();
        // `a` is printed only where reporters redact it themselves; the others are masked.
        assert_eq!(
            out,
            format!("{a} ABCD…[20 chars] …[7 chars] abcd…[21 chars]")
        );
    }

    #[test]
    fn look_alike_anchors_are_all_masked() {
        let keys: Vec<String> = (0..SHARED_ANCHOR + 1)
            .map(|i| format!("{i:04}-{}-{i:04}", "MIDDLE".repeat(2)))
            .collect();
        let all: Vec<&str> = keys.iter().map(String::as_str).collect();
        let r = Redactor::for_texts(&all, |_| {});
        assert!(!r.text(&keys[3]).contains("MIDDLE"));
    }

    #[test]
    fn nothing_to_mask_changes_nothing() {
        let r = Redactor::default();
        assert_eq!(r.text("a"), "a");
        assert_eq!(&*r.json(b"{}"), b"{}");
    }
}

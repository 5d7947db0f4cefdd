//! Masks every occurrence of every found secret in a finished report, whatever its format: a
//! second copy the regex's boundary rejected, a commit summary or author, a path or a
//! diagnostic. One pass over the rendered bytes with Aho-Corasick, so it is linear in the size
//! of the report and no format can forget it.

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

    /// `s` with every secret masked.
    pub fn text(&self, s: &str) -> String {
        match &self.text {
            Some(p) => p.ac.replace_all(s, &p.replacements),
            None => s.to_string(),
        }
    }

    /// Serialized JSON with every secret masked inside strings (keys included) only, so
    /// numbers, literals and the document's structure never change and it stays valid JSON.
    pub fn json(&self, doc: &[u8]) -> Vec<u8> {
        let Some(p) = &self.json else {
            return doc.to_vec();
        };
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
        out
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
        let out = r.text(&format!("x={long} # was {long}_v1, {short}"));
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
        let out = r.json(doc.to_string().as_bytes());
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
    fn nothing_to_mask_changes_nothing() {
        let r = Redactor::default();
        assert_eq!(r.text("a"), "a");
        assert_eq!(r.json(b"{}"), b"{}".to_vec());
    }
}

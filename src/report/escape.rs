//! Makes text from the scanned tree harmless to print: control characters that would move the
//! cursor, erase or hide output become visible escapes, and CI workflow commands (GitHub
//! Actions' `::command::` at a line start, the older `##[command]` anywhere on a line) are
//! broken, so a file name or a scanned line cannot write into a terminal or a job log.

use std::borrow::Cow;

/// Whether `c` must not reach a terminal as is: C0 controls but tab, DEL, C1 controls, and the
/// Unicode line separators and bidirectional overrides (which reorder what a reader sees).
pub(super) fn is_unsafe(c: char) -> bool {
    (c.is_control() && c != '\t')
        || matches!(c, '\u{2028}' | '\u{2029}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// One field of text output (a path, a snippet, a commit's author or summary, a message):
/// unsafe characters as `\xNN` or `\u{NNNN}`, and `##[` broken as `\x23#[`. A field never
/// holds a line break afterwards, so it cannot start a line of its own.
pub fn field(s: &str) -> Cow<'_, str> {
    if !may_be_unsafe(s.as_bytes()) && !s.contains("##[") {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for (i, c) in s.char_indices() {
        if is_unsafe(c) {
            if (c as u32) < 0x100 {
                out.push_str(&format!("\\x{:02x}", c as u32));
            } else {
                out.push_str(&format!("\\u{{{:04x}}}", c as u32));
            }
        } else if c == '#' && s[i..].starts_with("##[") {
            out.push_str("\\x23");
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// Whether UTF-8 `b` holds a character [`is_unsafe`] rejects, read a byte at a time without
/// decoding (a million snippets are checked): C0 controls but tab, DEL, C1 controls
/// (`C2 80..9F`), line separators and embeddings (`E2 80 A8..AE`) and isolates (`E2 81
/// A6..A9`).
fn may_be_unsafe(b: &[u8]) -> bool {
    b.iter().enumerate().any(|(i, &c)| match c {
        b'\t' => false,
        0..0x20 | 0x7f => true,
        0xc2 => b.get(i + 1).is_some_and(|n| (0x80..=0x9f).contains(n)),
        0xe2 => matches!(
            (b.get(i + 1), b.get(i + 2)),
            (Some(0x80), Some(0xa8..=0xae)) | (Some(0x81), Some(0xa6..=0xa9))
        ),
        _ => false,
    })
}

/// Finished text output, line by line: a line whose first non-blank characters are `::` gets
/// its first `:` escaped, and `##[` is broken wherever it is. keysift's own lines never hold
/// either, so only text from the scanned tree changes.
pub fn lines(text: &str) -> Cow<'_, str> {
    let command_line = |l: &str| l.trim_start().starts_with("::");
    if !text.contains("##[") && !text.split('\n').any(command_line) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for (n, line) in text.split('\n').enumerate() {
        if n > 0 {
            out.push('\n');
        }
        let line = if command_line(line) {
            let at = line.len() - line.trim_start().len();
            Cow::Owned(format!("{}\\x3a{}", &line[..at], &line[at + 1..]))
        } else {
            Cow::Borrowed(line)
        };
        out.push_str(&line.replace("##[", "\\x23#["));
    }
    Cow::Owned(out)
}

/// Where a position in serialized JSON is: inside a string or not, and inside an escape.
/// Advanced byte by byte, so a whole document is read once.
#[derive(Default)]
pub(super) struct JsonCursor {
    pos: usize,
    in_string: bool,
    /// 0: not in an escape; [`AFTER_BACKSLASH`]: just after `\`; 1..=4: `\u` hex digits left.
    escape: u8,
}

const AFTER_BACKSLASH: u8 = u8::MAX;

impl JsonCursor {
    /// Reads `json` up to (not including) byte `to`.
    pub(super) fn advance(&mut self, json: &[u8], to: usize) {
        while self.pos < to {
            let b = json[self.pos];
            if self.escape == AFTER_BACKSLASH {
                self.escape = if b == b'u' { 4 } else { 0 };
            } else if self.escape > 0 {
                self.escape -= 1;
            } else if self.in_string {
                match b {
                    b'\\' => self.escape = AFTER_BACKSLASH,
                    b'"' => self.in_string = false,
                    _ => {}
                }
            } else if b == b'"' {
                self.in_string = true;
            }
            self.pos += 1;
        }
    }

    /// At the start of a character of a string's content: where an escape or a masked
    /// secret may begin without changing the document's structure.
    pub(super) fn in_text(&self) -> bool {
        self.in_string && self.escape == 0
    }
}

/// Serialized JSON with the characters serde leaves raw but a terminal acts on (DEL, C1
/// controls, line separators, bidi overrides) written as `\uNNNN`, and the `#` of `##[`
/// as `\u0023`, inside strings only. The document means the same afterwards.
pub fn json(doc: &[u8]) -> Cow<'_, [u8]> {
    if !json_needs_escapes(doc) {
        return Cow::Borrowed(doc);
    }
    let text = String::from_utf8_lossy(doc);
    let mut out = String::with_capacity(text.len() + 16);
    let mut cur = JsonCursor::default();
    for (i, c) in text.char_indices() {
        cur.advance(text.as_bytes(), i);
        if cur.in_text() && (is_unsafe(c) || (c == '#' && text[i..].starts_with("##["))) {
            out.push_str(&format!("\\u{:04x}", c as u32));
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out.into_bytes())
}

/// Whether `doc` may hold a character [`json`] escapes. Serialized JSON carries raw C0
/// controls only as the pretty printer's line breaks (outside strings), so only DEL and the
/// lead bytes of the unsafe multi-byte characters (C1 controls: `C2`; separators and bidi
/// overrides: `E2`) are looked at, with `memchr`, and `##[`: a report of millions of findings
/// is checked at memory speed instead of character by character.
fn json_needs_escapes(doc: &[u8]) -> bool {
    if memchr::memmem::find(doc, b"##[").is_some() {
        return true;
    }
    memchr::memchr3_iter(0x7f, 0xc2, 0xe2, doc).any(|at| {
        let len = match doc[at] {
            0x7f => 1,
            0xc2 => 2,
            _ => 3,
        };
        doc.get(at..at + len)
            .and_then(|b| std::str::from_utf8(b).ok())
            .and_then(|s| s.chars().next())
            .is_some_and(is_unsafe)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_lose_their_controls() {
        assert_eq!(field("a\u{1b}[2K\rb\tc"), "a\\x1b[2K\\x0db\tc");
        assert_eq!(field("x\ny"), "x\\x0ay");
        assert_eq!(field("a\u{202e}b\u{9b}"), "a\\u{202e}b\\x9b");
        assert_eq!(field("see ##[error]x"), "see \\x23#[error]x");
        assert!(matches!(field("plain: ok"), Cow::Borrowed(_)));
        assert!(matches!(
            field("…[40 chars] é \u{2027}\u{202f}"),
            Cow::Borrowed(_)
        ));
        for bad in [
            '\u{0}', '\u{1f}', '\u{7f}', '\u{80}', '\u{9f}', '\u{2028}', '\u{202e}', '\u{2069}',
        ] {
            assert!(
                matches!(field(&format!("a{bad}")), Cow::Owned(_)),
                "{bad:?}"
            );
        }
    }

    #[test]
    fn workflow_commands_are_broken_at_line_starts() {
        let out = lines("ok\n  ::add-mask::x\nkeep a::b\n::error::y");
        assert_eq!(out, "ok\n  \\x3a:add-mask::x\nkeep a::b\n\\x3a:error::y");
        assert_eq!(lines("a ##[group]b"), "a \\x23#[group]b");
    }

    #[test]
    fn json_escapes_stay_inside_strings_and_keep_the_meaning() {
        let doc =
            serde_json::to_vec(&serde_json::json!({"p": "a\u{7f}##[x\u{85}", "k": 1})).unwrap();
        let out = json(&doc);
        let text = std::str::from_utf8(&out).unwrap();
        assert!(!text.contains("##[") && !text.contains('\u{7f}') && !text.contains('\u{85}'));
        let back: serde_json::Value = serde_json::from_slice(&out).unwrap();
        assert_eq!(back["p"], "a\u{7f}##[x\u{85}");
        // Each unsafe character alone, after harmless multi-byte ones, is still found.
        for bad in ['\u{7f}', '\u{9b}', '\u{2028}', '\u{202e}', '\u{2067}'] {
            let doc =
                serde_json::to_vec_pretty(&serde_json::json!({"p": format!("…é{bad}")})).unwrap();
            assert!(matches!(json(&doc), Cow::Owned(_)), "{bad:?}");
        }
        let fine = serde_json::to_vec_pretty(&serde_json::json!({"p": "…[40 chars] é"})).unwrap();
        assert!(matches!(json(&fine), Cow::Borrowed(_)));
    }
}

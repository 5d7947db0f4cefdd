//! Scans arbitrary bytes with every built-in rule through the library's `Scanner`, as the
//! binary does: text, binary and UTF-16 detection, the whole-blob scan and the windowed
//! stream scan of large files, then every report format.
//!
//! Besides "no panic" it checks that each finding's line and column point at its secret in
//! the scanned text (or raw bytes), that the end position agrees with the secret's length,
//! that a windowed scan finds exactly what the whole-blob scan finds, and that no report
//! holds a found secret or a terminal or CI-log control sequence.
//!
//! Each input also runs with its `{{class:N}}` templates expanded (as rule examples are
//! written, so the committed seeds hold no key-shaped string), and re-encoded as UTF-16 or
//! wrapped in binary bytes, chosen by the input's length.

#![no_main]

use std::{io::Cursor, path::PathBuf, sync::OnceLock};

use keysift::{
    detect::engine::{Engine, Scratch},
    finding::Finding,
    outcome::{Coverage, Outcome},
    report::{
        self, JsonReporter, Palette, Redactor, ReportContext, Reporter, SarifReporter, TextReporter,
    },
    rules::RuleSet,
    scan::{ScanOptions, Scanned, Scanner},
    source::encoding::{self, Kind},
};
use keysift_fuzz::expand_templates;
use libfuzzer_sys::fuzz_target;

const PATH: &str = "fuzz/input.env";

struct Fixture {
    scanner: Scanner,
    /// The engine's window margin: windows this far apart see each match whole.
    margin: usize,
}

fn fixture() -> &'static Fixture {
    static F: OnceLock<Fixture> = OnceLock::new();
    F.get_or_init(|| {
        let rules = std::sync::Arc::new(RuleSet::builtin().expect("built-in rules load"));
        let engine = Engine::new(rules).expect("engine builds");
        let margin = engine.reach();
        Fixture {
            scanner: Scanner::new(engine, ScanOptions::default()),
            margin,
        }
    })
}

fuzz_target!(|data: &[u8]| {
    let f = fixture();
    let mut scratch = Scratch::default();
    let expanded = expand_templates(data, data.len() as u64);
    // The padded (window-boundary) check is the costly one: once per input.
    check(f, data, &mut scratch, expanded.is_none());
    if let Some(e) = &expanded {
        check(f, e, &mut scratch, true);
    }
    let bytes = expanded.as_deref().unwrap_or(data);
    let variant = match (std::str::from_utf8(bytes), data.len() % 4) {
        (Ok(text), 0) => utf16(text, false, true),
        (Ok(text), 1) => utf16(text, true, true),
        (Ok(text), 2) => utf16(text, false, false),
        _ => {
            let mut b = b"\x7fELF\x02\x01\x01\0\0\0\0\0".to_vec();
            b.extend_from_slice(bytes);
            b.extend_from_slice(b"\0\0\x01\x02");
            b
        }
    };
    check(f, &variant, &mut scratch, false);
});

fn utf16(s: &str, big_endian: bool, bom: bool) -> Vec<u8> {
    let mut b = Vec::with_capacity(s.len() * 2 + 2);
    if bom {
        b.extend_from_slice(if big_endian { b"\xFE\xFF" } else { b"\xFF\xFE" });
    }
    for u in s.encode_utf16() {
        b.extend_from_slice(&if big_endian {
            u.to_be_bytes()
        } else {
            u.to_le_bytes()
        });
    }
    b
}

/// Scans `bytes` whole and in windows and checks every invariant; with `straddle`, also the
/// same bytes padded so that window boundaries fall inside them.
fn check(f: &Fixture, bytes: &[u8], scratch: &mut Scratch, straddle: bool) {
    check_with(f, bytes, scratch, 1 + bytes.len() / 3);
    if straddle && let Some((padded, window)) = pad_to_boundary(bytes, f.margin) {
        check_with(f, &padded, scratch, window);
    }
}

/// Scans `bytes` whole and as a stream in windows of `window` bytes, and checks both.
fn check_with(f: &Fixture, bytes: &[u8], scratch: &mut Scratch, window: usize) {
    let kind = encoding::classify(bytes);
    let whole = f.scanner.scan_blob(PATH, bytes, scratch);
    let expected = match kind {
        Kind::Text { .. } => vec![Coverage::Full],
        Kind::Binary => vec![Coverage::BinaryPartial],
        Kind::Utf16 { .. } => vec![Coverage::Full, Coverage::DecodeErrors],
    };
    assert!(
        expected.contains(&whole.coverage),
        "{kind:?} scanned with coverage {:?}",
        whole.coverage
    );
    let (text, _) = encoding::text(bytes, kind);
    for finding in &whole.findings {
        let in_text = text.as_deref().is_some_and(|t| located(finding, t));
        let in_raw = kind.scan_raw() && located(finding, bytes);
        assert!(
            in_text || in_raw,
            "{} at {:?} is not where its secret ({} bytes) is",
            finding.rule.id,
            finding.location,
            finding.secret.expose().len()
        );
    }
    // A stream cut into windows finds what the whole blob holds.
    let streamed = stream(f, bytes, window, scratch);
    same(&whole, &streamed, "windowed scan");
    if !whole.findings.is_empty() {
        reports(whole.findings);
    }
}

fn stream(f: &Fixture, bytes: &[u8], window: usize, scratch: &mut Scratch) -> Scanned {
    let (scanned, read) = f
        .scanner
        .scan_stream(PATH, Cursor::new(bytes), window, scratch)
        .expect("reading a slice cannot fail");
    assert_eq!(read, bytes.len() as u64, "stream read a different length");
    scanned
}

/// The same findings (rule, secret, place) and coverage, in any order.
fn same(whole: &Scanned, other: &Scanned, what: &str) {
    assert_eq!(whole.coverage, other.coverage, "{what}: coverage differs");
    let key = |s: &Scanned| {
        let mut v: Vec<_> = s
            .findings
            .iter()
            .map(|f| (f.rule.id.clone(), f.secret.expose().to_string(), f.location))
            .collect();
        v.sort_by(|a, b| {
            (&a.0, &a.1, a.2.line, a.2.column).cmp(&(&b.0, &b.1, b.2.line, b.2.column))
        });
        v
    };
    let (a, b) = (key(whole), key(other));
    if a != b {
        let show = |v: &[(String, String, keysift::finding::Location)]| {
            v.iter()
                .map(|(r, s, l)| format!("{r} {}b {}:{}", s.len(), l.line, l.column))
                .collect::<Vec<_>>()
        };
        panic!(
            "{what} differs from the whole-blob scan:\n whole: {:?}\n {what}: {:?}",
            show(&a),
            show(&b)
        );
    }
}

/// `bytes` between filler (after any byte-order mark, in the same encoding) and a window
/// size, such that a stream scan in windows of that size has its first ownership boundary
/// (window + margin) in the middle of `bytes` and a second window after it. Newlines or
/// spaces, by the input's length, so both line and column carrying are exercised. `None`
/// when the input is empty.
fn pad_to_boundary(bytes: &[u8], margin: usize) -> Option<(Vec<u8>, usize)> {
    if bytes.is_empty() {
        return None;
    }
    let window = (bytes.len() / 2).max(1);
    let before = window + margin - bytes.len() / 2;
    let after = margin.saturating_sub(bytes.len() / 2) + 1;
    let filler = if bytes.len() % 2 == 0 { b'\n' } else { b' ' };
    let mut out = Vec::with_capacity(bytes.len() + before + after + 2);
    match encoding::classify(bytes) {
        Kind::Text { skip } => {
            out.extend_from_slice(&bytes[..skip]);
            out.resize(skip + before, filler);
            out.extend_from_slice(&bytes[skip..]);
            out.resize(out.len() + after, filler);
        }
        Kind::Binary => {
            out.resize(before, 0);
            out.extend_from_slice(bytes);
            out.resize(out.len() + after, 0);
        }
        Kind::Utf16 { big_endian, skip } => {
            let unit = if big_endian { [0, filler] } else { [filler, 0] };
            out.extend_from_slice(&bytes[..skip]);
            (0..before / 2).for_each(|_| out.extend_from_slice(&unit));
            out.extend_from_slice(&bytes[skip..]);
            (0..after / 2 + 1).for_each(|_| out.extend_from_slice(&unit));
        }
    }
    Some((out, window))
}

/// Characters as keysift counts columns: bytes that do not continue a UTF-8 sequence.
fn chars(bytes: &[u8]) -> usize {
    bytes.iter().filter(|&&b| (b & 0xC0) != 0x80).count()
}

/// Whether `f`'s secret starts at its line and column in `hay`, and its end position is
/// where the secret's own length puts it.
fn located(f: &Finding, hay: &[u8]) -> bool {
    let secret = f.secret.expose().as_bytes();
    let loc = f.location;
    if secret.is_empty() || loc.line == 0 || loc.column == 0 {
        return false;
    }
    let mut line_start = 0;
    for _ in 1..loc.line {
        match hay[line_start..].iter().position(|&b| b == b'\n') {
            Some(i) => line_start += i + 1,
            None => return false,
        }
    }
    let line_end = hay[line_start..]
        .iter()
        .position(|&b| b == b'\n')
        .map_or(hay.len(), |i| line_start + i);
    // A secret read from invalid UTF-8 holds U+FFFD instead of its bytes: find it by column.
    let lossy = f.secret.expose().contains('\u{FFFD}');
    let mut seen = 0; // characters in hay[line_start..p]
    let mut starts_here = false;
    for p in line_start..=line_end {
        if seen + 1 == loc.column && (lossy || hay[p..].starts_with(secret)) {
            starts_here = true;
            break;
        }
        if seen + 1 > loc.column || p == hay.len() {
            break;
        }
        if (hay[p] & 0xC0) != 0x80 {
            seen += 1;
        }
    }
    if !starts_here {
        return false;
    }
    if lossy {
        return true;
    }
    // The last character's place, from the secret alone.
    let before_last = &secret[..secret.len() - 1];
    let (end_line, end_column) = match before_last.iter().rposition(|&b| b == b'\n') {
        None => (loc.line, loc.column + chars(before_last)),
        Some(i) => (
            loc.line + before_last.iter().filter(|&&b| b == b'\n').count(),
            chars(&before_last[i + 1..]) + 1,
        ),
    };
    (loc.end_line, loc.end_column) == (end_line, end_column)
}

/// Renders every format as the binary does (redacted, escaped) and checks that no secret,
/// whole or in any printed spelling, survives, and that text output carries no control
/// characters or CI workflow commands.
fn reports(findings: Vec<Finding>) {
    let outcome = Outcome {
        findings,
        ..Outcome::default()
    };
    let rules = RuleSet::default();
    let ctx = ReportContext {
        rules: &rules,
        show_secrets: false,
    };
    let redactor = Redactor::new(outcome.findings.iter().map(|f| &f.secret));
    let text = TextReporter {
        palette: Palette::new(false),
    };
    let sarif = SarifReporter::new(PathBuf::from("."));
    let formats: [(&str, &dyn Reporter); 3] =
        [("text", &text), ("json", &JsonReporter), ("sarif", &sarif)];
    for (name, reporter) in formats {
        let mut out = Vec::new();
        report::write(reporter, &outcome, &ctx, &redactor, &mut out).expect("write to a Vec");
        let out = String::from_utf8(out).expect("reports are UTF-8");
        let json = name != "text";
        if json {
            serde_json::from_str::<serde_json::Value>(&out)
                .unwrap_or_else(|e| panic!("{name} report is not JSON: {e}"));
        } else {
            for line in out.lines() {
                assert!(
                    !line.chars().any(|c| c.is_control() && c != '\t'),
                    "text report line holds a control character: {line:?}"
                );
                assert!(
                    !line.trim_start().starts_with("::") && !line.contains("##["),
                    "text report line is a CI workflow command: {line:?}"
                );
            }
        }
        let plain = if json {
            unescape_json_strings(&out)
        } else {
            unescape_text(&out)
        };
        for f in &outcome.findings {
            let s = f.secret.expose();
            assert!(
                !out.contains(s) && !plain.contains(s),
                "{name} report shows the secret of {} ({} bytes)",
                f.rule.id,
                s.len()
            );
        }
    }
}

/// Text output with keysift's escapes (`\xNN`, `\u{NNNN}`) turned back into characters, so a
/// secret split by an escape is still recognised.
fn unescape_text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = rest.find('\\') {
        out.push_str(&rest[..i]);
        let tail = &rest[i..];
        let decoded = if let Some(hex) = tail.strip_prefix("\\x").and_then(|t| t.get(..2)) {
            u32::from_str_radix(hex, 16).ok().map(|c| (c, 4))
        } else if let Some(t) = tail.strip_prefix("\\u{") {
            t.find('}').and_then(|end| {
                u32::from_str_radix(&t[..end], 16)
                    .ok()
                    .map(|c| (c, 3 + end + 1))
            })
        } else {
            None
        };
        match decoded.and_then(|(c, n)| char::from_u32(c).map(|c| (c, n))) {
            Some((c, n)) => {
                out.push(c);
                rest = &tail[n..];
            }
            None => {
                out.push('\\');
                rest = &tail[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// Every string in a JSON document, decoded, one per line (keys included).
fn unescape_json_strings(doc: &str) -> String {
    fn walk(v: &serde_json::Value, out: &mut String) {
        match v {
            serde_json::Value::String(s) => {
                out.push_str(s);
                out.push('\n');
            }
            serde_json::Value::Array(a) => a.iter().for_each(|v| walk(v, out)),
            serde_json::Value::Object(o) => {
                for (k, v) in o {
                    out.push_str(k);
                    out.push('\n');
                    walk(v, out);
                }
            }
            _ => {}
        }
    }
    let mut out = String::new();
    if let Ok(v) = serde_json::from_str::<serde_json::Value>(doc) {
        walk(&v, &mut out);
    }
    out
}

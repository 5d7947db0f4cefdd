//! Finds the encoded runs of a buffer that can hold a secret and decodes them: base64
//! (standard or URL-safe, padded or not), percent-encoding and JSON string escapes. Each finder
//! only looks at bytes that could start or belong to its kind of run, and each run is decoded
//! once, so the cost stays linear in the buffer.

use std::ops::Range;

use base64::Engine as _;
use base64::engine::{DecodePaddingMode, GeneralPurpose, GeneralPurposeConfig};

/// An encoding a run was found in, as reports name it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    Base64,
    Percent,
    Escape,
}

impl Encoding {
    /// The name reports print (`"decoded": ["base64"]`).
    pub fn name(self) -> &'static str {
        match self {
            Encoding::Base64 => "base64",
            Encoding::Percent => "percent",
            Encoding::Escape => "escape",
        }
    }
}

/// An encoded run and its decoded text.
#[derive(Debug)]
pub struct Run {
    pub span: Range<usize>,
    pub encoding: Encoding,
    pub text: Vec<u8>,
    /// Base64 cut by an open edge of the buffer (see [`Edges`]): only part of a longer run,
    /// whose three decoded bytes at `3 * i` come from the four characters at `span.start + 4 * i`.
    pub cut: bool,
}

/// Whether the stream goes on before and after the buffer searched: a window of a large file
/// cuts the runs that cross its edges, and a run cut at the start begins at an unknown place
/// of a quad.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Edges {
    pub start: bool,
    pub end: bool,
}

/// Shortest base64 run worth decoding: 24 bytes, shorter than the keys it could hide.
pub const MIN_BASE64: usize = 32;

/// Shortest decoded percent or escape run: a secret is at least this long.
const MIN_DECODED: usize = 16;

/// Bytes at the start of a base64 run decoded first: a run whose start decodes to binary (an
/// image, a font, a hash) is dropped without decoding the rest.
const PROBE: usize = 64;

/// Appends to `out` every decodable run that lies inside `within` of `hay`, in order of
/// position, none overlapping.
pub fn find(hay: &[u8], within: Range<usize>, out: &mut Vec<Run>) {
    find_between(hay, within, Edges::default(), out);
}

/// Like [`find`], where `hay[within]` is a window of a longer stream open at `edges`: a base64
/// run reaching an open edge is decoded from the first character of a quad (the alignment its
/// characters show) and may end inside a character.
pub fn find_between(hay: &[u8], within: Range<usize>, edges: Edges, out: &mut Vec<Run>) {
    let from = out.len();
    base64_runs(hay, within.clone(), edges, out);
    percent_and_escape_runs(hay, within, out);
    let found = &mut out[from..];
    found.sort_unstable_by_key(|r| r.span.start);
    let mut keep_to = from;
    for i in from..out.len() {
        if keep_to > from && out[i].span.start < out[keep_to - 1].span.end {
            continue;
        }
        out.swap(keep_to, i);
        keep_to += 1;
    }
    out.truncate(keep_to);
}

/// The base64 alphabets (standard and URL-safe) as a lookup table.
static B64: [bool; 256] = {
    let mut t = [false; 256];
    let mut b = 0;
    while b < 256 {
        let c = b as u8;
        t[b] = c.is_ascii_alphanumeric() || matches!(c, b'+' | b'/' | b'-' | b'_');
        b += 1;
    }
    t
};

fn is_b64(b: u8) -> bool {
    B64[b as usize]
}

const ONES: u64 = 0x0101_0101_0101_0101;
const HIGH: u64 = 0x8080_8080_8080_8080;

/// The high bit of each byte of `x` set where the byte is ASCII and at least `lo`.
fn at_least(x: u64, lo: u8) -> u64 {
    ((x & !HIGH) + (0x80 - lo as u64) * ONES) & !x & HIGH
}

/// The high bit of each byte of `x` set where the byte is `c` (ASCII).
fn equals(x: u64, c: u8) -> u64 {
    let y = (x & !HIGH) ^ (c as u64 * ONES);
    // A byte of `y + 0x7f` has its high bit set when that byte of `y` is not zero.
    let differs = (y + !HIGH) | x;
    !differs & HIGH
}

/// True when all eight bytes of `x` are in the base64 alphabets, tested eight at a time:
/// first against the range `+` to `z`, which text breaks with spaces, line ends, brackets
/// and quotes, then exactly.
fn all_b64(x: u64) -> bool {
    let ranged = at_least(x, b'+') & !at_least(x, b'z' + 1);
    if ranged != HIGH {
        return false;
    }
    let within = |lo: u8, hi: u8| at_least(x, lo) & !at_least(x, hi + 1);
    let alphabet = within(b'0', b'9')
        | within(b'A', b'Z')
        | within(b'a', b'z')
        | equals(x, b'+')
        | equals(x, b'/')
        | equals(x, b'-')
        | equals(x, b'_');
    alphabet == HIGH
}

/// Base64 runs: maximal stretches of the base64 alphabet (then up to two `=`), at least
/// [`MIN_BASE64`] long, of one alphabet, not the payload of a `data:` URI (images, fonts,
/// source maps), decoding to text.
///
/// Such a run holds one of the 8-byte blocks that start every 24 bytes from where the last run
/// ended, so only those blocks are read, eight bytes at a time, until one is all base64; the
/// run then also holds both blocks before it, both after it, or the one either side (it
/// reaches 24 bytes further), which rules out most identifiers before any byte is looked at
/// alone.
fn base64_runs(hay: &[u8], within: Range<usize>, edges: Edges, out: &mut Vec<Run>) {
    const STRIDE: usize = MIN_BASE64 - 8;
    let mut floor = within.start;
    let all_b64_at = |at: usize, floor: usize| {
        at >= floor
            && at + 8 <= within.end
            && hay[at..at + 8]
                .try_into()
                .is_ok_and(|w| all_b64(u64::from_le_bytes(w)))
    };
    let mut block = within.start + STRIDE;
    // The end of what is known of a run already rejected: later blocks of the same run are
    // passed over without reading it again.
    let mut dead: Option<usize> = None;
    while block + 8 <= within.end {
        // Base64 of text at some alignment, or not even base64: identifiers (`_` in two places
        // of a quad, lower case after a digit), hex hashes and paths rarely fit any alignment.
        let Some(eight) = hay.get(block..block + 8).and_then(|b| b.try_into().ok()) else {
            break;
        };
        let mut phases = text_phases(eight, block);
        if phases == 0 {
            block += STRIDE;
            continue;
        }
        if let Some(d) = dead.take()
            && d <= block
            && (d + 16 == block && all_b64_at(d, floor) && all_b64_at(d + 8, floor)
                || hay[d..block].iter().all(|&b| is_b64(b)))
        {
            dead = Some(block + 8);
            block += STRIDE;
            continue;
        }
        let left = block >= 8 && all_b64_at(block - 8, floor);
        let right = all_b64_at(block + 8, floor);
        let long = (left && right)
            || (left && block >= 16 && all_b64_at(block - 16, floor))
            || (right && all_b64_at(block + 16, floor));
        if long {
            let next = if right { block + 8 } else { block - 8 };
            phases &= hay[next..next + 8]
                .try_into()
                .map_or(0, |b| text_phases(b, next));
        }
        if !long || phases == 0 {
            block += STRIDE;
            continue;
        }
        let mut start = block;
        while start >= floor + 8 && all_b64_at(start - 8, floor) {
            start -= 8;
        }
        while start > floor && is_b64(hay[start - 1]) {
            start -= 1;
        }
        let cut_start = edges.start && start == within.start;
        if cut_start {
            // The run began before the window: start at the first quad its alignment allows.
            while phases & (1 << (start % 4)) == 0 && start < block {
                start += 1;
            }
        }
        let head = &hay[start..(start + MIN_BASE64).min(within.end)];
        if phases & (1 << (start % 4)) == 0
            || head.len() < MIN_BASE64
            || !head.iter().all(|&b| is_b64(b))
            || !reads_as_text(head)
            || is_data_uri(hay, start)
        {
            dead = Some(block + 8);
            block += STRIDE;
            continue;
        }
        let mut end = block + 8;
        while all_b64_at(end, floor) {
            end += 8;
        }
        while end < within.end && is_b64(hay[end]) {
            end += 1;
        }
        let body = end;
        while end < within.end && end - body < 2 && hay[end] == b'=' {
            end += 1;
        }
        floor = end;
        block = end + STRIDE;
        let cut_end = edges.end && end == within.end;
        if let Some(text) = decode_base64(&hay[start..body], cut_start, cut_end) {
            out.push(Run {
                span: start..end,
                encoding: Encoding::Base64,
                text,
                cut: cut_start || cut_end,
            });
        }
    }
}

/// The 6-bit value of a base64 character in either alphabet.
const fn sextet(c: u8) -> u8 {
    match c {
        b'A'..=b'Z' => c - b'A',
        b'a'..=b'z' => c - b'a' + 26,
        b'0'..=b'9' => c - b'0' + 52,
        b'+' | b'-' => 62,
        _ => 63,
    }
}

/// Whether a base64 character of value `s` can stand at place `k` of a quad (four characters
/// for three bytes) encoding ASCII bytes `b0 b1 b2`: `b0 >> 2` is below 32, `b1 >> 4` (the
/// low four bits of the second character) below 8, `b2 >> 6` (the low two bits of the third)
/// below 2; the fourth is free.
const fn ascii_place(s: u8, k: usize) -> bool {
    match k {
        0 => s < 32,
        1 => s % 16 < 8,
        2 => s % 4 < 2,
        _ => true,
    }
}

/// For a base64 character `c`, the sets of run alignments (bit `a`: the run starts at an offset
/// `a` mod 4) under which it can encode ASCII when it stands at an offset `r` mod 4, in byte
/// `r` of `PHASES[c]`; zero for bytes outside the alphabets.
static PHASES: [u32; 256] = {
    let mut t = [0u32; 256];
    let mut c = 0;
    while c < 256 {
        if B64[c] {
            let s = sextet(c as u8);
            let mut r = 0;
            while r < 4 {
                let mut a = 0;
                while a < 4 {
                    if ascii_place(s, (r + 4 - a) % 4) {
                        t[c] |= 1 << (8 * r + a);
                    }
                    a += 1;
                }
                r += 1;
            }
        }
        c += 1;
    }
    t
};

/// The run alignments (bit `a` for a run starting at an offset `a` mod 4) under which the
/// eight `bytes` found at offset `at` can be part of base64 of ASCII text. Identifiers (`_` in
/// two places of a quad, lower case after a digit), hex hashes and paths rarely fit any.
fn text_phases(bytes: &[u8; 8], at: usize) -> u8 {
    let p = |i: usize| PHASES[bytes[i] as usize] & PHASES[bytes[i + 4] as usize];
    // Byte `i` sits at offset `at + i`: rotating its sets by `i` bytes lines them all up on
    // byte `at % 4`.
    let m = p(0) & p(1).rotate_right(8) & p(2).rotate_right(16) & p(3).rotate_right(24);
    (m >> (8 * (at % 4))) as u8 & 0xf
}

/// Quads of a run checked by [`reads_as_text`], and how many may fail (non-ASCII text).
const QUADS: usize = 8;
const ODD_QUADS: usize = 2;

/// A cheap test that a run is base64 of ASCII text before decoding it: three ASCII bytes
/// `b0 b1 b2` encode to characters whose values have `b0 >> 2` below 32, `b1 >> 4` (the low
/// four bits of the second) below 8 and `b2 >> 6` (the low two bits of the third) below 2. A
/// long identifier (`AZF0INPUTENDPOINT0_AZALIA_F0_CODEC`) passes a quad about one time in ten,
/// base64 of ASCII text every time.
fn reads_as_text(run: &[u8]) -> bool {
    let mut odd = 0;
    for q in run.chunks_exact(4).take(QUADS) {
        let ascii = sextet(q[0]) < 32 && sextet(q[1]) % 16 < 8 && sextet(q[2]) % 4 < 2;
        if !ascii {
            odd += 1;
            if odd > ODD_QUADS {
                return false;
            }
        }
    }
    true
}

/// A `data:<type>;base64,` prefix: inline images, fonts and source maps, never secrets.
fn is_data_uri(hay: &[u8], start: usize) -> bool {
    hay[..start].ends_with(b";base64,")
}

static STANDARD: GeneralPurpose = GeneralPurpose::new(
    &base64::alphabet::STANDARD,
    GeneralPurposeConfig::new()
        .with_decode_padding_mode(DecodePaddingMode::Indifferent)
        .with_decode_allow_trailing_bits(true),
);

static URL_SAFE: GeneralPurpose = GeneralPurpose::new(
    &base64::alphabet::URL_SAFE,
    GeneralPurposeConfig::new()
        .with_decode_padding_mode(DecodePaddingMode::Indifferent)
        .with_decode_allow_trailing_bits(true),
);

/// Decodes a base64 body (padding stripped) when it is of one alphabet and decodes to text.
/// A body cut at its start or end may begin or end inside a character: those bytes become
/// spaces, so the text stays valid and each decoded byte keeps its place.
fn decode_base64(body: &[u8], cut_start: bool, cut_end: bool) -> Option<Vec<u8>> {
    let standard = body.iter().any(|&b| b == b'+' || b == b'/');
    let url = body.iter().any(|&b| b == b'-' || b == b'_');
    let engine = match (standard, url) {
        (true, true) => return None,
        (false, true) => &URL_SAFE,
        _ => &STANDARD,
    };
    // A body of 4n+1 characters has one character too many: the run took a neighbour in.
    let body = if body.len() % 4 == 1 {
        &body[..body.len() - 1]
    } else {
        body
    };
    let probe = &body[..body.len().min(PROBE)];
    let mut head = engine.decode(probe).ok()?;
    if cut_start {
        blank_split_chars(&mut head, true, false);
    }
    if !is_text(&head, probe.len() < body.len() || cut_end) {
        return None;
    }
    let mut text = if probe.len() == body.len() {
        head
    } else {
        engine.decode(body).ok()?
    };
    blank_split_chars(&mut text, cut_start, cut_end);
    is_text(&text, false).then_some(text)
}

/// Turns the bytes of a character cut off at the start (continuation bytes) or at the end (a
/// sequence left incomplete) of decoded text into spaces.
fn blank_split_chars(text: &mut [u8], start: bool, end: bool) {
    if start {
        for b in text.iter_mut().take(3).take_while(|b| **b & 0xC0 == 0x80) {
            *b = b' ';
        }
    }
    if end {
        // The last lead byte, at most three continuation bytes from the end.
        let mut lead = text.len();
        while lead > 0 && text.len() - lead < 3 && text[lead - 1] & 0xC0 == 0x80 {
            lead -= 1;
        }
        let lead = lead.saturating_sub(1);
        if let Err(e) = std::str::from_utf8(&text[lead..])
            && e.error_len().is_none()
        {
            text[lead..].fill(b' ');
        }
    }
}

/// True for UTF-8 text without control characters other than tab and line breaks. With
/// `cut`, the bytes are a prefix and may end inside a character.
fn is_text(bytes: &[u8], cut: bool) -> bool {
    let valid = match std::str::from_utf8(bytes) {
        Ok(_) => true,
        Err(e) => cut && e.error_len().is_none(),
    };
    valid
        && bytes
            .iter()
            .all(|&b| b >= 0x20 && b != 0x7f || matches!(b, b'\t' | b'\n' | b'\r'))
}

/// Bytes of a URL or form value a percent-encoded run may span.
fn is_url(b: u8) -> bool {
    b.is_ascii_alphanumeric()
        || matches!(
            b,
            b'%' | b'-'
                | b'.'
                | b'_'
                | b'~'
                | b':'
                | b'/'
                | b'?'
                | b'#'
                | b'@'
                | b'!'
                | b'$'
                | b'&'
                | b'+'
                | b','
                | b';'
                | b'='
                | b'*'
        )
}

/// The byte `%XY` at `i` stands for, when it is one an encoder escapes (punctuation, space),
/// not a letter or digit or a control character (`%02x` in a format string). A byte of a
/// non-ASCII character counts only before a letter or digit (which the escape's last digit
/// would seem to extend): otherwise the ASCII around it reads the same decoded or not, and
/// the plain pass saw it (URLs of non-Latin text in access logs are full of such runs).
fn percent_escape(hay: &[u8], i: usize) -> Option<u8> {
    let hex = |b: u8| (b as char).to_digit(16);
    let (h, l) = (hex(*hay.get(i + 1)?)?, hex(*hay.get(i + 2)?)?);
    let b = (h * 16 + l) as u8;
    let hides = b < 0x80 || hay.get(i + 3).is_some_and(u8::is_ascii_alphanumeric);
    (b >= 0x20 && b != 0x7f && !b.is_ascii_alphanumeric() && hides).then_some(b)
}

/// Percent-encoded and JSON string runs, found in one pass over the `%` and `\` bytes of
/// `within`; runs of one kind do not overlap one another.
fn percent_and_escape_runs(hay: &[u8], within: Range<usize>, out: &mut Vec<Run>) {
    let text = &hay[within.clone()];
    let (mut percent_from, mut escape_from) = (within.start, within.start);
    for i in memchr::memchr2_iter(b'%', b'\\', text).map(|i| within.start + i) {
        if hay[i] == b'%' {
            if i >= percent_from && percent_escape(hay, i).is_some() {
                percent_from = percent_run(hay, i, percent_from..within.end, out);
            }
        } else if i >= escape_from && is_hiding_escape(hay, i) {
            escape_from = escape_run(hay, i, escape_from..within.end, out);
        }
    }
}

/// The percent-encoded run around the escape at `i`: the URL-ish stretch within `bounds`
/// holding it, taken when it decodes to text with a token of [`MIN_DECODED`] bytes. Returns
/// where the stretch ends.
fn percent_run(hay: &[u8], i: usize, bounds: Range<usize>, out: &mut Vec<Run>) -> usize {
    let mut start = i;
    while start > bounds.start && is_url(hay[start - 1]) {
        start -= 1;
    }
    let mut end = i + 1;
    while end < bounds.end && is_url(hay[end]) {
        end += 1;
    }
    let decoded: Vec<u8> = percent_encoding::percent_decode(&hay[start..end]).collect();
    if is_text(&decoded, false) && has_token(&decoded) {
        out.push(Run {
            span: start..end,
            encoding: Encoding::Percent,
            text: decoded,
            cut: false,
        });
    }
    end
}

/// True when `text` holds a stretch of [`MIN_DECODED`] key characters with a digit: a random
/// key of that length lacks one about one time in twenty, a camel-case name (the quoted
/// field names of URL-encoded grid settings) always does.
fn has_token(text: &[u8]) -> bool {
    let (mut run, mut digit) = (0, false);
    for &b in text {
        if is_b64(b) || b == b'=' {
            run += 1;
            digit |= b.is_ascii_digit();
        } else {
            (run, digit) = (0, false);
        }
        if run >= MIN_DECODED && digit {
            return true;
        }
    }
    false
}

/// Bytes a JSON string run may span: anything but quotes, white space and angle brackets.
fn is_string_byte(b: u8) -> bool {
    !matches!(b, b'"' | b'\'' | b'`' | b'<' | b'>') && !b.is_ascii_whitespace()
}

/// True for an escape at `i` that changes a key's bytes: `\/`, `\uXXXX` of an ASCII character.
/// (`\n` alone is left to the context rules, which read it as a line break; a non-ASCII
/// character counts only before a letter or digit, as in [`percent_escape`].)
fn is_hiding_escape(hay: &[u8], i: usize) -> bool {
    match hay.get(i + 1) {
        Some(b'/') => true,
        Some(b'u') => hay.get(i + 2..i + 6).is_some_and(|h| {
            let code = std::str::from_utf8(h)
                .ok()
                .and_then(|h| u32::from_str_radix(h, 16).ok());
            code.is_some_and(|c| c < 0x80)
                || code.is_some() && hay.get(i + 6).is_some_and(u8::is_ascii_alphanumeric)
        }),
        _ => false,
    }
}

/// The JSON string run around the hiding escape at `i`: the stretch within `bounds` between
/// quotes or white space, decoded as a JSON string when it is one (an invalid escape leaves
/// it be). Returns where the stretch ends.
fn escape_run(hay: &[u8], i: usize, bounds: Range<usize>, out: &mut Vec<Run>) -> usize {
    let mut start = i;
    while start > bounds.start && is_string_byte(hay[start - 1]) {
        start -= 1;
    }
    let mut end = i + 1;
    while end < bounds.end && is_string_byte(hay[end]) {
        end += 1;
    }
    // A run never ends inside an escape: `\` before a quote is the quote's.
    if hay[end - 1] == b'\\' && end - 1 > i {
        end -= 1;
    }
    let mut quoted = Vec::with_capacity(end - start + 2);
    quoted.push(b'"');
    quoted.extend_from_slice(&hay[start..end]);
    quoted.push(b'"');
    if let Ok(decoded) = serde_json::from_slice::<String>(&quoted)
        && decoded.len() >= MIN_DECODED
        && decoded.as_bytes() != &hay[start..end]
    {
        out.push(Run {
            span: start..end,
            encoding: Encoding::Escape,
            text: decoded.into_bytes(),
            cut: false,
        });
    }
    end
}

#[cfg(test)]
mod tests {
    use super::*;

    fn runs(text: &str) -> Vec<(String, Encoding, String)> {
        let mut out = Vec::new();
        find(text.as_bytes(), 0..text.len(), &mut out);
        out.into_iter()
            .map(|r| {
                (
                    text[r.span].to_string(),
                    r.encoding,
                    String::from_utf8(r.text).unwrap(),
                )
            })
            .collect()
    }

    fn b64(s: &str) -> String {
        base64::engine::general_purpose::STANDARD.encode(s)
    }

    #[test]
    fn base64_of_text_is_decoded_in_both_alphabets() {
        let plain = "token-value>>>???with odd bytes, long";
        let std = b64(plain);
        assert!(std.contains('+') || std.contains('/'), "{std}");
        let got = runs(&format!("KEY: {std}\n"));
        assert_eq!(
            got,
            vec![(std.clone(), Encoding::Base64, plain.to_string())]
        );
        let url = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(plain);
        let got = runs(&format!("x=\"{url}\""));
        assert_eq!(got, vec![(url, Encoding::Base64, plain.to_string())]);
    }

    #[test]
    fn base64_that_is_no_text_or_too_short_is_left() {
        let binary: Vec<u8> = (0u8..=255).collect();
        let bin = base64::engine::general_purpose::STANDARD.encode(&binary);
        assert!(runs(&format!("x: {bin}")).is_empty());
        assert!(runs(&format!("x: {}", b64("short"))).is_empty());
        assert!(runs("CONFIG_SOME_VERY_LONG_IDENTIFIER_NAME_HERE").is_empty());
        let text = b64("some text that decodes fine");
        assert!(runs(&format!("url(data:font/woff2;base64,{text})")).is_empty());
        // Mixed alphabets are no base64.
        assert!(runs(&format!("{text}_x/y")).is_empty());
    }

    #[test]
    fn the_block_test_agrees_with_the_table() {
        let mut x = 0x9e37_79b9_7f4a_7c15u64;
        for i in 0..200_000u32 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            // Mostly base64 bytes, sometimes one of anything.
            let mut bytes = [0u8; 8];
            for (j, b) in bytes.iter_mut().enumerate() {
                let r = (x >> (j * 8)) as u8;
                *b = if i % 3 == 0 {
                    r
                } else {
                    b"Az09+/-_"[(r % 8) as usize]
                };
            }
            if i % 5 == 0 {
                bytes[(x % 8) as usize] = (x >> 56) as u8;
            }
            let word = u64::from_le_bytes(bytes);
            assert_eq!(all_b64(word), bytes.iter().all(|&b| is_b64(b)), "{bytes:?}");
        }
    }

    #[test]
    fn base64_of_ascii_text_fits_its_own_alignment_everywhere() {
        let mut x = 0x2545_f491_4f6c_dd1du64;
        let text: String = (0..3000)
            .map(|_| {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                (0x20 + (x % 95) as u8) as char
            })
            .collect();
        for lead in 0..4 {
            let hay = format!("{}{}", " ".repeat(lead), b64(&text));
            let hay = hay.as_bytes();
            for at in lead..hay.len() - 8 {
                let eight = hay[at..at + 8].try_into().unwrap();
                assert_ne!(text_phases(eight, at) & (1 << (lead % 4)), 0, "at {at}");
            }
        }
        // Long identifiers and hex hashes fit no alignment.
        for word in [
            "mmDCP0_GRPH_SWAP_CNTL_BASE_IDX_",
            "9f86d081884c7d659a2feaa0c55ad015",
        ] {
            let w = word.as_bytes();
            let fits = (0..w.len() - 8)
                .filter(|&at| text_phases(w[at..at + 8].try_into().unwrap(), at) != 0)
                .count();
            assert!(fits < w.len() / 4, "{word}: {fits}");
        }
    }

    #[test]
    fn a_run_cut_by_the_window_start_is_decoded_from_its_first_whole_quad() {
        let plain = "xx and then MISTRAL_API_KEY=some-value-that-is-long-enough-0123\n";
        let enc = b64(&format!(
            "{}{plain}",
            "lorem ipsum dolor sit amet, ".repeat(9)
        ));
        for cut in 0..8 {
            let hay = &enc.as_bytes()[enc.len() / 2 + cut..];
            let mut out = Vec::new();
            let open = Edges {
                start: true,
                end: false,
            };
            find_between(hay, 0..hay.len(), open, &mut out);
            assert_eq!(out.len(), 1, "cut {cut}");
            let r = &out[0];
            assert!(r.cut && r.span.start < 4 && r.span.end == hay.len());
            assert_eq!((enc.len() / 2 + cut + r.span.start) % 4, 0);
            assert!(
                String::from_utf8_lossy(&r.text).ends_with(plain),
                "cut {cut}"
            );
            // Closed at the start, the same bytes are no run: they do not start a quad.
            let mut closed = Vec::new();
            find(hay, 0..hay.len(), &mut closed);
            assert!(closed.iter().all(|r| !r.cut));
        }
    }

    #[test]
    fn escapes_of_non_ascii_text_alone_are_left_to_the_plain_pass() {
        assert!(runs("u=https://h/m/product/33719/%D8%AE%D9%88%D8%A7%D8%A8-x").is_empty());
        assert!(
            runs(r#""name": "\u0627\u0644\u0639\u0631\u0628\u064a\u0629abcdefghijkl""#).len() == 1
        );
        assert!(
            runs(r#""name": "\u0627\u0644\u0639\u0631\u0628\u064a\u0629 abcdefghijkl""#).is_empty()
        );
        // Quoted field names of grid settings: tokens without a digit.
        assert!(runs("cols=%27name%27:%27itemsDeliveryStatus%27,%27width%27:60").is_empty());
    }

    #[test]
    fn percent_and_escapes() {
        let got = runs("u=https://h/x?token=Zq9Xw8Vu7Ts6%2BRq5Po4Nm3");
        assert_eq!(got.len(), 1);
        assert_eq!(got[0].1, Encoding::Percent);
        assert!(got[0].2.ends_with("Zq9Xw8Vu7Ts6+Rq5Po4Nm3"));
        // Format strings are no percent-encoding.
        assert!(runs("printf(\"%02x%02x%02x%02x%02xabcdefabcdefabcdef\")").is_empty());
        let got = runs(r#"{"url": "https:\/\/hooks.example.com\/services\/T0\/B1\/Zq9"}"#);
        assert_eq!(got.len(), 1);
        assert_eq!(got[0].2, "https://hooks.example.com/services/T0/B1/Zq9");
        let got = runs(r#""sk\u002dant\u002dapi03\u002dZq9Xw8""#);
        assert_eq!(got[0].2, "sk-ant-api03-Zq9Xw8");
        // Invalid escapes and lone surrogates are left as written.
        assert!(runs(r#""abc\/def\qghijklmnopqrstu""#).is_empty());
        assert!(runs(r#""abcdefghijklmnop\ud800\/x""#).is_empty());
        assert!(runs("printf(\"line\\n\")").is_empty());
    }
}

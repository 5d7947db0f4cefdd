//! What text encoding a blob's bytes are in, judged from the bytes rather than from a
//! two-byte mark an attacker can prepend: UTF-8 and other ASCII-compatible text is scanned as
//! is, UTF-16 (with or without a byte-order mark) is decoded to UTF-8, anything else is binary.
//!
//! A byte-order mark alone proves nothing: `FF FE` followed by ASCII is still ASCII (bash
//! sources it, git diffs it). UTF-16 that holds an ASCII secret has a zero byte in the high
//! half of every ASCII character, so decoding is chosen only when zeros sit on one parity of
//! offsets and (almost) never on the other, and the surrogates pair up.

use std::borrow::Cow;

use encoding_rs::{Decoder, DecoderResult, Encoding};

/// Bytes at the start of a blob inspected for a NUL, as git and ripgrep do.
pub const BINARY_PROBE: usize = 8 * 1024;

/// Bytes examined when deciding between UTF-16 and binary.
pub const UTF16_PROBE: usize = 64 * 1024;

const UTF8_BOM: &[u8] = b"\xEF\xBB\xBF";

/// How a blob's bytes are to be read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// ASCII-compatible text (UTF-8, Latin-1...): scanned as is, after a UTF-8 BOM if any.
    Text {
        /// Leading bytes that are not text (a UTF-8 BOM), so columns start after them.
        skip: usize,
    },
    /// UTF-16 text: decoded to UTF-8, and the raw bytes also scanned as binary.
    Utf16 {
        big_endian: bool,
        /// Bytes of the byte-order mark, if any.
        skip: usize,
    },
    /// Neither: scanned for self-identifying keys only.
    Binary,
}

impl Kind {
    /// The raw bytes need a pass with self-identifying rules: they are binary, or they are
    /// UTF-16 whose raw form may also carry plain ASCII (a mark over ASCII, a mixed file).
    pub fn scan_raw(self) -> bool {
        !matches!(self, Kind::Text { .. })
    }
}

/// Classifies a blob from its first bytes (`probe` may be the whole blob or a prefix of at
/// least [`UTF16_PROBE`] bytes).
pub fn classify(probe: &[u8]) -> Kind {
    let bom = match probe {
        [0xFF, 0xFE, ..] => Some(false),
        [0xFE, 0xFF, ..] => Some(true),
        _ => None,
    };
    let head = &probe[..probe.len().min(BINARY_PROBE)];
    if bom.is_none() && memchr::memchr(0, head).is_none() {
        let skip = if probe.starts_with(UTF8_BOM) { 3 } else { 0 };
        return Kind::Text { skip };
    }
    let skip = if bom.is_some() { 2 } else { 0 };
    let body = &probe[skip..probe.len().min(skip + UTF16_PROBE)];
    let z = Zeros::count(body);
    for big_endian in [false, true] {
        // The zero high byte of an ASCII character sits at even offsets in big-endian text.
        let (high, low) = if big_endian {
            (z.even, z.odd)
        } else {
            (z.odd, z.even)
        };
        // Text in any script has spaces and newlines: the high bytes must be zero often
        // (always, in a mark-less file, since only mostly-ASCII UTF-16 is recognised then),
        // the low bytes almost never (only characters such as U+4E00 have one).
        let enough = if bom == Some(big_endian) {
            high > 0
        } else {
            high * 4 >= z.pairs && bom.is_none()
        };
        if enough && low * 8 <= high && surrogates_pair_up(body, big_endian) {
            return Kind::Utf16 { big_endian, skip };
        }
    }
    if memchr::memchr(0, head).is_some() {
        Kind::Binary
    } else {
        // A UTF-16 mark over bytes that are not UTF-16: text, mark and all.
        Kind::Text { skip: 0 }
    }
}

/// Zero bytes at even and odd offsets.
struct Zeros {
    even: usize,
    odd: usize,
    pairs: usize,
}

impl Zeros {
    fn count(body: &[u8]) -> Zeros {
        let mut z = Zeros {
            even: 0,
            odd: 0,
            pairs: body.len() / 2,
        };
        for i in memchr::memchr_iter(0, body) {
            if i % 2 == 0 {
                z.even += 1;
            } else {
                z.odd += 1;
            }
        }
        z
    }
}

/// Every high surrogate is followed by a low one and every low one follows a high one (a pair
/// cut by the end of `body` is fine: `body` may be a prefix).
fn surrogates_pair_up(body: &[u8], big_endian: bool) -> bool {
    let mut expect_low = false;
    for c in body.chunks_exact(2) {
        let u = if big_endian {
            u16::from_be_bytes([c[0], c[1]])
        } else {
            u16::from_le_bytes([c[0], c[1]])
        };
        let is_low = (0xDC00..0xE000).contains(&u);
        if expect_low != is_low {
            return false;
        }
        expect_low = (0xD800..0xDC00).contains(&u);
    }
    true
}

/// A whole blob's text for the full rule set, per its [`Kind`]; `None` for binary. The flag
/// is true when UTF-16 held malformed sequences (replaced, so the rest is still scanned).
pub fn text(bytes: &[u8], kind: Kind) -> (Option<Cow<'_, [u8]>>, bool) {
    match kind {
        Kind::Text { skip } => (Some(Cow::Borrowed(&bytes[skip..])), false),
        Kind::Binary => (None, false),
        Kind::Utf16 { big_endian, skip } => {
            let mut d = Utf16Decoder::new(big_endian);
            let mut out = Vec::new();
            d.decode(&bytes[skip..], true, &mut out);
            (Some(Cow::Owned(out)), d.malformed)
        }
    }
}

/// Streaming UTF-16 to UTF-8 decoding, for blobs read in chunks.
pub struct Utf16Decoder {
    decoder: Decoder,
    /// A malformed sequence was met and replaced with U+FFFD.
    pub malformed: bool,
}

impl Utf16Decoder {
    pub fn new(big_endian: bool) -> Utf16Decoder {
        let enc: &'static Encoding = if big_endian {
            encoding_rs::UTF_16BE
        } else {
            encoding_rs::UTF_16LE
        };
        Utf16Decoder {
            decoder: enc.new_decoder_without_bom_handling(),
            malformed: false,
        }
    }

    /// Appends the UTF-8 for `src` to `out`; `last` flushes a trailing partial unit.
    pub fn decode(&mut self, mut src: &[u8], last: bool, out: &mut Vec<u8>) {
        loop {
            let room = self
                .decoder
                .max_utf8_buffer_length_without_replacement(src.len())
                .unwrap_or(src.len() * 3 + 16);
            let start = out.len();
            out.resize(start + room, 0);
            let (result, read, written) =
                self.decoder
                    .decode_to_utf8_without_replacement(src, &mut out[start..], last);
            out.truncate(start + written);
            src = &src[read..];
            match result {
                DecoderResult::InputEmpty => return,
                DecoderResult::OutputFull => {}
                DecoderResult::Malformed(..) => {
                    self.malformed = true;
                    out.extend_from_slice("\u{FFFD}".as_bytes());
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utf16(s: &str, big_endian: bool, bom: bool) -> Vec<u8> {
        let mut b = Vec::new();
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

    fn decoded(bytes: &[u8]) -> Option<Vec<u8>> {
        text(bytes, classify(bytes)).0.map(Cow::into_owned)
    }

    #[test]
    fn utf16_with_and_without_mark_is_decoded() {
        for be in [false, true] {
            for bom in [false, true] {
                let b = utf16("KEY=abc\r\nX=\u{1F600}y\n", be, bom);
                assert!(
                    matches!(classify(&b), Kind::Utf16 { .. }),
                    "be={be} bom={bom}"
                );
                assert_eq!(decoded(&b).unwrap(), "KEY=abc\r\nX=\u{1F600}y\n".as_bytes());
            }
        }
    }

    #[test]
    fn cjk_utf16_with_a_mark_is_decoded() {
        let b = utf16("鍵 = 値\n", false, true);
        assert!(matches!(classify(&b), Kind::Utf16 { .. }));
    }

    #[test]
    fn a_utf16_mark_over_ascii_is_ascii() {
        let b = b"\xFF\xFE#\nTOKEN=abcdef\n";
        assert_eq!(classify(b), Kind::Text { skip: 0 });
        assert_eq!(decoded(b).unwrap(), b);
        let b = b"\xFE\xFFTOKEN=abcdef\n";
        assert_eq!(classify(b), Kind::Text { skip: 0 });
    }

    #[test]
    fn unpaired_surrogates_are_not_utf16() {
        // A lone low surrogate (0xDC41) in otherwise LE-looking bytes.
        let b = b"\xFF\xFEA\0B\0A\xDC\nA\0";
        assert_eq!(classify(b), Kind::Binary);
    }

    #[test]
    fn utf8_mark_is_skipped_and_nul_means_binary() {
        assert_eq!(classify(b"\xEF\xBB\xBFa=1"), Kind::Text { skip: 3 });
        assert_eq!(decoded(b"\xEF\xBB\xBFa=1").unwrap(), b"a=1");
        assert_eq!(
            classify(b"\x7fELF\x02\x01\x01\0\0\0\0\0\0\0\0\0"),
            Kind::Binary
        );
        assert_eq!(classify(b"KEY=1\0\nKEY=2\n"), Kind::Binary);
        assert_eq!(classify(b"plain"), Kind::Text { skip: 0 });
    }

    #[test]
    fn streaming_decode_matches_whole_decode_across_cut_pairs() {
        let b = utf16("a\u{1F601}b\u{1F602}c\n", false, false);
        let whole = decoded(&b).unwrap();
        for cut in 0..b.len() {
            let mut d = Utf16Decoder::new(false);
            let mut out = Vec::new();
            d.decode(&b[..cut], false, &mut out);
            d.decode(&b[cut..], true, &mut out);
            assert_eq!(out, whole, "cut at {cut}");
            assert!(!d.malformed);
        }
    }

    #[test]
    fn malformed_utf16_is_flagged_and_replaced() {
        let mut d = Utf16Decoder::new(false);
        let mut out = Vec::new();
        d.decode(b"A\0\x00\xDCB\0", true, &mut out);
        assert!(d.malformed);
        assert_eq!(out, "A\u{FFFD}B".as_bytes());
    }
}

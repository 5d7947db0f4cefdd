//! Where blobs come from. Each source yields bytes plus the name reports will show; the
//! scanner does not care whether they came from a directory, the git index or history.

pub mod ignore_files;
pub mod index;
pub mod objects;
pub mod read;
pub mod walk;

use std::borrow::Cow;

/// Bytes at the start of a blob inspected for binary content, as git and ripgrep do.
const BINARY_PROBE: usize = 8 * 1024;

/// What a blob's bytes turned out to be.
pub enum Text<'a> {
    /// Scannable bytes: UTF-8, Latin-1 or other ASCII-compatible text, or decoded UTF-16.
    Bytes(Cow<'a, [u8]>),
    Binary,
}

/// Classifies raw bytes: UTF-16 with a byte-order mark is decoded to UTF-8 (Windows tools
/// write `.env` and `.ps1` files that way); a NUL byte near the start means binary.
pub fn decode(bytes: &[u8]) -> Text<'_> {
    let bom = match bytes {
        [0xFF, 0xFE, ..] => Some(encoding_rs::UTF_16LE),
        [0xFE, 0xFF, ..] => Some(encoding_rs::UTF_16BE),
        _ => None,
    };
    if let Some(enc) = bom {
        let (text, _) = enc.decode_with_bom_removal(bytes);
        return Text::Bytes(Cow::Owned(text.into_owned().into_bytes()));
    }
    let probe = &bytes[..bytes.len().min(BINARY_PROBE)];
    if memchr::memchr(0, probe).is_some() {
        Text::Binary
    } else {
        Text::Bytes(Cow::Borrowed(bytes))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf16le_with_bom_is_decoded() {
        let mut b = vec![0xFF, 0xFE];
        for u in "KEY=abc".encode_utf16() {
            b.extend_from_slice(&u.to_le_bytes());
        }
        match decode(&b) {
            Text::Bytes(t) => assert_eq!(&*t, b"KEY=abc"),
            Text::Binary => panic!("decoded as binary"),
        }
    }

    #[test]
    fn nul_means_binary() {
        assert!(matches!(decode(b"\x7fELF\0\0"), Text::Binary));
        assert!(matches!(decode(b"plain"), Text::Bytes(_)));
    }
}

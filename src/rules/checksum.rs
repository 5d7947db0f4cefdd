//! Checksum algorithms that providers build into their keys. A rule file names the kind
//! (`checksum = "base62-crc32"`); this module implements each kind, for checking matches and
//! for making example keys that pass.

use serde::{Deserialize, Serialize};

/// Digits of base62 as token checksums use them: digits, then upper case, then lower case.
const BASE62: &[u8; 62] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

/// Length of a base62-encoded CRC32 (62^6 > 2^32).
const CRC32_DIGITS: usize = 6;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Checksum {
    /// The token is a prefix ending in `_`, a random body, and the CRC32 (IEEE) of that body
    /// as 6 base62 digits, most significant first, zero-padded (the 2021 token format of
    /// a code host, also used by a package registry: see the rule files that name this kind).
    Base62Crc32,
}

impl Checksum {
    pub fn as_str(self) -> &'static str {
        match self {
            Checksum::Base62Crc32 => "base62-crc32",
        }
    }

    /// Whether `token`'s checksum holds.
    pub fn holds(self, token: &[u8]) -> bool {
        match self {
            Checksum::Base62Crc32 => {
                let body = match memchr::memrchr(b'_', token) {
                    Some(i) => &token[i + 1..],
                    None => token,
                };
                let Some(split) = body.len().checked_sub(CRC32_DIGITS) else {
                    return false;
                };
                let (data, sum) = body.split_at(split);
                !data.is_empty() && base62_crc32(data) == sum
            }
        }
    }

    /// The characters to append to the random body `data` so that the checksum holds.
    pub fn suffix(self, data: &[u8]) -> String {
        match self {
            Checksum::Base62Crc32 => String::from_utf8_lossy(&base62_crc32(data)).into_owned(),
        }
    }
}

/// CRC32 (IEEE) of `data` as 6 base62 digits.
fn base62_crc32(data: &[u8]) -> [u8; CRC32_DIGITS] {
    let mut n = crc32fast::hash(data);
    let mut digits = [b'0'; CRC32_DIGITS];
    for d in digits.iter_mut().rev() {
        *d = BASE62[(n % 62) as usize];
        n /= 62;
    }
    digits
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn crc32_in_base62() {
        // CRC32 of "123456789" is 0xCBF43926 = 3421780262 = 3*62^5 + 45*62^4 + ...
        assert_eq!(base62_crc32(b"123456789").len(), 6);
        let mut n = 0xCBF4_3926u64;
        let mut want = [0u8; 6];
        for d in want.iter_mut().rev() {
            *d = BASE62[(n % 62) as usize];
            n /= 62;
        }
        assert_eq!(base62_crc32(b"123456789"), want);
        assert_eq!(base62_crc32(b""), *b"000000");
    }

    #[test]
    fn tokens_hold_or_fail() {
        let c = Checksum::Base62Crc32;
        let body = "Q7fLm2ZpX9aVt4Rk8WcN3hJd6YsB1e";
        let token = format!("pfx_{body}{}", c.suffix(body.as_bytes()));
        assert!(c.holds(token.as_bytes()));
        // One character changed, or the token cut short: the checksum fails.
        let altered = token.replacen('Q', "R", 1);
        assert!(!c.holds(altered.as_bytes()));
        assert!(!c.holds(&token.as_bytes()[..token.len() - 1]));
        assert!(!c.holds(b"pfx_12345"));
        assert!(!c.holds(b""));
    }
}

//! Expansion of `{{class:N}}` placeholders in rule examples into pseudo-random characters.
//!
//! Examples are stored as templates so the repository never holds a key-shaped string (which
//! would trip keysift's own hook and any push protection), while tests stay deterministic.

use serde::Deserialize;

use super::checksum::Checksum;

/// Characters of a template class, or `None` for an unknown class name.
fn alphabet(class: &str) -> Option<&'static [u8]> {
    Some(match class {
        "alnum" => b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789",
        // `lower` and `upper` mean what they mean in `char_classes`: letters of that case only.
        "lower" => b"abcdefghijklmnopqrstuvwxyz",
        "upper" => b"ABCDEFGHIJKLMNOPQRSTUVWXYZ",
        "loweralnum" => b"abcdefghijklmnopqrstuvwxyz0123456789",
        "upperalnum" => b"ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789",
        "hex" => b"0123456789abcdef",
        "HEX" => b"0123456789ABCDEF",
        "alpha" => b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz",
        "digit" => b"0123456789",
        "b64" => b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/",
        "b64url" => b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-",
        _ => return None,
    })
}

/// The checksum kind a class names, if it names one.
fn checksum(class: &str) -> Option<Checksum> {
    Checksum::deserialize(serde::de::value::StrDeserializer::<serde::de::value::Error>::new(class))
        .ok()
}

/// SplitMix64: tiny, deterministic, and good enough to make key-like test strings.
struct SplitMix(u64);

impl SplitMix {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
}

/// Alphanumerics, for the random part of a checksummed class.
const ALNUM: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

/// Replaces every `{{class:N}}` in `template`; anything else (including `{{ other }}`) is kept.
/// A checksum kind as the class (`{{base62-crc32:30}}`) gives N alphanumerics followed by
/// their checksum, so examples of checksummed keys pass the check.
pub fn expand_template(template: &str, seed: u64) -> String {
    let mut rng = SplitMix(seed);
    let mut out = String::with_capacity(template.len() + 64);
    let mut rest = template;
    while let Some(start) = rest.find("{{") {
        out.push_str(&rest[..start]);
        let after = &rest[start + 2..];
        let parsed = after.find("}}").and_then(|end| {
            let (class, n) = after[..end].split_once(':')?;
            let sum = checksum(class);
            let chars = if sum.is_some() {
                ALNUM
            } else {
                alphabet(class)?
            };
            Some((chars, sum, n.parse::<usize>().ok()?, end))
        });
        match parsed {
            Some((chars, sum, n, end)) => {
                let from = out.len();
                for _ in 0..n {
                    out.push(chars[(rng.next() % chars.len() as u64) as usize] as char);
                }
                if let Some(sum) = sum {
                    let data = out[from..].to_string();
                    out.push_str(&sum.suffix(data.as_bytes()));
                }
                rest = &after[end + 2..];
            }
            None => {
                out.push_str("{{");
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn expands_classes_and_keeps_other_braces() {
        let s = expand_template("k={{hex:8}} v={{ secrets.X }}", 7);
        assert_eq!(s.len(), "k=".len() + 8 + " v={{ secrets.X }}".len());
        assert!(s[2..10].bytes().all(|b| b.is_ascii_hexdigit()));
        assert!(s.ends_with("v={{ secrets.X }}"));
        assert_eq!(s, expand_template("k={{hex:8}} v={{ secrets.X }}", 7));
        assert_ne!(s, expand_template("k={{hex:8}} v={{ secrets.X }}", 8));
    }

    #[test]
    fn case_classes_match_char_classes_and_checksums_hold() {
        let s = expand_template("{{lower:64}}{{upper:64}}", 3);
        assert!(s[..64].bytes().all(|b| b.is_ascii_lowercase()));
        assert!(s[64..].bytes().all(|b| b.is_ascii_uppercase()));
        let t = expand_template("pfx_{{base62-crc32:30}}", 3);
        assert_eq!(t.len(), 4 + 36);
        assert!(Checksum::Base62Crc32.holds(t.as_bytes()));
    }
}

//! A seeded PRNG (SplitMix64) so the corpus is the same on every run and every machine, and the
//! suite's own random-body expander. The expander reads `{{class:N}}` (N characters of
//! `class`) and is written here on purpose: the suite never draws keys through keysift's own
//! template expander, so a bug there cannot make the suite agree with the detector.

pub struct Rng(u64);

/// The character classes of `{{class:N}}`.
pub fn alphabet(class: &str) -> &'static [u8] {
    match class {
        "alnum" => b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789",
        "alpha" => b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz",
        "upper" => b"ABCDEFGHIJKLMNOPQRSTUVWXYZ",
        "lower" => b"abcdefghijklmnopqrstuvwxyz",
        "loweralnum" => b"abcdefghijklmnopqrstuvwxyz0123456789",
        "upperalnum" => b"ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789",
        "digit" => b"0123456789",
        "hex" => b"0123456789abcdef",
        "HEX" => b"0123456789ABCDEF",
        "b64" => b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/",
        "b64url" => b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_",
        other => panic!("unknown character class {other}"),
    }
}

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A uniform integer in `0..n` (`n > 0`).
    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n as u64) as usize
    }

    /// A uniform integer in `lo..=hi`.
    pub fn range(&mut self, lo: usize, hi: usize) -> usize {
        lo + self.below(hi - lo + 1)
    }

    /// True with probability `percent`/100.
    pub fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }

    pub fn pick<T: Copy>(&mut self, xs: &[T]) -> T {
        xs[self.below(xs.len())]
    }

    /// `n` characters drawn uniformly from `class`.
    pub fn chars(&mut self, class: &str, n: usize) -> String {
        let a = alphabet(class);
        (0..n).map(|_| a[self.below(a.len())] as char).collect()
    }

    /// Expands every `{{class:N}}` in `template` with fresh random characters.
    pub fn fill(&mut self, template: &str) -> String {
        let mut out = String::with_capacity(template.len());
        let mut rest = template;
        while let Some(start) = rest.find("{{") {
            out.push_str(&rest[..start]);
            let after = &rest[start + 2..];
            let Some(end) = after.find("}}") else {
                out.push_str(&rest[start..]);
                return out;
            };
            match after[..end].split_once(':') {
                Some((class, n)) if n.parse::<usize>().is_ok() => {
                    let n = n.parse().unwrap_or(0);
                    out.push_str(&self.chars(class, n));
                }
                _ => out.push_str(&rest[start..start + 2 + end + 2]),
            }
            rest = &after[end + 2..];
        }
        out.push_str(rest);
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fill_expands_classes_and_keeps_other_text() {
        let mut r = Rng::new(7);
        let s = r.fill("a-{{hex:8}}-{{name:x}}-{{digit:3}}");
        assert_eq!(s.len(), "a-".len() + 8 + "-{{name:x}}-".len() + 3);
        assert!(s[2..10].bytes().all(|b| b.is_ascii_hexdigit()));
        assert!(s.contains("{{name:x}}"));
    }
}

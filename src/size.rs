//! Byte sizes as people write and read them: `10M` or `1G` in (`--max-file-size`), `56 B` or
//! `1.5 MiB` out (summaries, diagnostics).

/// `512 B`, `1.5 KiB`, `3.2 MiB`, `1.1 GiB`.
pub fn human(n: u64) -> String {
    const UNITS: [&str; 4] = ["KiB", "MiB", "GiB", "TiB"];
    if n < 1024 {
        return format!("{n} B");
    }
    let mut v = n as f64 / 1024.0;
    let mut unit = 0;
    while v >= 1024.0 && unit + 1 < UNITS.len() {
        v /= 1024.0;
        unit += 1;
    }
    format!("{v:.1} {}", UNITS[unit])
}

/// Parses `1048576`, `512K`, `10M`, `1.5G`, `2T` (binary multiples; a trailing `B` or `iB`
/// is allowed, case does not matter).
pub fn parse(s: &str) -> Result<u64, String> {
    let t = s.trim();
    let lower = t.to_ascii_lowercase();
    let body = lower
        .strip_suffix("ib")
        .or_else(|| lower.strip_suffix('b'))
        .unwrap_or(&lower);
    let (num, shift) = match body.chars().last() {
        Some('k') => (&body[..body.len() - 1], 10),
        Some('m') => (&body[..body.len() - 1], 20),
        Some('g') => (&body[..body.len() - 1], 30),
        Some('t') => (&body[..body.len() - 1], 40),
        _ => (body, 0),
    };
    let bad = || format!("`{t}` is not a size (examples: 500K, 10M, 1G)");
    let value: f64 = num.trim().parse().map_err(|_| bad())?;
    if !value.is_finite() || value < 0.0 {
        return Err(bad());
    }
    let bytes = value * (1u64 << shift) as f64;
    if bytes >= u64::MAX as f64 {
        return Err(bad());
    }
    Ok(bytes as u64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_read_well() {
        assert_eq!(human(0), "0 B");
        assert_eq!(human(1536), "1.5 KiB");
        assert_eq!(human(3 << 30), "3.0 GiB");
    }

    #[test]
    fn sizes_parse_as_written() {
        assert_eq!(parse("10M"), Ok(10 << 20));
        assert_eq!(parse("1G"), Ok(1 << 30));
        assert_eq!(parse("1.5k"), Ok(1536));
        assert_eq!(parse("2MiB"), Ok(2 << 20));
        assert_eq!(parse("100"), Ok(100));
        assert!(parse("ten").is_err());
        assert!(parse("-1M").is_err());
        assert!(parse("").is_err());
    }
}

//! Helpers shared by the fuzz targets.

use keysift::rules::expand_template;

/// Largest expansion of templates in one input: a fuzzed `{{hex:999999999}}` would only
/// measure the allocator.
const MAX_EXPANSION: usize = 64 * 1024;

/// Whether expanding the `{{class:N}}` templates in `text` stays under [`MAX_EXPANSION`].
pub fn templates_are_small(text: &str) -> bool {
    expansion(text.as_bytes()) <= MAX_EXPANSION
}

fn expansion(bytes: &[u8]) -> usize {
    let mut total = 0usize;
    let mut rest = bytes;
    while let Some((token, after)) = next_template(rest) {
        let n = token
            .rsplit(|&b| b == b':')
            .next()
            .and_then(|n| std::str::from_utf8(n).ok())
            .and_then(|n| n.parse::<usize>().ok())
            .unwrap_or(0);
        total = total.saturating_add(n);
        rest = after;
    }
    total
}

/// The next `{{...}}` in `bytes` (without newlines or nested braces), and what follows it.
fn next_template(bytes: &[u8]) -> Option<(&[u8], &[u8])> {
    let mut from = 0;
    loop {
        let start = from + find(&bytes[from..], b"{{")?;
        let body = &bytes[start + 2..];
        // Templates are short: look for the end nearby only, so the search stays linear.
        if let Some(end) = find(&body[..body.len().min(34)], b"}}") {
            let inner = &body[..end];
            if !inner.iter().any(|b| b"{}\n".contains(b)) {
                return Some((&bytes[start..start + 2 + end + 2], &body[end + 2..]));
            }
        }
        from = start + 2;
    }
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

/// `bytes` with each `{{class:N}}` template replaced as rule examples are (so the committed
/// seeds hold no key-shaped string while the scan still meets keys), whatever the bytes
/// around it; `None` when there is none or the expansion would be too large.
pub fn expand_templates(bytes: &[u8], seed: u64) -> Option<Vec<u8>> {
    if expansion(bytes) > MAX_EXPANSION {
        return None;
    }
    let mut out = Vec::with_capacity(bytes.len() + 256);
    let mut rest = bytes;
    let mut changed = false;
    let mut n = 0;
    while let Some((token, after)) = next_template(rest) {
        let at = rest.len() - after.len() - token.len();
        out.extend_from_slice(&rest[..at]);
        match std::str::from_utf8(token) {
            Ok(t) => {
                let e = expand_template(t, seed.wrapping_add(n));
                changed |= e != t;
                out.extend_from_slice(e.as_bytes());
            }
            Err(_) => out.extend_from_slice(token),
        }
        n += 1;
        rest = after;
    }
    out.extend_from_slice(rest);
    changed.then_some(out)
}

//! Cheap per-candidate checks that turn a regex match into a believable secret: randomness
//! (Shannon entropy, character classes), placeholder rejection and nearby context.

use std::ops::Range;

use super::candidate::Candidate;
use super::context::{
    labels,
    rank::{self, Rank},
    words,
};
use crate::lines::line_start;
use crate::lines::line_start_after;
use crate::rules::{CharClasses, Rule, Words};

/// Validates the match `secret` of `rule`, whose word lists are `words`. `context_hits` are
/// the rule's context words in `hay`, sorted, when the caller already has them
/// (context-anchored rules); otherwise they are looked up around the candidate.
pub fn candidate(
    hay: &[u8],
    rule_idx: usize,
    rule: &Rule,
    words: &Words,
    secret: Range<usize>,
    context_hits: Option<&[Range<usize>]>,
) -> Option<Candidate> {
    let bytes = &hay[secret.clone()];
    let label = labels::own_label(hay, secret.start);
    // Randomness checks guard values only neighbours vouch for; a value the provider's own
    // env var or client names is its key whatever characters it drew.
    let canonical = is_canonical(hay, secret.start, label.as_ref(), rule);
    if !canonical {
        if rule.entropy > 0.0 && shannon_entropy(bytes) < rule.entropy {
            return None;
        }
        if !body_classes(rule, bytes).contains(rule.char_classes) {
            return None;
        }
        if rule.max_word_share < 1.0 && word_share(bytes) > rule.max_word_share {
            return None;
        }
    } else if digest_in_a_mixed_case_shape(rule, bytes) {
        return None;
    }
    if placeholder(bytes, canonical, words) {
        return None;
    }
    if is_labelled_digest(hay, secret.start, bytes, words) {
        return None;
    }
    // A prefixless candidate whose own name says it is a hash, an id or another service's
    // secret is that, whatever provider is mentioned nearby; in minified code it must be named.
    if rule.is_context_anchored()
        && (label
            .as_ref()
            .is_some_and(|l| words::label_names_something_else(&hay[l.clone()], words))
            || labels::unnamed_in_long_line(hay, secret.start, label.as_ref()))
    {
        return None;
    }
    let context_rank = match &rule.context {
        None => None,
        Some(ctx) => {
            let found;
            let hits = match context_hits {
                Some(h) => h,
                None => {
                    let w = rank::window(hay, secret.start, ctx.lines_before, ctx.lines_after);
                    found = rank::find_hits(hay, w, ctx);
                    &found
                }
            };
            let d = rank::distance(hay, secret.clone(), label.clone(), rule, ctx, hits, words);
            if ctx.required && d.is_none() {
                return None;
            }
            // Another service named nearer than the provider (in the label: even as near).
            if let Some(x) = rank::exclusion(hay, secret.clone(), label, ctx, words)
                && d.is_none_or(|d| x < d || x == Rank::IN_LABEL)
            {
                return None;
            }
            d
        }
    };
    let checksum = rule.checksum.map(|c| c.holds(bytes));
    Some(Candidate {
        rule: rule_idx,
        secret,
        context_seen: context_rank.is_some(),
        context_rank,
        checksum,
    })
}

/// The character classes of the random body of `secret`: without the fixed start and end
/// the rule's regex gives every match (`AIza`, `sk-proj-`) and without the rule's keywords
/// inside it (`T3BlbkFJ`), which would satisfy a requirement on their own.
fn body_classes(rule: &Rule, secret: &[u8]) -> CharClasses {
    if rule.char_classes == CharClasses::default() {
        return CharClasses::default();
    }
    let body = rule.compiled().map_or(secret, |re| re.body(secret));
    let inner: Vec<Range<usize>> = rule
        .keywords
        .iter()
        .flat_map(|k| memchr::memmem::find_iter(body, k.as_bytes()).map(move |i| i..i + k.len()))
        .collect();
    if inner.is_empty() {
        return CharClasses::of(body);
    }
    let mut fixed = vec![false; body.len()];
    for r in inner {
        fixed[r].fill(true);
    }
    let random: Vec<u8> = body
        .iter()
        .zip(&fixed)
        .filter(|(_, f)| !**f)
        .map(|(b, _)| *b)
        .collect();
    CharClasses::of(&random)
}

/// True when the rule's keys mix upper and lower case but `bytes` is hex digits of one case:
/// a digest or an id under the key's name (`MISTRAL_API_KEY=<md5>`), not a key. A random
/// 32-character alphanumeric key is one-case hex about 3 times in 10^19.
fn digest_in_a_mixed_case_shape(rule: &Rule, bytes: &[u8]) -> bool {
    let mixed = CharClasses::UPPER.union(CharClasses::LOWER);
    rule.char_classes.contains(mixed)
        && (bytes.iter().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
            || bytes.iter().all(|b| matches!(b, b'0'..=b'9' | b'A'..=b'F')))
}

/// Labels of a client's key argument: `Provider(api_key="…")`, `ProviderClient(apiKey=…)`.
const KEY_ARGUMENTS: &[&[u8]] = &[b"api_key", b"apiKey", b"key", b"token"];

/// True when the value at `start` is written the provider's canonical way: its own label is
/// one of the provider's env vars (`PROVIDER_API_KEY=…`, `PROVIDER_API_KEY: …`, a Kubernetes
/// `- name: PROVIDER_API_KEY` / `value: …`), or it is the first argument or key argument of a
/// call whose name holds one of the rule's context words (`Provider(api_key="…")`,
/// `provider.Client("…")`, `ProviderClient(` on the line above `api_key="…",`).
fn is_canonical(hay: &[u8], start: usize, label: Option<&Range<usize>>, rule: &Rule) -> bool {
    let Some(ctx) = &rule.context else {
        return false;
    };
    if let Some(l) = label {
        let name = &hay[l.clone()];
        if rule
            .provider
            .env_vars
            .iter()
            .any(|v| v.as_bytes().eq_ignore_ascii_case(name))
        {
            return true;
        }
    }
    // The call's argument list: from `(` to the value, on this line or ending the one above.
    let line = line_start(hay, start);
    let before_value = match label {
        Some(l) if l.start >= line && KEY_ARGUMENTS.contains(&&hay[l.clone()]) => l.start,
        Some(_) => return false,
        None => start,
    };
    let head = hay[line..before_value].trim_ascii_end();
    // Past the value's opening quote (`\"` in a notebook's JSON).
    let head = head
        .strip_suffix(b"\\\"")
        .or_else(|| head.strip_suffix(b"\""))
        .or_else(|| head.strip_suffix(b"'"))
        .unwrap_or(head)
        .trim_ascii();
    let call = match head.strip_suffix(b"(") {
        Some(call) => call,
        None if head.is_empty() && line > 0 => {
            let above = &hay[line_start(hay, line - 1)..line - 1];
            match above.trim_ascii_end().strip_suffix(b"(") {
                Some(call) => call,
                None => return false,
            }
        }
        None => return false,
    };
    let name_at = call
        .iter()
        .rposition(|&b| !(b.is_ascii_alphanumeric() || b == b'_' || b == b'.'))
        .map_or(0, |i| i + 1);
    let name = &call[name_at..];
    ctx.keywords
        .iter()
        .any(|k| !ctx.word_start.contains(k) && memchr::memmem::find(name, k.as_bytes()).is_some())
}

/// Shannon entropy of `bytes` in bits per byte.
pub fn shannon_entropy(bytes: &[u8]) -> f64 {
    if bytes.is_empty() {
        return 0.0;
    }
    let mut counts = [0u32; 256];
    for &b in bytes {
        counts[b as usize] += 1;
    }
    let n = bytes.len() as f64;
    counts
        .iter()
        .filter(|&&c| c > 0)
        .map(|&c| {
            let p = c as f64 / n;
            -p * p.log2()
        })
        .sum()
}

/// How far before a value its label is looked for, on the same line.
const LABEL_REACH: usize = 40;

/// True for an all-hex value whose label on the same line names it a digest (the
/// `digest_labels` word list: `"fingerprint": "…"`, `sha256 = …`). Hex keys (32-hex keys of
/// some clouds) never carry such labels, while reports, lock data, build manifests and
/// baselines put many digests next to a provider's name.
fn is_labelled_digest(hay: &[u8], start: usize, value: &[u8], words: &Words) -> bool {
    if !value.iter().all(u8::is_ascii_hexdigit) {
        return false;
    }
    let from = line_start_after(hay, start, start.saturating_sub(LABEL_REACH));
    let label = hay[from..start].to_ascii_lowercase();
    words.has_digest_label(&label)
}

/// The share of `bytes` covered by word-like runs: three or more lower-case letters, with the
/// capital just before them (`Completion`, `stream`). Identifiers built from words
/// (`MistralChatCompletionStream2411`) score 0.8 to 1.0; in random alphanumeric keys runs that
/// long are rare (a 32-character key scores 0.6 or more about 3 times in 1,000).
pub fn word_share(bytes: &[u8]) -> f64 {
    if bytes.is_empty() {
        return 0.0;
    }
    let mut covered = 0;
    let mut i = 0;
    while i < bytes.len() {
        if !bytes[i].is_ascii_lowercase() {
            i += 1;
            continue;
        }
        let start = i;
        while i < bytes.len() && bytes[i].is_ascii_lowercase() {
            i += 1;
        }
        if i - start >= 3 {
            let capital = start > 0 && bytes[start - 1].is_ascii_uppercase();
            covered += i - start + usize::from(capital);
        }
    }
    covered as f64 / bytes.len() as f64
}

/// Longest secret the repetition checks apply to: long bodies such as PEM keys carry fixed
/// headers (`AAAAAAAA` in every OpenSSH key) that are not placeholders.
const SHORT_SECRET: usize = 128;

/// True for values people write in docs and templates: words of the `placeholder` word list
/// that read as words (see [`reads_as_a_word`]; lower, upper or title case only), a short unit
/// typed over and over (`xxxx`, `abcd1234abcd1234`), and ascending or descending sequences
/// such as `123456` or `abcdef`.
pub fn looks_like_placeholder(bytes: &[u8], words: &Words) -> bool {
    placeholder(bytes, false, words)
}

/// [`looks_like_placeholder`]; for a `named` value (a canonical form, see `is_canonical`) the
/// typed shapes must be longer (ten of a character or a sequence of ten): a random 32-hex key
/// holds six of a kind or a six-long sequence about 6 times in 100,000.
fn placeholder(bytes: &[u8], named: bool, words: &Words) -> bool {
    let wordy = word_share(bytes) >= 0.5;
    if words
        .placeholder_words_in(bytes)
        .any(|at| reads_as_a_word(bytes, at, wordy))
    {
        return true;
    }
    let short = bytes.len() <= SHORT_SECRET;
    // In a long random body a 10-character sequence is as unlikely as in a short one a 6.
    let sequence = if short && !named { 6 } else { 10 };
    let same = if named { 9 } else { 5 };
    (short && repeats_a_unit(bytes, same)) || has_sequence(bytes, sequence) || periodic(bytes)
}

/// Longest unit [`periodic`] looks for: a typed word or two (`YOURAPIKEY`, `changeme`).
const MAX_PERIOD: usize = 16;

/// True when the whole value repeats one unit of up to [`MAX_PERIOD`] characters, at least
/// twice over (`YOURAPIKEYYOURAPIKEYYOURAPIKEYYO`): typed, whatever its words. A random value
/// of 2p characters repeats its first p with odds of 62^-p.
fn periodic(bytes: &[u8]) -> bool {
    (1..=MAX_PERIOD.min(bytes.len() / 2)).any(|p| bytes[p..].iter().zip(bytes).all(|(a, b)| a == b))
}

/// True when the placeholder word at `at` reads as one: a long word (six letters or more turn
/// up in a random key about once in a billion), not letters (`****`), next to a separator
/// (`your_api_key`, `sk-fake-1`, `<YOUR KEY>`), a word of five letters at an end of the value
/// (`dummy…`), or in a value `wordy` with words (`YourApiKeyHere`). Four letters a random key
/// happens to share (`…q7YOURm…`, about 2 keys in 100,000) are chance.
fn reads_as_a_word(bytes: &[u8], at: Range<usize>, wordy: bool) -> bool {
    const LONG_WORD: usize = 6;
    const END_WORD: usize = 5;
    let separator = |b: &u8| !b.is_ascii_alphanumeric();
    let at_an_end = at.start == 0 || at.end == bytes.len();
    // In a value of words, a capitalised word between humps: `YourApiKeyHere`.
    let hump = bytes[at.start].is_ascii_uppercase()
        && bytes.get(at.start + 1).is_some_and(u8::is_ascii_lowercase)
        && at
            .start
            .checked_sub(1)
            .is_none_or(|i| !bytes[i].is_ascii_uppercase())
        && bytes.get(at.end).is_none_or(|b| !b.is_ascii_lowercase());
    at.len() >= LONG_WORD
        || !bytes[at.start].is_ascii_alphabetic()
        || (wordy && hump)
        || (at.len() >= END_WORD && at_an_end)
        || at
            .start
            .checked_sub(1)
            .is_some_and(|i| separator(&bytes[i]))
        || bytes.get(at.end).is_some_and(separator)
}

/// A unit of 1 to 8 characters repeated over [`REPEAT_SPAN`] characters (`aaaaaa`,
/// `a1b2c3d4a1b2c3d4`): chance in a random string of even 16 symbols is about 16^-12.
const REPEAT_SPAN: usize = 12;

fn repeats_a_unit(bytes: &[u8], same: usize) -> bool {
    (1..=8).any(|period| {
        let mut run = 0;
        for i in period..bytes.len() {
            if bytes[i] == bytes[i - period] {
                run += 1;
                // A run of one character counts sooner (`same` repeats): typed, not drawn.
                if run >= REPEAT_SPAN || (period == 1 && run >= same) {
                    return true;
                }
            } else {
                run = 0;
            }
        }
        false
    })
}

/// An ascending or descending run of `len` letters or digits (`abcdef`, `987654`).
fn has_sequence(bytes: &[u8], len: usize) -> bool {
    let (mut up, mut down) = (1, 1);
    for pair in bytes.windows(2) {
        let (a, b) = (pair[0].to_ascii_lowercase(), pair[1].to_ascii_lowercase());
        let alnum = a.is_ascii_alphanumeric() && b.is_ascii_alphanumeric();
        up = if alnum && b == a.wrapping_add(1) {
            up + 1
        } else {
            1
        };
        down = if alnum && a == b.wrapping_add(1) {
            down + 1
        } else {
            1
        };
        if up >= len || down >= len {
            return true;
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The built-in word lists, as a rule of no built-in provider sees them.
    fn builtin_words() -> Words {
        crate::rules::RuleSet::builtin().unwrap().words_for("none")
    }

    #[test]
    fn entropy_of_uniform_and_constant() {
        assert_eq!(shannon_entropy(b"aaaa"), 0.0);
        assert!((shannon_entropy(b"abcd") - 2.0).abs() < 1e-9);
    }

    #[test]
    fn a_whole_value_repeating_a_unit_is_typed() {
        assert!(periodic(b"YOURAPIKEYYOURAPIKEYYOURAPIKEYYO"));
        assert!(periodic(b"changemechangeme"));
        assert!(!periodic(b"changemechangemX"));
        assert!(!periodic(b"Q7mZ2kP9xL4vB8nR3tY6wC1dF5gH0jK2"));
        assert!(!periodic(b"a"));
    }

    #[test]
    fn one_case_hex_is_a_digest_only_where_keys_mix_case() {
        let set = crate::rules::RuleSet::builtin().unwrap();
        let mixed_case = CharClasses::UPPER.union(CharClasses::LOWER);
        let mixed = set
            .rules()
            .iter()
            .find(|r| r.char_classes.contains(mixed_case))
            .unwrap();
        let one_case = set
            .rules()
            .iter()
            .find(|r| !r.char_classes.contains(mixed_case))
            .unwrap();
        let md5 = b"bd9958aaabc1cbf392e93bd626724b73";
        assert!(digest_in_a_mixed_case_shape(mixed, md5));
        assert!(digest_in_a_mixed_case_shape(
            mixed,
            &md5.to_ascii_uppercase()
        ));
        // Where keys need not mix case (32-hex keys), the same value may be one.
        assert!(!digest_in_a_mixed_case_shape(one_case, md5));
        assert!(!digest_in_a_mixed_case_shape(
            mixed,
            b"bd9958aaabc1cbf392e93bd626724b7Z"
        ));
    }

    #[test]
    fn placeholders() {
        let w = builtin_words();
        for p in [
            "sk-xxxxxxxxxxxxxxxx",
            "your_api_key_here",
            "AKIAIOSFODNN7EXAMPLE",
            "abc123456789zz",
            "qwertyABCDEFzz",
            "aaaaaaaaQ1",
            "sk-1234abcd1234abcd1234abcd1234abcd",
            "a1b2c3d4a1b2c3d4a1b2c3d4a1b2c3d4",
            "YOURAPIKEYYOURAPIKEYYOURAPIKEYYO",
        ] {
            assert!(looks_like_placeholder(p.as_bytes(), &w), "{p}");
        }
        assert!(!looks_like_placeholder(
            b"Q7fLm2ZpX9aVt4Rk8WcN3hJd6YsB1eGu",
            &w
        ));
        // Mixed case inside a random body is chance, not a word; so are four letters in
        // common with a word.
        assert!(!looks_like_placeholder(
            b"Q7fLm2ZpyOuRt4Rk8WcN3hJd6YsB1eGu",
            &w
        ));
        // (Built at run time: this repository holds no key-shaped literal.)
        for word in ["YOUR", "9Fake"] {
            let key = ["Q7fLm2Zp", word, "t4Rk8WcN3hJd6YsB1eGu"].concat();
            assert!(!looks_like_placeholder(key.as_bytes(), &w), "{key}");
        }
        assert!(looks_like_placeholder(b"your_mistral_key_here", &w));
        assert!(looks_like_placeholder(b"YourMistralApiKeyHere", &w));
        assert!(looks_like_placeholder(b"sk-fake-Q7fLm2ZpX9aVt4Rk8WcN", &w));
        // Long bodies keep their fixed headers.
        let long = format!(
            "b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAAB{}",
            "Zq9".repeat(40)
        );
        assert!(!looks_like_placeholder(long.as_bytes(), &w));
        let seq = format!(
            "sk-admin-{}T3BlbkFJ{}",
            "abcdefghijklmnopqrstuvwxyz".repeat(3),
            "Zq9".repeat(30)
        );
        assert!(looks_like_placeholder(seq.as_bytes(), &w));
    }

    #[test]
    fn hex_values_labelled_as_digests() {
        let w = builtin_words();
        // Built at run time so this file holds no key-shaped string.
        let hex = crate::rules::expand_template("{{hex:32}}", 1);
        let hay = format!("\"fingerprint\": \"{hex}\"");
        let start = hay.len() - 33;
        assert!(is_labelled_digest(
            hay.as_bytes(),
            start,
            hex.as_bytes(),
            &w
        ));
        let hay = format!("AZURE_OPENAI_API_KEY={hex}");
        let start = hay.len() - 32;
        assert!(!is_labelled_digest(
            hay.as_bytes(),
            start,
            hex.as_bytes(),
            &w
        ));
    }

    #[test]
    fn word_share_tells_identifiers_from_keys() {
        assert!(word_share(b"MistralChatCompletionStream2411x") > 0.8);
        assert!(word_share(b"mistralEmbeddingsV2AdapterConfig") > 0.8);
        let key = ["Q7fLm2ZpX9aVt4Rk", "8WcN3hJd6YsB1eGu"].concat();
        assert!(word_share(key.as_bytes()) < 0.2);
        assert_eq!(word_share(b""), 0.0);
    }
}

//! Ranking the context words around a candidate: which word explains it best, if any, as a
//! [`Rank`] (in its own label, then on its line nearer first, then lines away, above before
//! below); and the nearest excluded word that speaks against it.

use std::ops::Range;

use super::labels::{find_operator, token_at};
use super::words::is_generic;
use crate::lines::{line_end_before, line_start_after};
use crate::rules::{Context, Rule, Words};

/// Cap on a context window's reach either side of the candidate, in bytes.
pub const CONTEXT_CAP: usize = 2048;

/// How far a context word on the candidate's own line may be, in bytes. Lines of ordinary
/// files are shorter than this; minified files and notebooks' one-line outputs are not.
pub const SAME_LINE_REACH: usize = 160;

/// Shortest value a label can be spent on (see `is_spent`).
const MIN_BOUND_VALUE: usize = 16;

/// How far after a context word the value it labels is looked for (see `is_spent`).
const SPENT_REACH: usize = 1024;

/// The byte range of the lines a context word may sit on for a candidate starting at `pos`:
/// `before` lines above to `after` lines below, clipped to [`CONTEXT_CAP`] either side.
pub fn window(hay: &[u8], pos: usize, before: usize, after: usize) -> Range<usize> {
    crate::lines::line_window(hay, pos, before, after, CONTEXT_CAP)
}

/// Every occurrence of `ctx`'s keywords in `range` of `hay`, sorted by position. The engine
/// already has these for context-anchored rules; keyword rules with a context use this.
pub fn find_hits(hay: &[u8], range: Range<usize>, ctx: &Context) -> Vec<Range<usize>> {
    let text = &hay[range.clone()];
    let mut hits = Vec::new();
    for k in &ctx.keywords {
        for i in memchr::memmem::find_iter(text, k.as_bytes()) {
            let start = range.start + i;
            hits.push(start..start + k.len());
        }
    }
    hits.sort_unstable_by_key(|h| h.start);
    hits
}

/// How well a context word explains a candidate; a smaller rank explains it better. Fields
/// compare in order: fewer lines away first, then a word above before one below (names
/// usually come first), then fewer bytes away on the candidate's own line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Rank {
    /// Line breaks between the word and the candidate (JSON-escaped `\n` count as lines).
    pub lines: u32,
    /// The word is on a line below the candidate.
    pub below: bool,
    /// On the candidate's own line: the bytes between them, plus one; 0 for a word in the
    /// candidate's own label, which explains it best.
    pub bytes: u32,
}

impl Rank {
    /// A word in the candidate's own label (`MISTRAL_API_KEY=<k>`).
    pub const IN_LABEL: Rank = Rank {
        lines: 0,
        below: false,
        bytes: 0,
    };

    /// A word on the candidate's own line, `gap` bytes away.
    fn same_line(gap: usize) -> Rank {
        Rank {
            lines: 0,
            below: false,
            bytes: 1 + gap as u32,
        }
    }

    /// A word `lines` lines above or below the candidate.
    fn lines_away(lines: usize, below: bool) -> Rank {
        Rank {
            lines: lines as u32,
            below,
            bytes: 0,
        }
    }

    /// The word sits on the candidate's own line (or in its label).
    pub fn on_own_line(self) -> bool {
        self.lines == 0
    }
}

/// Where a candidate sits, for ranking the words around it.
struct Spot<'a> {
    hay: &'a [u8],
    secret: Range<usize>,
    label: Option<Range<usize>>,
    /// The candidate's own name is generic (or absent): neighbours may explain it.
    generic: bool,
    /// The candidate's line, clipped to the context window.
    line: Range<usize>,
    /// The context window in lines above and below.
    before: usize,
    after: usize,
}

impl Spot<'_> {
    /// Words are ranked only inside `window`, so the candidate's line is looked for only there.
    fn new<'h>(
        hay: &'h [u8],
        secret: Range<usize>,
        label: Option<Range<usize>>,
        ctx: &Context,
        window: &Range<usize>,
        words: &Words,
    ) -> Spot<'h> {
        let generic = label
            .as_ref()
            .is_none_or(|l| is_generic(&hay[l.clone()], words));
        let line = line_start_after(hay, secret.start, window.start)
            ..line_end_before(hay, secret.start, window.end);
        Spot {
            hay,
            secret,
            label,
            generic,
            line,
            before: ctx.lines_before,
            after: ctx.lines_after,
        }
    }

    /// The [`Rank`] of a word at `h`; `None` when the word cannot explain the candidate.
    fn rank(&self, h: &Range<usize>) -> Option<Rank> {
        let secret = &self.secret;
        if h.start < secret.end && secret.start < h.end {
            // A word inside the candidate is chance ("...AWSq4..."), not context.
            return None;
        }
        if self
            .label
            .as_ref()
            .is_some_and(|l| l.start <= h.start && h.end <= l.end)
        {
            return Some(Rank::IN_LABEL);
        }
        if !self.generic {
            return None;
        }
        if h.start >= self.line.start && h.end <= self.line.end {
            let (gap, lo, hi, below) = if h.end <= secret.start {
                (secret.start - h.end, h.end, secret.start, false)
            } else {
                let gap = h.start.saturating_sub(secret.end);
                (gap, secret.end, h.start, true)
            };
            // JSON-escaped text (a notebook cell stored as one string) breaks lines with `\n`.
            let escaped = memchr::memmem::find_iter(&self.hay[lo..hi], b"\\n").count();
            if escaped > 0 {
                let reach = if below { self.after } else { self.before };
                return (escaped <= reach).then_some(Rank::lines_away(escaped, below));
            }
            return (gap <= SAME_LINE_REACH).then_some(Rank::same_line(gap));
        }
        let (lo, hi, below) = if h.start < secret.start {
            (h.start, secret.start, false)
        } else {
            (secret.start, h.start, true)
        };
        let lines = memchr::memchr_iter(b'\n', &self.hay[lo..hi]).count();
        Some(Rank::lines_away(lines, below))
    }
}

/// How well the nearest context word explains `secret` (see `Spot::rank`); `None` when no
/// word in the window vouches for it. `hits` must be sorted; `label` is the candidate's
/// [`own_label`](super::labels::own_label).
pub fn distance(
    hay: &[u8],
    secret: Range<usize>,
    label: Option<Range<usize>>,
    rule: &Rule,
    ctx: &Context,
    hits: &[Range<usize>],
    words: &Words,
) -> Option<Rank> {
    let w = window(hay, secret.start, ctx.lines_before, ctx.lines_after);
    let spot = Spot::new(hay, secret, label, ctx, &w, words);
    let first = hits.partition_point(|h| h.start < w.start);
    hits[first..]
        .iter()
        .take_while(|h| h.end <= w.end)
        .filter(|h| starts_a_word_if_needed(hay, h, ctx))
        .filter_map(|h| {
            let rank = spot.rank(h)?;
            // A word that labels another candidate of the rule explains that one instead.
            (rank == Rank::IN_LABEL || !is_spent(hay, h.clone(), rule, &spot.secret))
                .then_some(rank)
        })
        .min()
}

/// False for a hit of a `word_start` keyword (`\bapi-key`) in the middle of a word
/// (`llm-api-key`, `x-api-key`).
fn starts_a_word_if_needed(hay: &[u8], h: &Range<usize>, ctx: &Context) -> bool {
    if ctx.word_start.is_empty()
        || !ctx
            .word_start
            .iter()
            .any(|k| k.as_bytes() == &hay[h.clone()])
    {
        return true;
    }
    h.start
        .checked_sub(1)
        .is_none_or(|p| !(hay[p].is_ascii_alphanumeric() || matches!(hay[p], b'_' | b'-' | b'.')))
}

/// The rank of the nearest of `ctx.exclude`'s words (case-insensitive whole words), as in
/// [`distance`], on the candidate's own line only: a common word such as `search` a few lines
/// away (`FEATURE_FLAGS="search,chat"`) says nothing about the key.
pub fn exclusion(
    hay: &[u8],
    secret: Range<usize>,
    label: Option<Range<usize>>,
    ctx: &Context,
    words: &Words,
) -> Option<Rank> {
    if ctx.exclude.is_empty() {
        return None;
    }
    let w = window(hay, secret.start, ctx.lines_before, ctx.lines_after);
    let lower = hay[w.clone()].to_ascii_lowercase();
    let spot = Spot::new(hay, secret, label, ctx, &w, words);
    ctx.exclude
        .iter()
        .flat_map(|x| {
            memchr::memmem::find_iter(&lower, x.as_bytes())
                .map(|i| w.start + i..w.start + i + x.len())
                .filter(|h| is_whole_word(hay, h))
                .collect::<Vec<_>>()
        })
        .filter_map(|h| spot.rank(&h))
        .filter(|rank| rank.on_own_line())
        .min()
}

/// True when `hay[r]` is a word of its identifier or text: not preceded or followed by a letter
/// of the same word (`search` in `AZURE_SEARCH_KEY` or `azureSearchKey`, not in `research`).
fn is_whole_word(hay: &[u8], r: &Range<usize>) -> bool {
    let (first, last) = (hay[r.start], hay[r.end - 1]);
    let left = r.start.checked_sub(1).map(|i| hay[i]).is_none_or(|p| {
        !p.is_ascii_alphabetic() || (p.is_ascii_lowercase() && first.is_ascii_uppercase())
    });
    let right = hay.get(r.end).is_none_or(|&n| {
        !n.is_ascii_alphabetic() || (n.is_ascii_uppercase() && last.is_ascii_lowercase())
    });
    left && right
}

/// True when the context word at `hit` labels a value that is itself a candidate of `rule`,
/// other than `secret`: the first value after the word on its line (`AZURE_OPENAI_API_KEY=<k1>`,
/// `"acme_key": "<k1>"`, `ENV CO_API_KEY <k1>`). The word explains that value and no other.
/// `acme_account_id = AC...` labels no key of the rule's shape, so it still vouches for its
/// neighbours;
/// `- name: MISTRAL_API_KEY` labels nothing on its line.
fn is_spent(hay: &[u8], hit: Range<usize>, rule: &Rule, secret: &Range<usize>) -> bool {
    // The value is looked for within SPENT_REACH bytes after the word, so that a word on a
    // long line costs a constant per candidate.
    let ceil = hit.end.saturating_add(SPENT_REACH).min(hay.len());
    let end = line_end_before(hay, hit.start, ceil);
    let whole_line = end < ceil || hay.get(end).is_none_or(|&b| b == b'\n');
    let value_start = match find_operator(&hay[hit.end..end]) {
        Some((_, value)) => hit.end + value,
        // No operator: `ENV NAME value`, `NAME value`. The last word is the value.
        None if whole_line => match hay[hit.end..end].iter().rposition(u8::is_ascii_whitespace) {
            Some(sp) => hit.end + sp + 1,
            None => return false,
        },
        None => return false,
    };
    let value = token_at(hay, value_start, end);
    value.len() >= MIN_BOUND_VALUE
        // A value holding the candidate (`MISTRAL_URL=https://…?api_key=<k>`) is its own.
        && !(value.start <= secret.start && secret.end <= value.end)
        && rule
            .compiled()
            .is_ok_and(|re| re.regex.is_match(&hay[value]))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::detect::context::labels::own_label;

    /// A Acme-like rule with a context window of `before`/`after` lines.
    fn rule(keywords: &str, before: usize, after: usize) -> crate::rules::RuleSet {
        let toml = format!(
            r#"
[provider]
id = "t"
name = "T"
revoke = "x"

[[rule]]
id = "t-key"
name = "T key"
description = "d"
regex = '(?:^|[^A-Za-z0-9_+/.-])([A-Za-z0-9]{{32}})(?:[^A-Za-z0-9_+/=.-]|$)'
severity = "5.0"
precision = "high"
remediation = "r"
examples = ["x"]

[rule.context]
keywords = [{keywords}]
lines_before = {before}
lines_after = {after}
"#
        );
        let mut set = crate::rules::RuleSet::builtin_words();
        set.add_source("test.toml", &toml).unwrap();
        set
    }

    fn ctx(before: usize, after: usize) -> crate::rules::RuleSet {
        rule(r#""ACME", "acme""#, before, after)
    }

    fn ctx_cased() -> crate::rules::RuleSet {
        rule(r#""Acme""#, 3, 3)
    }

    fn dist(text: &str, key: &str, set: &crate::rules::RuleSet) -> Option<Rank> {
        let r = &set.rules()[0];
        let c = r.context.as_ref().unwrap();
        let hay = text.as_bytes();
        let at = text.rfind(key).unwrap();
        let hits = find_hits(hay, 0..hay.len(), c);
        let label = own_label(hay, at);
        distance(
            hay,
            at..at + key.len(),
            label,
            r,
            c,
            &hits,
            &set.words_for("t"),
        )
    }

    /// A word `n` lines above the candidate.
    fn above(n: u32) -> Option<Rank> {
        Some(Rank {
            lines: n,
            below: false,
            bytes: 0,
        })
    }

    #[test]
    fn nearer_words_explain_better() {
        let c = ctx(3, 3);
        let rank = |text: &str| dist(text, "KEY", &c).expect("a word explains KEY");
        // From best to worst: in the label, on the line (nearer first), one line above, one
        // line below, two lines above.
        let order = [
            rank("ACME_KEY = KEY"),
            rank("key = KEY # acme"),
            rank("key = KEY       # acme"),
            rank("# acme\ntoken = KEY"),
            rank("token = KEY\n# acme"),
            rank("# acme\nx = 1\ntoken = KEY"),
        ];
        assert!(order.windows(2).all(|w| w[0] < w[1]), "{order:?}");
        assert_eq!(order[0], Rank::IN_LABEL);
        assert!(order[2].on_own_line() && !order[3].on_own_line());
    }

    #[test]
    fn distance_counts_lines_and_prefers_above() {
        let c = ctx(3, 3);
        assert_eq!(dist("ACME_API_KEY=Zq9", "Zq9", &c), Some(Rank::IN_LABEL));
        assert_eq!(dist("# acme\nx = 1\ntoken = KEY", "KEY", &c), above(2));
        assert!(dist("api_key = KEY\n# acme", "KEY", &c).is_some_and(|r| r.below));
        assert_eq!(dist("# acme\n1\n2\n3\n4\nkey = KEY", "KEY", &c), None);
        assert_eq!(dist("key = KEY\n# acme", "KEY", &ctx(3, 0)), None);
    }

    #[test]
    fn escaped_newlines_count_as_lines() {
        let c = ctx(3, 3);
        let pad = "x = 1\\n".repeat(30);
        let cell = format!("\"from acmeai import Acme\\n{pad}\"");
        assert_eq!(dist(&format!("{cell}api_key = Zq9"), "Zq9", &c), None);
        let cell = format!(
            "\"from acmeai import Acme\\n\\n{}api_key = Zq9\"",
            " ".repeat(200)
        );
        assert_eq!(dist(&cell, "Zq9", &c), above(2));
    }

    #[test]
    fn word_start_keywords() {
        let set = rule(r#""\\bapi-key""#, 3, 3);
        let d = |text: &str| dist(text, "Zq9", &set);
        assert_eq!(d("curl -H \"api-key: Zq9\""), Some(Rank::IN_LABEL));
        assert_eq!(d("api-key: Zq9"), Some(Rank::IN_LABEL));
        assert_eq!(d("llm-api-key: Zq9"), None);
        assert_eq!(d("-H \"x-api-key: Zq9\""), None);
    }

    #[test]
    fn neighbours_vouch_only_for_generic_names() {
        let c = ctx(3, 3);
        assert_eq!(dist("# acme\nLLM_API_KEY=Zq9", "Zq9", &c), above(1));
        assert_eq!(dist("# acme\nself.api_key = Zq9", "Zq9", &c), above(1));
        assert_eq!(dist("# acme\nOPENWEATHER_API_KEY=Zq9", "Zq9", &c), None);
        assert_eq!(dist("provider: acme\ngiphyKey: Zq9", "Zq9", &c), None);
        // The provider's own name in the label always counts.
        assert_eq!(dist("PROD_ACME_KEY=Zq9", "Zq9", &c), Some(Rank::IN_LABEL));
    }

    #[test]
    fn excluded_words_nearer_than_the_context_reject() {
        let set = rule("\"acme\"]\nexclude = [\"Otherco\"", 3, 3);
        let r = &set.rules()[0];
        let c = r.context.as_ref().unwrap();
        let x = |text: &str| {
            let at = text.rfind("Zq9").unwrap();
            exclusion(
                text.as_bytes(),
                at..at + 3,
                own_label(text.as_bytes(), at),
                c,
                &set.words_for("t"),
            )
        };
        assert_eq!(x("OTHERCO_API_KEY=Zq9"), Some(Rank::IN_LABEL));
        assert!(x("api_key=Zq9  # Otherco").is_some_and(Rank::on_own_line));
        assert_eq!(x("api_key=Zq9"), None);
        assert_eq!(x("FLAGS=\"otherco,chat\"\napi_key=Zq9"), None);
        assert_eq!(x("othercoKey=Zq9"), Some(Rank::IN_LABEL));
        assert_eq!(x("api_key=Zq9  # notothercod"), None);
    }

    #[test]
    fn a_word_inside_the_candidate_is_not_context() {
        let c = ctx(3, 3);
        assert_eq!(dist("key = abcACMEdef", "abcACMEdef", &c), None);
    }

    #[test]
    fn a_label_is_spent_on_its_own_value() {
        let c = ctx(3, 3);
        // Built at run time: this repository holds no key-shaped literal.
        let v = ["Q7fLm2ZpX9aVt4Rk", "8WcN3hJd6YsB1eGu"].concat();
        assert_eq!(
            dist(&format!("ACME_API_KEY={v}\nAPI_KEY=Zq9"), "Zq9", &c),
            None
        );
        assert_eq!(
            dist(&format!("ENV ACME_API_KEY {v}\nENV API_KEY Zq9"), "Zq9", &c),
            None
        );
        // A value that is no candidate of the rule does not spend its label.
        assert_eq!(
            dist("ACME_SID=AC12345678901234567890\nTOKEN=Zq9", "Zq9", &c),
            above(1)
        );
        // On one line too: the word labels the next pair's value, not this one.
        assert_eq!(
            dist(
                &format!("{{\"key\": \"Zq9\", \"ACME_KEY\": \"{v}\"}}"),
                "Zq9",
                &c
            ),
            None
        );
        // A word in a value, a comment, a block name or a short value still vouches.
        // The `name:` of a Kubernetes env entry is its value's label.
        assert_eq!(
            dist("- name: ACME_API_KEY\n  value: Zq9", "Zq9", &c),
            Some(Rank::IN_LABEL)
        );
        assert_eq!(
            dist("- name: ACME\n- name: X\n  value: Zq9", "Zq9", &c),
            above(2)
        );
        assert_eq!(dist("# Acme\nZq9", "Zq9", &ctx_cased()), above(1));
        assert_eq!(dist("acme:\n  api_key: Zq9", "Zq9", &c), above(1));
        assert_eq!(dist("ACME_MODEL=large\nAPI_KEY=Zq9", "Zq9", &c), above(1));
        assert_eq!(
            dist("ACME_API_KEY=${ACME_API_KEY}\nAPI_KEY=Zq9", "Zq9", &c),
            above(1)
        );
    }

    #[test]
    fn same_line_words_must_be_near() {
        let c = ctx(3, 3);
        let far = format!("acme{}KEY", " ".repeat(SAME_LINE_REACH + 1));
        assert_eq!(dist(&far, "KEY", &c), None);
        let near = format!("acme{}KEY", " ".repeat(SAME_LINE_REACH));
        assert!(dist(&near, "KEY", &c).is_some_and(Rank::on_own_line));
    }
}

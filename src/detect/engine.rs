//! One pass over a buffer with every rule at once.
//!
//! Every rule's keywords (literal prefixes such as `sk-ant-`, or context words such as
//! a provider's name for prefixless keys) go into one Aho-Corasick automaton, which finds all of them in
//! a single SIMD-accelerated scan. Only around those hits does a rule's regex run, in a window
//! bounded by the rule: a prefixed rule's regex from a little before the keyword to `window`
//! bytes past it, a context rule's regex over the lines around the context word. Regexes thus
//! never scan a whole file, which keeps the cost per byte close to a literal search (see
//! `bench/`). Windows of the same rule are merged so no byte is searched twice by one rule.

use std::{ops::Range, sync::Arc};

use regex_automata::{Input, util::captures::Captures};

use super::candidate::Candidate;
use super::context::rank;
use super::keywords::{KeywordError, KeywordSet};
use super::validate;
use crate::rules::{CompiledRegex, Rule, RuleSet, Words};

/// How far before a keyword a prefixed rule's match may start, in bytes.
const MAX_LOOKBEHIND: usize = 256;

#[derive(Debug, thiserror::Error)]
#[error("cannot build the keyword matcher: {0}")]
pub struct EngineError(#[from] KeywordError);

#[derive(Clone, Copy)]
struct Target {
    rule: u32,
    /// The keyword is a context word rather than part of the secret.
    context: bool,
    /// The rule runs over binary files too.
    self_identifying: bool,
}

/// The compiled matcher: immutable, shared by every scanning thread.
pub struct Engine {
    rules: Arc<RuleSet>,
    /// Each rule's word lists, by rule index.
    words: Vec<Arc<Words>>,
    keywords: KeywordSet,
    targets: Vec<Vec<Target>>,
}

/// Per-thread buffers reused across buffers to avoid allocating per file.
#[derive(Default)]
pub struct Scratch {
    hits: Vec<Vec<Range<usize>>>,
    context_hits: Vec<Vec<Range<usize>>>,
    touched: Vec<usize>,
    windows: Vec<Range<usize>>,
    captures: Vec<Option<Captures>>,
    candidates: Vec<Candidate>,
}

impl Engine {
    pub fn new(rules: Arc<RuleSet>) -> Result<Engine, EngineError> {
        let mut patterns: Vec<String> = Vec::new();
        let mut targets: Vec<Vec<Target>> = Vec::new();
        let mut add = |kw: &str, t: Target| match patterns.iter().position(|p| p == kw) {
            Some(i) => targets[i].push(t),
            None => {
                patterns.push(kw.to_string());
                targets.push(vec![t]);
            }
        };
        for (i, rule) in rules.rules().iter().enumerate() {
            let rule_idx = i as u32;
            if rule.is_context_anchored() {
                let ctx = rule.context.iter().flat_map(|c| c.keywords.iter());
                for kw in ctx {
                    add(
                        kw,
                        Target {
                            rule: rule_idx,
                            context: true,
                            self_identifying: false,
                        },
                    );
                }
            } else {
                for kw in &rule.keywords {
                    add(
                        kw,
                        Target {
                            rule: rule_idx,
                            context: false,
                            self_identifying: rule.is_self_identifying(),
                        },
                    );
                }
            }
        }
        let keywords = KeywordSet::new(&patterns)?;
        Ok(Engine {
            words: rules.rule_words(),
            rules,
            keywords,
            targets,
        })
    }

    pub fn rules(&self) -> &Arc<RuleSet> {
        &self.rules
    }

    /// How far a match and the context that validates it can reach from the match's start,
    /// either way: a stream scanned in windows overlapping by this much on each side finds
    /// every match whole (see `source::window`).
    pub fn reach(&self) -> usize {
        let keyword_rules = self.rules.rules().iter().map(|r| {
            let longest_keyword = r.keywords.iter().map(String::len).max().unwrap_or(0);
            MAX_LOOKBEHIND + longest_keyword + r.window
        });
        // Context rules match within `CONTEXT_CAP` of a context word, which itself may sit
        // `CONTEXT_CAP` from the candidate; the margin covers line and label look-ups.
        let context = 2 * rank::CONTEXT_CAP + super::context::labels::LONG_LINE;
        keyword_rules.fold(context, usize::max) + 1024
    }

    /// Finds every validated candidate in `hay`, sorted by position, overlaps resolved.
    pub fn scan<'s>(&self, hay: &[u8], scratch: &'s mut Scratch) -> &'s [Candidate] {
        self.scan_rules(hay, scratch, false)
    }

    /// Like [`Engine::scan`] with the self-identifying rules only (see
    /// `Rule::is_self_identifying`): for binary bytes, as `strings` would show them.
    pub fn scan_self_identifying<'s>(
        &self,
        hay: &[u8],
        scratch: &'s mut Scratch,
    ) -> &'s [Candidate] {
        self.scan_rules(hay, scratch, true)
    }

    fn scan_rules<'s>(
        &self,
        hay: &[u8],
        scratch: &'s mut Scratch,
        self_identifying_only: bool,
    ) -> &'s [Candidate] {
        let n = self.rules.len();
        if scratch.hits.len() < n {
            scratch.hits.resize_with(n, Vec::new);
            scratch.context_hits.resize_with(n, Vec::new);
            scratch.captures.resize_with(n, || None);
        }
        for &r in &scratch.touched {
            scratch.hits[r].clear();
            scratch.context_hits[r].clear();
        }
        scratch.touched.clear();
        scratch.candidates.clear();

        let Scratch {
            hits,
            context_hits,
            touched,
            ..
        } = scratch;
        self.keywords.for_each(hay, |k, span| {
            for t in &self.targets[k] {
                let r = t.rule as usize;
                if self_identifying_only && !t.self_identifying {
                    continue;
                }
                if hits[r].is_empty() && context_hits[r].is_empty() {
                    touched.push(r);
                }
                let list = if t.context {
                    &mut context_hits[r]
                } else {
                    &mut hits[r]
                };
                list.push(span.clone());
            }
        });
        if scratch.touched.is_empty() {
            return &scratch.candidates;
        }
        scratch.touched.sort_unstable();
        for ti in 0..scratch.touched.len() {
            let r = scratch.touched[ti];
            let rule = &self.rules.rules()[r];
            if rule.is_context_anchored() {
                self.scan_context_rule(hay, r, rule, scratch);
            } else {
                self.scan_keyword_rule(hay, r, rule, scratch);
            }
        }
        resolve_overlaps(&mut scratch.candidates, self.rules.rules());
        &scratch.candidates
    }

    fn scan_keyword_rule(&self, hay: &[u8], r: usize, rule: &Rule, s: &mut Scratch) {
        // Overlapping search reports hits in order of their end; windows need start order.
        s.hits[r].sort_unstable_by_key(|h| h.start);
        s.windows.clear();
        for h in &s.hits[r] {
            let w = h.start.saturating_sub(MAX_LOOKBEHIND.min(rule.window))
                ..(h.end + rule.window).min(hay.len());
            push_merged(&mut s.windows, w);
        }
        let hits = &s.hits[r];
        let Ok(re) = rule.compiled() else { return };
        let caps = s.captures[r].get_or_insert_with(|| re.regex.create_captures());
        for w in &s.windows {
            for_each_match(re, hay, w.clone(), caps, |whole, secret| {
                // Keep only matches that contain a keyword hit: the regex may also match
                // elsewhere in the window, where another hit (or none) accounts for it.
                let i = hits.partition_point(|h| h.start < whole.start);
                if hits.get(i).is_none_or(|h| h.end > whole.end) {
                    return;
                }
                if let Some(c) = validate::candidate(hay, r, rule, &self.words[r], secret, None) {
                    s.candidates.push(c);
                }
            });
        }
    }

    fn scan_context_rule(&self, hay: &[u8], r: usize, rule: &Rule, s: &mut Scratch) {
        let Some(ctx) = &rule.context else { return };
        s.context_hits[r].sort_unstable_by_key(|h| h.start);
        s.windows.clear();
        for h in &s.context_hits[r] {
            // A candidate may sit `lines_after` lines above its context word and
            // `lines_before` below it. The window takes in the newlines around its lines so
            // that the regex's boundary classes can match a key at either end.
            let w = rank::window(hay, h.start, ctx.lines_after, ctx.lines_before);
            push_merged(
                &mut s.windows,
                w.start.saturating_sub(1)..(w.end + 1).min(hay.len()),
            );
        }
        let hits = &s.context_hits[r];
        let Ok(re) = rule.compiled() else { return };
        let caps = s.captures[r].get_or_insert_with(|| re.regex.create_captures());
        for w in &s.windows {
            for_each_match(re, hay, w.clone(), caps, |_, secret| {
                if let Some(c) =
                    validate::candidate(hay, r, rule, &self.words[r], secret, Some(hits))
                {
                    s.candidates.push(c);
                }
            });
        }
    }
}

/// Runs a rule's regex over `window` of `hay` (look-around sees the bytes outside it) and
/// calls `f(whole_match, secret)` for each match.
fn for_each_match(
    re: &CompiledRegex,
    hay: &[u8],
    window: Range<usize>,
    caps: &mut Captures,
    mut f: impl FnMut(Range<usize>, Range<usize>),
) {
    let mut input = Input::new(hay).span(window.clone());
    loop {
        re.regex.search_captures(&input, caps);
        let Some(whole) = caps.get_match() else { break };
        if let Some(secret) = caps.get_group(re.secret_group)
            && !secret.is_empty()
        {
            f(whole.range(), secret.range());
        }
        let next = if whole.is_empty() {
            whole.end() + 1
        } else {
            whole.end()
        };
        if next >= window.end {
            break;
        }
        input.set_start(next);
    }
}

/// Appends `w` to `windows` (sorted by start), merging it with the last window if they touch.
fn push_merged(windows: &mut Vec<Range<usize>>, w: Range<usize>) {
    if let Some(last) = windows.last_mut()
        && w.start <= last.end
    {
        last.end = last.end.max(w.end);
        return;
    }
    windows.push(w);
}

/// Sorts candidates and keeps one per overlapping group: the highest priority, then the
/// nearest context, then the longest secret, then the rule listed first. Nested shapes (an `sk-` + 32 hex
/// key of one provider inside a longer `sk-` key of another) must yield one finding, not two.
fn resolve_overlaps(c: &mut Vec<Candidate>, rules: &[Arc<Rule>]) {
    if c.len() < 2 {
        return;
    }
    c.sort_unstable_by_key(|x| (x.secret.start, x.secret.end, x.rule));
    c.dedup_by(|b, a| a.rule == b.rule && a.secret == b.secret);
    // Between rules of equal priority, the one whose context word is nearer explains the
    // bytes better (a 32-hex value under `TWILIO_AUTH_TOKEN` near an Azure endpoint).
    let nearness = |c: &Candidate| c.context_rank.map(std::cmp::Reverse);
    let better = |a: &Candidate, b: &Candidate| {
        let (ra, rb) = (&rules[a.rule], &rules[b.rule]);
        (
            ra.priority,
            nearness(a),
            a.secret.len(),
            std::cmp::Reverse(a.rule),
        ) > (
            rb.priority,
            nearness(b),
            b.secret.len(),
            std::cmp::Reverse(b.rule),
        )
    };
    let mut out: Vec<Candidate> = Vec::with_capacity(c.len());
    for cand in c.drain(..) {
        match out.last_mut() {
            Some(last) if cand.secret.start < last.secret.end => {
                if better(&cand, last) {
                    *last = cand;
                }
            }
            _ => out.push(cand),
        }
    }
    *c = out;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn push_merged_joins_touching_windows() {
        let mut w = vec![];
        push_merged(&mut w, 0..5);
        push_merged(&mut w, 5..9);
        push_merged(&mut w, 12..20);
        assert_eq!(w, vec![0..9, 12..20]);
    }

    /// A context rule for provider `id`, vouched for by the word `word` within three lines.
    fn context_rule(id: &str, word: &str) -> String {
        format!(
            r#"
[provider]
id = "{id}"
name = "{id}"
revoke = "x"

[[rule]]
id = "{id}-key"
name = "{id} key"
description = "d"
regex = '(?:^|[^A-Za-z0-9_+/.-])([A-Za-z0-9]{{32}})(?:[^A-Za-z0-9_+/=.-]|$)'
severity = "5.0"
precision = "high"
remediation = "r"
examples = ["x"]

[rule.context]
keywords = ["{word}"]
lines_before = 3
lines_after = 3
"#
        )
    }

    #[test]
    fn the_rule_whose_context_word_is_nearer_wins_an_overlap() {
        let mut set = RuleSet::builtin_words();
        set.add_source("a.toml", &context_rule("alpha", "alpha"))
            .unwrap();
        set.add_source("b.toml", &context_rule("beta", "beta"))
            .unwrap();
        let engine = Engine::new(Arc::new(set)).unwrap();
        // Built at run time: this repository holds no key-shaped literal.
        let key = ["Q7fLm2ZpX9aVt4Rk", "8WcN3hJd6YsB1eGu"].concat();
        let winner = |text: &str| {
            let mut scratch = Scratch::default();
            let found = engine.scan(text.as_bytes(), &mut scratch).to_vec();
            assert_eq!(found.len(), 1, "{text}: {found:?}");
            engine.rules().rules()[found[0].rule].provider.id.clone()
        };
        assert_eq!(winner(&format!("# alpha\n# beta\ntoken = {key}")), "beta");
        assert_eq!(winner(&format!("# beta\n# alpha\ntoken = {key}")), "alpha");
        assert_eq!(winner(&format!("# beta\ntoken = {key} # alpha")), "alpha");
        assert_eq!(winner(&format!("alpha_token = {key} # beta")), "alpha");
    }

    /// A rule for `pfx_` + 24 alphanumerics, with a context block when `context` is given.
    fn prefixed_rule(id: &str, context: &str) -> String {
        format!(
            r#"
[provider]
id = "{id}"
name = "{id}"
revoke = "x"

[[rule]]
id = "{id}-key"
name = "{id} key"
description = "d"
regex = '({id}_[A-Za-z0-9]{{24}})'
keywords = ["{id}_"]
severity = "5.0"
precision = "high"
remediation = "r"
examples = ["x"]
{context}
"#
        )
    }

    #[test]
    fn binary_scans_run_only_rules_that_need_no_context() {
        let mut set = RuleSet::builtin_words();
        set.add_source("a.toml", &prefixed_rule("plain", ""))
            .unwrap();
        let optional = "[rule.context]\nkeywords = [\"opt\"]\nrequired = false";
        set.add_source("b.toml", &prefixed_rule("optional", optional))
            .unwrap();
        let required = "[rule.context]\nkeywords = [\"req\"]\nlines_before = 9\nrequired = true";
        set.add_source("c.toml", &prefixed_rule("needy", required))
            .unwrap();
        set.add_source("d.toml", &context_rule("ctx", "ctx"))
            .unwrap();
        let self_identifying: Vec<bool> = set
            .rules()
            .iter()
            .map(|r| r.is_self_identifying())
            .collect();
        assert_eq!(self_identifying, [true, true, false, false]);

        let engine = Engine::new(Arc::new(set)).unwrap();
        let body = ["Q7fLm2ZpX9aVt4Rk", "8WcN3hJd"].concat();
        let other = ["Z3kTq8WmR2xYp6Ln", "4VbH9sJc6YsB1eGu"].concat();
        let text =
            format!("opt req ctx\ntoken = {other}\nplain_{body}\noptional_{body}\nneedy_{body}\n");
        let rules_found = |found: &[Candidate]| -> Vec<String> {
            found
                .iter()
                .map(|c| engine.rules().rules()[c.rule].provider.id.clone())
                .collect()
        };
        let mut scratch = Scratch::default();
        let all = rules_found(engine.scan(text.as_bytes(), &mut scratch));
        assert_eq!(all, ["ctx", "plain", "optional", "needy"].map(String::from));
        let reduced = rules_found(engine.scan_self_identifying(text.as_bytes(), &mut scratch));
        assert_eq!(reduced, ["plain", "optional"].map(String::from));
    }
}

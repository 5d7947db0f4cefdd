//! Finding every occurrence of many short literals in one buffer, fast.
//!
//! One Aho-Corasick automaton over all ~150 keywords runs at a few hundred MB/s: with that many
//! patterns no SIMD prefilter applies. The SIMD "Teddy" searcher is fast while it holds few
//! patterns whose first four bytes it can fingerprint; its cost grows with each pattern and
//! each pass. So the keywords are (1) covered by fewer searched literals: a keyword that
//! contains another (`sk-ant-api` ⊃ `sk-`) and keywords that share a substring of at least
//! four bytes (`Widgets`, `widgets`, `Fidgets` share `idgets`) are searched by that one
//! literal and confirmed by comparing bytes at its hits; (2) the literals of three bytes,
//! which force a three-byte fingerprint, get a pass of their own, and the rest are split into
//! as few passes as Teddy allows. `examples/keyword_bench` measures the choices.

use std::collections::HashMap;
use std::ops::Range;

use aho_corasick::packed::{self, Config};
use aho_corasick::{AhoCorasick, Input, Span};

/// Most patterns one Teddy pass holds (its "fat" variant's limit). Each pass reads the
/// whole buffer, so the literals are spread evenly over as few passes as this allows: two
/// passes of ~45 measured faster than 64 plus the rest, or three of ~30.
const MAX_GROUP: usize = 64;

/// Shared substrings of this many bytes or more may stand for the keywords containing them;
/// shorter ones (`api`, `key`) would match everywhere.
const MIN_SHARED: usize = 4;

/// Longest shared substring considered: longer ones add nothing to a four-byte fingerprint.
const MAX_SHARED: usize = 16;

/// A searched literal's keywords: `(keyword index, offset of the literal inside it)`.
type Covered = Vec<(usize, usize)>;

/// One pass and, per pattern, the keywords it confirms.
struct Group {
    finder: Finder,
    covered: Vec<Covered>,
}

/// Teddy where the CPU and the literals allow it; otherwise an automaton, slower but always
/// available (no SIMD on the CPU, or a user rule's one-byte keywords, which Teddy refuses).
enum Finder {
    Teddy(packed::Searcher),
    Automaton(AhoCorasick),
}

impl Finder {
    /// The first literal starting at or after `at`: (pattern, start).
    fn find(&self, hay: &[u8], at: usize) -> Option<(usize, usize)> {
        let span = Span::from(at..hay.len());
        let m = match self {
            Finder::Teddy(t) => t.find_in(hay, span),
            Finder::Automaton(a) => a.find(Input::new(hay).span(span)),
        }?;
        Some((m.pattern().as_usize(), m.start()))
    }
}

pub struct KeywordSet {
    keywords: Vec<Vec<u8>>,
    groups: Vec<Group>,
}

impl KeywordSet {
    pub fn new(keywords: &[String]) -> Result<KeywordSet, KeywordError> {
        let kw: Vec<Vec<u8>> = keywords.iter().map(|k| k.as_bytes().to_vec()).collect();
        if let Some(i) = kw.iter().position(Vec::is_empty) {
            return Err(KeywordError(format!("keyword {i} is empty")));
        }
        let mut literals: Vec<(Vec<u8>, Covered)> = cover(&kw)?.into_iter().collect();
        literals.sort();
        let (short, long): (Vec<_>, Vec<_>) =
            literals.into_iter().partition(|(lit, _)| lit.len() < 4);
        let mut groups = Vec::new();
        for part in [short, long] {
            if part.is_empty() {
                continue;
            }
            let passes = part.len().div_ceil(MAX_GROUP);
            let per = part.len().div_ceil(passes);
            for chunk in part.chunks(per) {
                groups.push(Group::new(chunk)?);
            }
        }
        Ok(KeywordSet {
            keywords: kw,
            groups,
        })
    }

    /// Calls `f(keyword index, span)` for every occurrence of every keyword in `hay`, in no
    /// particular order, each once.
    pub fn for_each(&self, hay: &[u8], mut f: impl FnMut(usize, Range<usize>)) {
        for group in &self.groups {
            let mut at = 0;
            // Resuming one byte past each hit, not past its end, also finds literals that
            // overlap it (`xoxe` inside `sk-xoxe`): no two literals start at the same byte.
            while let Some((pattern, hit)) = group.finder.find(hay, at) {
                for &(k, off) in &group.covered[pattern] {
                    let Some(start) = hit.checked_sub(off) else {
                        continue;
                    };
                    let end = start + self.keywords[k].len();
                    if hay.get(start..end) == Some(self.keywords[k].as_slice()) {
                        f(k, start..end);
                    }
                }
                at = hit + 1;
            }
        }
    }
}

impl Group {
    fn new(chunk: &[(Vec<u8>, Covered)]) -> Result<Group, KeywordError> {
        let mut teddy = Config::new()
            .match_kind(packed::MatchKind::LeftmostFirst)
            .builder();
        for (lit, _) in chunk {
            teddy.add(lit);
        }
        let finder = match teddy.build() {
            Some(t) => Finder::Teddy(t),
            None => Finder::Automaton(
                AhoCorasick::builder()
                    .match_kind(aho_corasick::MatchKind::LeftmostFirst)
                    .build(chunk.iter().map(|(lit, _)| lit))
                    .map_err(|e| KeywordError(e.to_string()))?,
            ),
        };
        Ok(Group {
            finder,
            covered: chunk.iter().map(|(_, c)| c.clone()).collect(),
        })
    }
}

/// The keywords could not be turned into a searcher.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct KeywordError(String);

/// The searched literals and the keywords each confirms. Every keyword is confirmed by
/// exactly one literal it contains, and no literal contains another, so no two literals
/// match at the same byte.
fn cover(kw: &[Vec<u8>]) -> Result<HashMap<Vec<u8>, Covered>, KeywordError> {
    let mut distinct: Vec<&[u8]> = kw.iter().map(Vec::as_slice).collect();
    distinct.sort_unstable();
    distinct.dedup();
    let minimal: Vec<&[u8]> = distinct
        .iter()
        .copied()
        .filter(|a| !distinct.iter().any(|b| b != a && contains(a, b)))
        .collect();
    let mut literals = shared_cover(&minimal);
    literals.sort_unstable();
    literals.dedup();
    let literals: Vec<Vec<u8>> = literals
        .iter()
        .filter(|a| !literals.iter().any(|b| b != *a && contains(a, b)))
        .cloned()
        .collect();
    let mut out: HashMap<Vec<u8>, Covered> = HashMap::new();
    for (k, word) in kw.iter().enumerate() {
        // Every keyword contains a minimal keyword, which contains its literal.
        let (lit, off) = literals
            .iter()
            .find_map(|l| find(word, l).map(|off| (l, off)))
            .ok_or_else(|| KeywordError(format!("keyword {k} has no searched literal")))?;
        out.entry(lit.clone()).or_default().push((k, off));
    }
    Ok(out)
}

/// Greedy set cover of `words` by substrings of [`MIN_SHARED`]..=[`MAX_SHARED`] bytes that
/// at least two of them share, most words first, then the longest: one literal per word.
fn shared_cover(words: &[&[u8]]) -> Vec<Vec<u8>> {
    let mut by_sub: HashMap<&[u8], Vec<usize>> = HashMap::new();
    for (i, w) in words.iter().enumerate() {
        for len in MIN_SHARED..=MAX_SHARED.min(w.len()) {
            for sub in w.windows(len) {
                let owners = by_sub.entry(sub).or_default();
                if owners.last() != Some(&i) {
                    owners.push(i);
                }
            }
        }
    }
    let mut shared: Vec<(&[u8], Vec<usize>)> =
        by_sub.into_iter().filter(|(_, o)| o.len() > 1).collect();
    // A fixed order makes ties (and so the literals) the same on every run.
    shared.sort_unstable();
    let mut covered = vec![false; words.len()];
    let mut out = Vec::new();
    loop {
        let best = shared
            .iter()
            .map(|(sub, owners)| {
                let n = owners.iter().filter(|&&o| !covered[o]).count();
                (n, sub.len(), *sub, owners)
            })
            .filter(|(n, ..)| *n > 1)
            .max_by(|a, b| (a.0, a.1).cmp(&(b.0, b.1)).then(b.2.cmp(a.2)));
        let Some((_, _, sub, owners)) = best else {
            break;
        };
        owners.iter().for_each(|&o| covered[o] = true);
        out.push(sub.to_vec());
    }
    out.extend(
        words
            .iter()
            .zip(&covered)
            .filter(|(_, c)| !**c)
            .map(|(w, _)| w.to_vec()),
    );
    out
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    memchr::memmem::find(hay, needle)
}

fn contains(hay: &[u8], needle: &[u8]) -> bool {
    find(hay, needle).is_some()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hits(kws: &[&str], hay: &str) -> Vec<(usize, Range<usize>)> {
        let set = KeywordSet::new(&kws.iter().map(|s| s.to_string()).collect::<Vec<_>>()).unwrap();
        let mut v = Vec::new();
        set.for_each(hay.as_bytes(), |k, r| v.push((k, r)));
        v.sort_by_key(|(k, r)| (r.start, *k));
        v
    }

    /// Every occurrence of every keyword, by brute force.
    fn naive(kws: &[&str], hay: &str) -> Vec<(usize, Range<usize>)> {
        let mut v = Vec::new();
        for (k, kw) in kws.iter().enumerate() {
            for (at, _) in hay.match_indices(kw) {
                v.push((k, at..at + kw.len()));
            }
            // `match_indices` skips overlapping occurrences; add them.
            let mut from = 0;
            while let Some(at) = hay[from..].find(kw) {
                let span = from + at..from + at + kw.len();
                if !v.contains(&(k, span.clone())) {
                    v.push((k, span));
                }
                from += at + 1;
            }
        }
        v.sort_by_key(|(k, r)| (r.start, *k));
        v
    }

    #[test]
    fn contained_keywords_are_confirmed_at_the_shorter_hits() {
        let v = hits(&["sk-", "sk-ant-", "T3Bl"], "x sk-ant-1 sk-2 T3Bl");
        assert_eq!(v, vec![(0, 2..5), (1, 2..9), (0, 11..14), (2, 16..20)]);
    }

    #[test]
    fn keywords_sharing_four_bytes_share_one_literal() {
        let kws = ["Widgets", "widgets", "WIDGETS", "Fidgets"];
        let v = hits(&kws, "Widgets widgets WIDGETS Fidgets xidgets");
        assert_eq!(v, vec![(0, 0..7), (1, 8..15), (2, 16..23), (3, 24..31)]);
        let lits = cover(
            &kws.iter()
                .map(|k| k.as_bytes().to_vec())
                .collect::<Vec<_>>(),
        )
        .unwrap();
        let mut lits: Vec<&[u8]> = lits.keys().map(Vec::as_slice).collect();
        lits.sort();
        assert_eq!(lits, vec![&b"WIDGETS"[..], b"idgets"]);
    }

    #[test]
    fn overlapping_and_repeated_occurrences_are_all_found() {
        let kws = ["xoxe-", "xoxe.xox", "aaaa", "e.xoxe"];
        for hay in [
            "xoxe.xoxe-",
            "aaaaaaa",
            "e.xoxe.xoxe-xoxe.xox",
            "xxoxe.xoxe.xox",
        ] {
            assert_eq!(hits(&kws, hay), naive(&kws, hay), "{hay}");
        }
    }

    #[test]
    fn short_literals_get_a_pass_of_their_own() {
        let kws: Vec<String> = ["qz_", "zz-", "jq."]
            .into_iter()
            .map(String::from)
            .chain((0..100).map(|i| format!("q{i:03}")))
            .collect();
        let set = KeywordSet::new(&kws).unwrap();
        assert_eq!(
            set.groups.len(),
            3,
            "one short pass, then 100 distinct literals in two"
        );
        let mut v = Vec::new();
        set.for_each(b"qz_ q042 q099zz-", |k, r| v.push((k, r)));
        v.sort_by_key(|(_, r)| r.start);
        assert_eq!(v, vec![(0, 0..3), (45, 4..8), (102, 9..13), (1, 13..16)]);
    }

    #[test]
    fn duplicates_and_many_groups() {
        let kws: Vec<String> = (0..40).map(|i| format!("kw{i:02}_")).collect();
        let refs: Vec<&str> = kws.iter().map(String::as_str).chain(["kw07_"]).collect();
        let v = hits(&refs, "a kw07_ b kw39_");
        assert_eq!(v, vec![(7, 2..7), (40, 2..7), (39, 10..15)]);
    }

    #[test]
    fn literals_teddy_refuses_are_searched_by_an_automaton() {
        // Teddy takes at most 16 one-byte patterns; a user's rules may have more.
        let kws: Vec<String> = ('a'..='t').map(String::from).collect();
        let set = KeywordSet::new(&kws).unwrap();
        assert!(matches!(set.groups[0].finder, Finder::Automaton(_)));
        let refs: Vec<&str> = kws.iter().map(String::as_str).collect();
        for hay in ["the quick brown fox", "aab", ""] {
            assert_eq!(hits(&refs, hay), naive(&refs, hay), "{hay}");
        }
    }

    #[test]
    fn empty_keyword_is_an_error() {
        assert!(KeywordSet::new(&["ok".to_string(), String::new()]).is_err());
    }
}

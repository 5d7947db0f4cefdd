//! Finding every occurrence of many short literals in one buffer, fast.
//!
//! One Aho-Corasick automaton over all ~60 keywords runs at a few hundred MB/s: with that many
//! patterns no SIMD prefilter applies. The SIMD "Teddy" searcher stays within ~1.5× of a
//! single `memchr::memmem` only while it holds about a dozen patterns, so the keywords are
//! (1) reduced to a minimal set — a keyword that contains another (`sk-ant-api` ⊃ `sk-`) is
//! confirmed by comparing bytes at the shorter one's hits — and (2) split into small groups
//! of similar prefixes, one fast pass each. Buffers are mostly small files that stay in cache
//! between passes. `bench/` measures the effect.

use std::ops::Range;

use aho_corasick::{AhoCorasick, MatchKind};

/// Patterns per searcher: the measured knee of Teddy's speed on source code.
const GROUP_SIZE: usize = 24;

/// A searched literal and the keywords that contain it.
struct Searched {
    /// `(keyword index, offset of the searched literal inside the keyword)`.
    keywords: Vec<(usize, usize)>,
}

pub struct KeywordSet {
    keywords: Vec<Vec<u8>>,
    groups: Vec<(AhoCorasick, Vec<Searched>)>,
}

impl KeywordSet {
    pub fn new(keywords: &[String]) -> Result<KeywordSet, aho_corasick::BuildError> {
        let kw: Vec<Vec<u8>> = keywords.iter().map(|k| k.as_bytes().to_vec()).collect();
        let mut literals = merge_case_variants(minimal(kw.clone()));
        literals = minimal(literals);
        literals.sort();
        let mut groups = Vec::new();
        for chunk in literals.chunks(GROUP_SIZE) {
            let ac = AhoCorasick::builder()
                .match_kind(MatchKind::LeftmostFirst)
                .build(chunk)?;
            let meta = chunk
                .iter()
                .map(|lit| Searched {
                    keywords: (0..kw.len())
                        .filter_map(|k| find(&kw[k], lit).map(|off| (k, off)))
                        .collect(),
                })
                .collect();
            groups.push((ac, meta));
        }
        Ok(KeywordSet {
            keywords: kw,
            groups,
        })
    }

    /// Calls `f(keyword index, span)` for every occurrence of every keyword in `hay`, in no
    /// particular order.
    pub fn for_each(&self, hay: &[u8], mut f: impl FnMut(usize, Range<usize>)) {
        for (ac, meta) in &self.groups {
            for m in ac.find_iter(hay) {
                for &(k, off) in &meta[m.pattern().as_usize()].keywords {
                    let Some(start) = m.start().checked_sub(off) else {
                        continue;
                    };
                    let end = start + self.keywords[k].len();
                    if hay.get(start..end) == Some(self.keywords[k].as_slice()) {
                        f(k, start..end);
                    }
                }
            }
        }
    }
}

/// The distinct literals that contain no other literal: finding those finds all.
fn minimal(mut lits: Vec<Vec<u8>>) -> Vec<Vec<u8>> {
    lits.sort();
    lits.dedup();
    let keep: Vec<bool> = lits
        .iter()
        .enumerate()
        .map(|(i, a)| {
            !lits
                .iter()
                .enumerate()
                .any(|(j, b)| i != j && contains(a, b))
        })
        .collect();
    lits.into_iter()
        .zip(keep)
        .filter_map(|(l, k)| k.then_some(l))
        .collect()
}

/// Replaces literals that differ only in the case of their first letter (`Acme1`,
/// `acme1`) by their common tail (`cme1`): one pattern instead of two, confirmed per
/// keyword at each hit. Tails shorter than 4 bytes would match too often to pay off.
fn merge_case_variants(lits: Vec<Vec<u8>>) -> Vec<Vec<u8>> {
    let mut out: Vec<Vec<u8>> = Vec::with_capacity(lits.len());
    let mut merged = vec![false; lits.len()];
    for i in 0..lits.len() {
        if merged[i] {
            continue;
        }
        let a = &lits[i];
        let twins: Vec<usize> = (i + 1..lits.len())
            .filter(|&j| {
                let b = &lits[j];
                a.len() >= 5
                    && b.len() == a.len()
                    && b[1..] == a[1..]
                    && b[0].eq_ignore_ascii_case(&a[0])
            })
            .collect();
        if twins.is_empty() {
            out.push(a.clone());
        } else {
            twins.iter().for_each(|&j| merged[j] = true);
            out.push(a[1..].to_vec());
        }
    }
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

    #[test]
    fn contained_keywords_are_confirmed_at_the_shorter_hits() {
        let v = hits(&["sk-", "sk-ant-", "T3Bl"], "x sk-ant-1 sk-2 T3Bl");
        assert_eq!(v, vec![(0, 2..5), (1, 2..9), (0, 11..14), (2, 16..20)]);
    }

    #[test]
    fn case_variants_share_one_literal() {
        let v = hits(&["Acme1", "acme1", "ACME1"], "Acme1 acme1 ACME1 xcme1");
        assert_eq!(v, vec![(0, 0..5), (1, 6..11), (2, 12..17)]);
        assert_eq!(
            merge_case_variants(vec![b"Acme1".to_vec(), b"acme1".to_vec(), b"xyz".to_vec()]),
            vec![b"cme1".to_vec(), b"xyz".to_vec()]
        );
    }

    #[test]
    fn duplicates_and_many_groups() {
        let kws: Vec<String> = (0..40).map(|i| format!("kw{i:02}_")).collect();
        let refs: Vec<&str> = kws.iter().map(String::as_str).chain(["kw07_"]).collect();
        let v = hits(&refs, "a kw07_ b kw39_");
        assert_eq!(v, vec![(7, 2..7), (40, 2..7), (39, 10..15)]);
    }
}

//! The word lists that decide what a label or a value means (words that say a value is not a
//! provider's key, generic first words of a key name, placeholder words, digest labels): read
//! from rule data (`rules/words.toml` and each rule file's `[words]`), checked, and compiled
//! for fast look-up. The detection code holds the logic; these lists hold every word.

use std::collections::{BTreeSet, HashSet};
use std::sync::Arc;

use aho_corasick::AhoCorasick;
use serde::{Deserialize, Serialize};

/// Longest word a list may hold: labels and placeholders are short, and the bound keeps a
/// hostile list from making each look-up slow.
pub const MAX_WORD_LEN: usize = 64;

/// One word list. Label lists hold single words (letters and digits), compared with the words
/// of a label ignoring case; value lists hold substrings.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum List {
    /// Anywhere in a label: the value is something other than a provider's key (hashes,
    /// other kinds of secret, placeholders).
    NotAKey,
    /// Like `NotAKey`: other services and products, whose keys a rule here does not find.
    Services,
    /// Ending a label: the value is not a key (`request_id`), though such a word may start a
    /// key's name (`MODEL_API_KEY`).
    NotAKeyLast,
    /// First words of a generic key name (`api_key`, `token`): a value so named may be
    /// explained by a provider mentioned on nearby lines.
    Generic,
    /// Inside a value, in lower, upper or title case: documentation or a template.
    Placeholder,
    /// Before an all-hex value on its line (lower-cased): the value is a digest.
    DigestLabels,
    /// File names (case kept) of dependency lock files, whose integrity hashes sit next to
    /// package names that double as context words: context-only rules skip them.
    Lockfiles,
}

impl List {
    pub const ALL: [List; 7] = [
        List::NotAKey,
        List::Services,
        List::NotAKeyLast,
        List::Generic,
        List::Placeholder,
        List::DigestLabels,
        List::Lockfiles,
    ];

    pub fn name(self) -> &'static str {
        match self {
            List::NotAKey => "not_a_key",
            List::Services => "services",
            List::NotAKeyLast => "not_a_key_last",
            List::Generic => "generic",
            List::Placeholder => "placeholder",
            List::DigestLabels => "digest_labels",
            List::Lockfiles => "lockfiles",
        }
    }

    /// Label lists are compared word by word, so each entry must be one word.
    fn is_label_list(self) -> bool {
        matches!(
            self,
            List::NotAKey | List::Services | List::NotAKeyLast | List::Generic
        )
    }
}

/// A `[words]` table as written: words added to each list, and under `[words.remove]` words
/// taken off.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawWords {
    #[serde(default)]
    not_a_key: Vec<String>,
    #[serde(default)]
    services: Vec<String>,
    #[serde(default)]
    not_a_key_last: Vec<String>,
    #[serde(default)]
    generic: Vec<String>,
    #[serde(default)]
    placeholder: Vec<String>,
    #[serde(default)]
    digest_labels: Vec<String>,
    #[serde(default)]
    lockfiles: Vec<String>,
    #[serde(default)]
    remove: Option<Box<RawWords>>,
}

impl RawWords {
    fn list(&self, l: List) -> &[String] {
        match l {
            List::NotAKey => &self.not_a_key,
            List::Services => &self.services,
            List::NotAKeyLast => &self.not_a_key_last,
            List::Generic => &self.generic,
            List::Placeholder => &self.placeholder,
            List::DigestLabels => &self.digest_labels,
            List::Lockfiles => &self.lockfiles,
        }
    }

    /// The checked words to add and to remove.
    pub(super) fn check(&self) -> Result<(WordSet, WordSet), String> {
        let add = WordSet::from_raw(self)?;
        let remove = match &self.remove {
            Some(r) if r.remove.is_some() => return Err("[words.remove] cannot nest".into()),
            Some(r) => WordSet::from_raw(r)?,
            None => WordSet::default(),
        };
        Ok((add, remove))
    }
}

/// Checked, normalised (lower-case) words of each list, sorted.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct WordSet {
    lists: [BTreeSet<String>; 7],
}

impl WordSet {
    fn from_raw(raw: &RawWords) -> Result<WordSet, String> {
        let mut set = WordSet::default();
        for l in List::ALL {
            for w in raw.list(l) {
                set.lists[l as usize].insert(normalise(l, w)?);
            }
        }
        Ok(set)
    }

    pub fn get(&self, l: List) -> &BTreeSet<String> {
        &self.lists[l as usize]
    }

    pub fn is_empty(&self) -> bool {
        self.lists.iter().all(BTreeSet::is_empty)
    }

    /// Adds `add`'s words, then takes off `remove`'s.
    pub(super) fn apply(&mut self, add: &WordSet, remove: &WordSet) {
        for l in List::ALL {
            let list = &mut self.lists[l as usize];
            list.extend(add.get(l).iter().cloned());
            for w in remove.get(l) {
                list.remove(w);
            }
        }
    }
}

impl Serialize for WordSet {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_map(List::ALL.iter().map(|&l| (l.name(), self.get(l))))
    }
}

/// `word` checked for list `l` and lower-cased; the error says what is wrong with it.
fn normalise(l: List, word: &str) -> Result<String, String> {
    let name = l.name();
    if word.is_empty() {
        return Err(format!("[words] {name}: empty word"));
    }
    if !word.is_ascii() {
        return Err(format!(
            "[words] {name}: `{}` is not ASCII (labels and keys are compared as ASCII)",
            word.escape_default()
        ));
    }
    if word.len() > MAX_WORD_LEN {
        return Err(format!(
            "[words] {name}: `{word}` is longer than {MAX_WORD_LEN} bytes"
        ));
    }
    if l.is_label_list() && !word.bytes().all(|b| b.is_ascii_alphanumeric()) {
        return Err(format!(
            "[words] {name}: `{}` is not one word: labels are split into words of letters and \
             digits at `_`, `-`, `.` and case humps, so list each word alone",
            word.escape_default()
        ));
    }
    if !word.bytes().all(|b| b.is_ascii_graphic()) {
        return Err(format!(
            "[words] {name}: `{}` holds a space or control character",
            word.escape_default()
        ));
    }
    Ok(if l == List::Lockfiles {
        word.to_string()
    } else {
        word.to_ascii_lowercase()
    })
}

/// The lists compiled for look-up. Each part is shared between providers whose lists agree,
/// so a huge user list is compiled once, not once per provider.
#[derive(Debug, Clone)]
pub struct CompiledWords {
    /// `not_a_key` and `services` in one set.
    not_a_key: Arc<HashSet<Vec<u8>>>,
    not_a_key_last: Arc<HashSet<Vec<u8>>>,
    generic: Arc<HashSet<Vec<u8>>>,
    /// Every placeholder word in lower, upper and title case.
    placeholder: Arc<Option<AhoCorasick>>,
    digest_labels: Arc<Option<AhoCorasick>>,
}

impl CompiledWords {
    pub fn new(set: &WordSet) -> CompiledWords {
        CompiledWords {
            not_a_key: Arc::new(union(set, &[List::NotAKey, List::Services])),
            not_a_key_last: Arc::new(union(set, &[List::NotAKeyLast])),
            generic: Arc::new(union(set, &[List::Generic])),
            placeholder: Arc::new(placeholders(set)),
            digest_labels: Arc::new(searcher(
                set.get(List::DigestLabels)
                    .iter()
                    .map(|w| w.as_bytes().to_vec())
                    .collect(),
            )),
        }
    }

    /// `base` compiled for `set`, which differs from `base_set` only in some lists: the
    /// lists that did not change are shared.
    pub fn derive(base: &CompiledWords, base_set: &WordSet, set: &WordSet) -> CompiledWords {
        let same = |ls: &[List]| ls.iter().all(|&l| base_set.get(l) == set.get(l));
        CompiledWords {
            not_a_key: if same(&[List::NotAKey, List::Services]) {
                Arc::clone(&base.not_a_key)
            } else {
                Arc::new(union(set, &[List::NotAKey, List::Services]))
            },
            not_a_key_last: if same(&[List::NotAKeyLast]) {
                Arc::clone(&base.not_a_key_last)
            } else {
                Arc::new(union(set, &[List::NotAKeyLast]))
            },
            generic: if same(&[List::Generic]) {
                Arc::clone(&base.generic)
            } else {
                Arc::new(union(set, &[List::Generic]))
            },
            placeholder: if same(&[List::Placeholder]) {
                Arc::clone(&base.placeholder)
            } else {
                Arc::new(placeholders(set))
            },
            digest_labels: if same(&[List::DigestLabels]) {
                Arc::clone(&base.digest_labels)
            } else {
                CompiledWords::new(set).digest_labels
            },
        }
    }
}

fn union(set: &WordSet, lists: &[List]) -> HashSet<Vec<u8>> {
    lists
        .iter()
        .flat_map(|&l| set.get(l).iter().map(|w| w.as_bytes().to_vec()))
        .collect()
}

fn placeholders(set: &WordSet) -> Option<AhoCorasick> {
    let variants = set.get(List::Placeholder).iter().flat_map(|w| {
        let mut title = w.clone().into_bytes();
        title[0] = title[0].to_ascii_uppercase();
        [
            w.as_bytes().to_vec(),
            w.to_ascii_uppercase().into_bytes(),
            title,
        ]
    });
    searcher(variants.collect())
}

/// One automaton over `patterns`; `None` for none. Words are at most [`MAX_WORD_LEN`] bytes of
/// printable ASCII, so building cannot fail short of memory exhaustion.
fn searcher(patterns: Vec<Vec<u8>>) -> Option<AhoCorasick> {
    if patterns.is_empty() {
        return None;
    }
    AhoCorasick::new(patterns).ok()
}

/// The word lists in force for one provider's rules: the shared lists with the provider's own
/// additions and removals, and the names of the provider itself, which never say that a value
/// is "another service's" key.
#[derive(Debug)]
pub struct Words {
    lists: Arc<CompiledWords>,
    /// Lower-case: the provider's id and its parts, and its rules' one-word context keywords.
    own_names: HashSet<Vec<u8>>,
    /// The lists as data, for `keysift rules --format json`.
    pub set: Arc<WordSet>,
}

impl Words {
    pub fn new(
        lists: Arc<CompiledWords>,
        set: Arc<WordSet>,
        own_names: impl IntoIterator<Item = String>,
    ) -> Words {
        Words {
            lists,
            set,
            own_names: own_names
                .into_iter()
                .map(|n| n.to_ascii_lowercase().into_bytes())
                .collect(),
        }
    }

    /// `word` (any case) is a not-a-key or service word, other than the provider's own name.
    pub fn is_not_a_key(&self, word: &[u8]) -> bool {
        with_lower(word, |w| {
            self.lists.not_a_key.contains(w) && !self.own_names.contains(w)
        })
    }

    /// `word` (any case) says the value is not a key when it ends the label.
    pub fn is_not_a_key_last(&self, word: &[u8]) -> bool {
        with_lower(word, |w| self.lists.not_a_key_last.contains(w))
    }

    /// `word` (any case) starts a generic key name.
    pub fn is_generic(&self, word: &[u8]) -> bool {
        with_lower(word, |w| self.lists.generic.contains(w))
    }

    /// `value` contains a placeholder word in lower, upper or title case.
    pub fn has_placeholder_word(&self, value: &[u8]) -> bool {
        self.lists
            .placeholder
            .as_ref()
            .as_ref()
            .is_some_and(|ac| ac.is_match(value))
    }

    /// Every place a placeholder word (lower, upper or title case) stands in `value`,
    /// overlapping ones included, so the caller can judge each one.
    pub fn placeholder_words_in<'v>(
        &'v self,
        value: &'v [u8],
    ) -> impl Iterator<Item = std::ops::Range<usize>> + 'v {
        self.lists
            .placeholder
            .as_ref()
            .as_ref()
            .into_iter()
            .flat_map(move |ac| ac.find_overlapping_iter(value).map(|m| m.range()))
    }

    /// `lowered` (a lower-cased label) contains a digest label.
    pub fn has_digest_label(&self, lowered: &[u8]) -> bool {
        self.lists
            .digest_labels
            .as_ref()
            .as_ref()
            .is_some_and(|ac| ac.is_match(lowered))
    }
}

/// Calls `f` with `word` lower-cased, without allocating; words longer than any list entry
/// are in no list.
fn with_lower(word: &[u8], f: impl FnOnce(&[u8]) -> bool) -> bool {
    if word.len() > MAX_WORD_LEN {
        return false;
    }
    let mut buf = [0u8; MAX_WORD_LEN];
    let lower = &mut buf[..word.len()];
    lower.copy_from_slice(word);
    lower.make_ascii_lowercase();
    f(lower)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn raw(text: &str) -> RawWords {
        toml::from_str(text).unwrap()
    }

    #[test]
    fn words_are_checked_and_lowercased() {
        let (add, remove) = raw("generic = ['Foo', 'foo', 'BAR']\n[remove]\nservices = ['x']")
            .check()
            .unwrap();
        assert_eq!(add.get(List::Generic).len(), 2);
        assert!(add.get(List::Generic).contains("foo"));
        assert!(remove.get(List::Services).contains("x"));
        for (text, expect) in [
            ("generic = ['']", "empty word"),
            ("services = ['caf\u{e9}']", "not ASCII"),
            ("not_a_key = ['api_key']", "not one word"),
            ("placeholder = ['a b']", "space or control"),
        ] {
            let err = raw(text).check().unwrap_err();
            assert!(err.contains(expect), "{text}: {err}");
        }
        let long = format!("placeholder = ['{}']", "x".repeat(MAX_WORD_LEN + 1));
        assert!(raw(&long).check().unwrap_err().contains("longer than"));
        // Symbols are fine in value lists.
        assert!(raw("placeholder = ['****']").check().is_ok());
    }

    #[test]
    fn lookups_ignore_case_and_spare_the_providers_own_name() {
        let (add, _) = raw(
            "services = ['acme', 'other']\ngeneric = ['api']\nplaceholder = ['dummy']\n\
             digest_labels = ['sha-256']",
        )
        .check()
        .unwrap();
        let set = Arc::new(add);
        let compiled = Arc::new(CompiledWords::new(&set));
        let w = Words::new(compiled, set, ["acme".to_string()]);
        assert!(!w.is_not_a_key(b"ACME"));
        assert!(w.is_not_a_key(b"Other"));
        assert!(w.is_generic(b"API"));
        assert!(w.has_placeholder_word(b"xDummyx") && w.has_placeholder_word(b"xDUMMYx"));
        assert!(!w.has_placeholder_word(b"xdUmmyx"));
        assert!(w.has_digest_label(b"\"sha-256\": "));
        assert!(!w.is_generic(&[b'a'; MAX_WORD_LEN + 1]));
    }
}

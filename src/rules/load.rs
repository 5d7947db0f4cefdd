//! Parsing rule files into compiled [`Rule`]s. Every problem names the file, the rule and the
//! line, because a user editing a rule file needs to know exactly what to fix.

use std::{
    collections::HashMap,
    path::Path,
    sync::{Arc, OnceLock},
};

use serde::Deserialize;

use super::checksum::Checksum;
use super::model::{Category, CharClasses, CompiledRegex, Context, Precision, Provider, Rule};
use super::verify_spec::VerifySpec;
use super::word_lists::{CompiledWords, RawWords, WordSet, Words};
use crate::lines::LineCounter;

include!(concat!(env!("OUT_DIR"), "/embedded_rules.rs"));

/// Default reach of a keyword-anchored regex past the keyword, in bytes.
const DEFAULT_WINDOW: usize = 512;
/// Longest reach a rule may ask for; it bounds the work done per keyword hit.
const MAX_WINDOW: usize = 64 * 1024;

#[derive(Debug, thiserror::Error)]
pub enum RuleError {
    #[error("{path}: cannot read rule file: {source}")]
    Io {
        path: String,
        source: std::io::Error,
    },
    #[error("{path}: {message}")]
    Parse { path: String, message: String },
    #[error("{path}:{line}: rule `{rule}`: {message}")]
    Invalid {
        path: String,
        line: usize,
        rule: String,
        message: String,
    },
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    /// Absent only in a file of word lists alone (`rules/words.toml`).
    provider: Option<RawProvider>,
    /// Word lists: in a provider's file they apply to its rules, in a file without a provider
    /// to every rule.
    #[serde(default)]
    words: Option<RawWords>,
    #[serde(default)]
    rule: Vec<RawRule>,
    /// Liveness check, validated by [`VerifySpec::from_table`].
    #[serde(default)]
    verify: Option<toml::Table>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawProvider {
    id: String,
    name: String,
    #[serde(default)]
    env_vars: Vec<String>,
    revoke: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRule {
    id: String,
    name: String,
    description: String,
    regex: String,
    #[serde(default)]
    keywords: Vec<String>,
    #[serde(default)]
    entropy: f64,
    max_word_share: Option<f64>,
    #[serde(default)]
    char_classes: Vec<String>,
    severity: String,
    precision: Precision,
    #[serde(default)]
    priority: i32,
    window: Option<usize>,
    remediation: String,
    #[serde(default)]
    references: Vec<String>,
    #[serde(default)]
    tags: Vec<String>,
    #[serde(default)]
    category: Category,
    /// Former ids of the rule: baselines and allowlists written with them still apply.
    #[serde(default)]
    aliases: Vec<String>,
    checksum: Option<Checksum>,
    context: Option<RawContext>,
    #[serde(default)]
    examples: Vec<String>,
    #[serde(default)]
    negative_examples: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawContext {
    keywords: Vec<String>,
    #[serde(default = "default_context_lines")]
    lines_before: usize,
    #[serde(default = "default_context_lines")]
    lines_after: usize,
    #[serde(default = "default_true")]
    required: bool,
    #[serde(default)]
    exclude: Vec<String>,
}

fn default_context_lines() -> usize {
    3
}

fn default_true() -> bool {
    true
}

/// All rules in force for a run, in a stable order (built-in files by name, then user files).
#[derive(Debug, Default)]
pub struct RuleSet {
    rules: Vec<Arc<Rule>>,
    /// Provider id → its `[verify]` block and the file that holds it.
    verify: HashMap<String, OwnedSpec>,
    /// The shared word lists (`rules/words.toml` and word-only user files), in load order.
    words: WordSet,
    /// Provider id → words its files add to and take off the shared lists for its rules.
    provider_words: HashMap<String, (WordSet, WordSet)>,
}

/// A `[verify]` block with its file: it checks only rules loaded from that same file, so a
/// rule from another file that claims the provider's id (or replaces one of its rules)
/// cannot have its matches sent to the provider's host.
#[derive(Debug)]
struct OwnedSpec {
    /// The provider as its file declared it; each file's is a distinct allocation.
    provider: Arc<Provider>,
    builtin: bool,
    spec: VerifySpec,
}

impl RuleSet {
    /// The rules compiled into the binary.
    pub fn builtin() -> Result<RuleSet, RuleError> {
        let mut set = RuleSet::default();
        for (name, text) in EMBEDDED_RULES {
            set.parse(&format!("builtin:{name}"), text, true)?;
        }
        Ok(set)
    }

    /// No rules, with the built-in shared word lists (files without a provider): for tests
    /// of detection logic with rules of their own.
    pub fn builtin_words() -> RuleSet {
        let mut set = RuleSet::default();
        for (name, text) in EMBEDDED_RULES {
            if !text.lines().any(|l| l.trim() == "[provider]") {
                // Built-in files are checked by the test suite; a failure leaves lists empty.
                let _ = set.parse(&format!("builtin:{name}"), text, true);
            }
        }
        set
    }

    /// Built-in rules plus user files; a user rule with a built-in id replaces it.
    pub fn builtin_with(files: &[impl AsRef<Path>]) -> Result<RuleSet, RuleError> {
        let mut set = RuleSet::builtin()?;
        for f in files {
            set.add_file(f.as_ref())?;
        }
        Ok(set)
    }

    /// Only the rules of the given files (for `keysift rules check`).
    pub fn from_files(files: &[impl AsRef<Path>]) -> Result<RuleSet, RuleError> {
        let mut set = RuleSet::default();
        for f in files {
            set.add_file(f.as_ref())?;
        }
        Ok(set)
    }

    pub fn add_file(&mut self, path: &Path) -> Result<(), RuleError> {
        let shown = path.display().to_string();
        let text = std::fs::read_to_string(path).map_err(|source| RuleError::Io {
            path: shown.clone(),
            source,
        })?;
        self.add_source(&shown, &text)
    }

    /// Parses one rule file's text; `origin` names it in errors.
    pub fn add_source(&mut self, origin: &str, text: &str) -> Result<(), RuleError> {
        self.parse(origin, text, false)
    }

    /// `builtin` files compile their regexes on first use; user files compile them now (errors
    /// at once) and cannot replace a built-in `[verify]` block.
    fn parse(&mut self, origin: &str, text: &str, builtin: bool) -> Result<(), RuleError> {
        let eager = !builtin;
        let raw: RawFile = toml::from_str(text).map_err(|e| RuleError::Parse {
            path: origin.to_string(),
            message: parse_message(&e, text),
        })?;
        let words = match &raw.words {
            Some(w) => Some(w.check().map_err(|message| RuleError::Invalid {
                path: origin.to_string(),
                line: line_of(text, "[words"),
                rule: raw.provider.as_ref().map_or("words", |p| &p.id).to_string(),
                message,
            })?),
            None => None,
        };
        let Some(p) = raw.provider else {
            if !raw.rule.is_empty() || raw.verify.is_some() {
                return Err(RuleError::Parse {
                    path: origin.to_string(),
                    message: "a file with rules or a [verify] block needs a [provider] table"
                        .into(),
                });
            }
            let Some((add, remove)) = words else {
                return Err(RuleError::Parse {
                    path: origin.to_string(),
                    message: "no [provider], rules or [words]: nothing to load".into(),
                });
            };
            self.words.apply(&add, &remove);
            return Ok(());
        };
        let provider_err = |message: String| RuleError::Invalid {
            path: origin.to_string(),
            line: line_of(text, "[provider]"),
            rule: p.id.clone(),
            message,
        };
        if !is_slug(&p.id) {
            return Err(provider_err(format!(
                "provider id `{}` must be lowercase letters, digits and '-'",
                p.id
            )));
        }
        if let Some((add, remove)) = words {
            let entry = self.provider_words.entry(p.id.clone()).or_default();
            entry.0.apply(&add, &WordSet::default());
            entry.0.apply(&WordSet::default(), &remove);
            entry.1.apply(&remove, &WordSet::default());
            entry.1.apply(&WordSet::default(), &add);
        }
        let provider = Arc::new(Provider {
            id: p.id,
            name: p.name,
            env_vars: p.env_vars,
            revoke: p.revoke,
        });
        let mut seen = HashMap::new();
        for r in raw.rule {
            let line = line_of(text, &format!("\"{}\"", r.id));
            if seen.insert(r.id.clone(), ()).is_some() {
                return Err(RuleError::Invalid {
                    path: origin.to_string(),
                    line,
                    rule: r.id,
                    message: "duplicate rule id in this file".into(),
                });
            }
            let rule = compile(r, &provider, origin, eager).map_err(|(rule, message)| {
                RuleError::Invalid {
                    path: origin.to_string(),
                    line,
                    rule,
                    message,
                }
            })?;
            match self.rules.iter().position(|x| x.id == rule.id) {
                Some(i) => self.rules[i] = Arc::new(rule),
                None => self.rules.push(Arc::new(rule)),
            }
        }
        for r in &self.rules {
            if let Some(a) = r
                .aliases
                .iter()
                .find(|a| self.rules.iter().any(|o| o.id == **a))
            {
                return Err(RuleError::Invalid {
                    path: origin.to_string(),
                    line: line_of(text, &format!("\"{a}\"")),
                    rule: r.id.clone(),
                    message: format!("alias `{a}` is the id of another rule"),
                });
            }
        }
        if let Some(v) = raw.verify {
            let ids: Vec<&str> = seen.keys().map(String::as_str).collect();
            let verify_err = |m: String| RuleError::Invalid {
                path: origin.to_string(),
                line: line_of(text, "[verify]"),
                rule: provider.id.clone(),
                message: format!("[verify]: {m}"),
            };
            let spec = VerifySpec::from_table(&provider.id, &v, &ids).map_err(verify_err)?;
            if !builtin && self.verify.get(&provider.id).is_some_and(|o| o.builtin) {
                return Err(verify_err(format!(
                    "provider `{}` has a built-in check, which a rule file cannot replace",
                    provider.id
                )));
            }
            self.verify.insert(
                provider.id.clone(),
                OwnedSpec {
                    provider: Arc::clone(&provider),
                    builtin,
                    spec,
                },
            );
        }
        Ok(())
    }

    /// The shared word lists, before any provider's additions.
    pub fn shared_words(&self) -> &WordSet {
        &self.words
    }

    /// The word lists in force for each rule, in the order of [`RuleSet::rules`]: the shared
    /// lists with the rule's provider's additions and removals. A provider's own names (its id
    /// and the one-word context keywords of its rules) never count against it as another
    /// service's. Rules of one provider share one compiled set.
    pub fn rule_words(&self) -> Vec<Arc<Words>> {
        let shared_set = Arc::new(self.words.clone());
        let shared = Arc::new(CompiledWords::new(&shared_set));
        let mut by_provider: HashMap<&str, Arc<Words>> = HashMap::new();
        self.rules
            .iter()
            .map(|rule| {
                let id = rule.provider.id.as_str();
                let words = by_provider
                    .entry(id)
                    .or_insert_with(|| Arc::new(self.words_with(id, &shared_set, &shared)));
                Arc::clone(words)
            })
            .collect()
    }

    /// The word lists in force for the rules of `provider` (see [`RuleSet::rule_words`]).
    pub fn words_for(&self, provider: &str) -> Words {
        let shared_set = Arc::new(self.words.clone());
        let shared = Arc::new(CompiledWords::new(&shared_set));
        self.words_with(provider, &shared_set, &shared)
    }

    fn words_with(
        &self,
        provider: &str,
        shared_set: &Arc<WordSet>,
        shared: &Arc<CompiledWords>,
    ) -> Words {
        let (set, compiled) = match self.provider_words.get(provider) {
            Some((add, remove)) => {
                let mut set = self.words.clone();
                set.apply(add, remove);
                let compiled = Arc::new(CompiledWords::derive(shared, shared_set, &set));
                (Arc::new(set), compiled)
            }
            None => (Arc::clone(shared_set), Arc::clone(shared)),
        };
        Words::new(compiled, set, self.own_names(provider))
    }

    /// A provider's own names: its id, the parts of its id, and its rules' context keywords
    /// that are one word.
    fn own_names(&self, provider: &str) -> Vec<String> {
        let mut names: Vec<String> = std::iter::once(provider)
            .chain(provider.split('-'))
            .map(str::to_string)
            .collect();
        for r in self.rules.iter().filter(|r| r.provider.id == provider) {
            let ctx = r.context.iter().flat_map(|c| c.keywords.iter());
            names.extend(
                ctx.filter(|k| k.bytes().all(|b| b.is_ascii_alphanumeric()))
                    .map(|k| k.to_ascii_lowercase()),
            );
        }
        names
    }

    /// The rule whose id or former id (an alias) is `id`.
    pub fn find(&self, id: &str) -> Option<&Arc<Rule>> {
        self.rules.iter().find(|r| r.id == id).or_else(|| {
            self.rules
                .iter()
                .find(|r| r.aliases.iter().any(|a| a == id))
        })
    }

    pub fn rules(&self) -> &[Arc<Rule>] {
        &self.rules
    }

    pub fn len(&self) -> usize {
        self.rules.len()
    }

    pub fn is_empty(&self) -> bool {
        self.rules.is_empty()
    }

    /// The validated `[verify]` block of a provider's rule file, if it has one. A built-in
    /// block is never replaced; a user file may add one for a provider without one.
    pub fn verify_spec(&self, provider: &str) -> Option<&VerifySpec> {
        self.verify.get(provider).map(|o| &o.spec)
    }

    /// The check for `rule`'s findings: its provider's block, when that block comes from the
    /// rule's own file and covers the rule.
    pub fn verify_spec_for(&self, rule: &Rule) -> Option<&VerifySpec> {
        self.verify
            .get(&rule.provider.id)
            .filter(|o| Arc::ptr_eq(&o.provider, &rule.provider) && o.spec.applies_to(&rule.id))
            .map(|o| &o.spec)
    }
}

fn compile(
    r: RawRule,
    provider: &Arc<Provider>,
    origin: &str,
    eager: bool,
) -> Result<Rule, (String, String)> {
    let fail = |m: String| (r.id.clone(), m);
    if !r.id.starts_with(&format!("{}-", provider.id)) {
        return Err(fail(format!(
            "rule id must start with the provider id `{}-`",
            provider.id
        )));
    }
    let compiled = OnceLock::new();
    if eager {
        let c = CompiledRegex::new(&r.regex).map_err(fail)?;
        let _ = compiled.set(Ok(c));
    }
    let mut char_classes = CharClasses::default();
    for name in &r.char_classes {
        let c = CharClasses::from_name(name).ok_or_else(|| {
            fail(format!(
                "unknown char class `{name}` (expected upper, lower, digit or symbol)"
            ))
        })?;
        char_classes = char_classes.union(c);
    }
    if !(0.0..=8.0).contains(&r.entropy) {
        return Err(fail(format!("entropy {} is outside 0.0..=8.0", r.entropy)));
    }
    let max_word_share = r.max_word_share.unwrap_or(1.0);
    if !(0.0..=1.0).contains(&max_word_share) {
        return Err(fail(format!(
            "max_word_share {max_word_share} is outside 0.0..=1.0"
        )));
    }
    match r.severity.parse::<f64>() {
        Ok(s) if (0.0..=10.0).contains(&s) => {}
        _ => {
            return Err(fail(format!(
                "severity `{}` must be a number from 0.0 to 10.0 in a string, e.g. \"8.5\"",
                r.severity
            )));
        }
    }
    let window = r.window.unwrap_or(DEFAULT_WINDOW);
    if window == 0 || window > MAX_WINDOW {
        return Err(fail(format!("window must be 1..={MAX_WINDOW} bytes")));
    }
    if let Some(k) = r.keywords.iter().find(|k| k.len() < 3) {
        return Err(fail(format!(
            "keyword `{k}` is shorter than 3 bytes and would match almost everywhere"
        )));
    }
    let context = r.context.map(|c| {
        // `\b` before a keyword: it must start a word (`api-key`, not `llm-api-key`).
        let word_start = c
            .keywords
            .iter()
            .filter_map(|k| k.strip_prefix("\\b").map(String::from))
            .collect();
        Context {
            keywords: c
                .keywords
                .iter()
                .map(|k| k.strip_prefix("\\b").unwrap_or(k).to_string())
                .collect(),
            word_start,
            lines_before: c.lines_before,
            lines_after: c.lines_after,
            required: c.required,
            exclude: c.exclude.iter().map(|w| w.to_ascii_lowercase()).collect(),
        }
    });
    if let Some(k) = context
        .iter()
        .flat_map(|c| c.keywords.iter())
        .find(|k| k.len() < 3)
    {
        return Err(fail(format!(
            "context keyword `{k}` is shorter than 3 bytes"
        )));
    }
    let anchored_by_context = context
        .as_ref()
        .is_some_and(|c| c.required && !c.keywords.is_empty());
    if r.keywords.is_empty() && !anchored_by_context {
        return Err(fail(
            "a rule needs `keywords`, or a required `context` whose keywords anchor it".into(),
        ));
    }
    if r.examples.is_empty() {
        return Err(fail("a rule needs at least one example".into()));
    }
    if let Some(u) = r.references.iter().find(|u| !u.starts_with("https://")) {
        return Err(fail(format!("reference `{u}` must be an https:// URL")));
    }
    if let Some(a) = r.aliases.iter().find(|a| !is_slug(a) || **a == r.id) {
        return Err(fail(format!(
            "alias `{a}` must be a former id: lowercase letters, digits and '-', not the rule's own id"
        )));
    }
    Ok(Rule {
        id: r.id,
        name: r.name,
        description: r.description,
        provider: Arc::clone(provider),
        pattern: r.regex,
        compiled,
        keywords: r.keywords,
        entropy: r.entropy,
        max_word_share,
        char_classes,
        severity: r.severity,
        precision: r.precision,
        priority: r.priority,
        window,
        remediation: r.remediation,
        references: r.references,
        tags: r.tags,
        category: r.category,
        aliases: r.aliases,
        checksum: r.checksum,
        context,
        examples: r.examples,
        negative_examples: r.negative_examples,
        origin: origin.to_string(),
    })
}

fn is_slug(s: &str) -> bool {
    !s.is_empty()
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

/// 1-based line of the first occurrence of `needle`, or 1 when absent.
fn line_of(text: &str, needle: &str) -> usize {
    text.find(needle)
        .map_or(1, |i| LineCounter::new(text.as_bytes()).locate(i).0)
}

/// A TOML error as `line N, column M: message`, on one line.
fn parse_message(e: &toml::de::Error, text: &str) -> String {
    let msg = e.message().trim();
    match e.span() {
        Some(span) => {
            let before = &text[..span.start.min(text.len())];
            let (line, _) = LineCounter::new(text.as_bytes()).locate(before.len());
            let col = before.len() - before.rfind('\n').map_or(0, |i| i + 1) + 1;
            format!("line {line}, column {col}: {msg}")
        }
        None => msg.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const GOOD: &str = r#"
[provider]
id = "acme"
name = "Acme"
revoke = "https://acme.example/keys"

[[rule]]
id = "acme-token"
name = "Acme token"
description = "d"
regex = '''\b(acme_[a-z0-9]{8})\b'''
keywords = ["acme_"]
severity = "5.0"
precision = "high"
remediation = "r"
examples = ["acme_{{loweralnum:8}}"]
"#;

    #[test]
    fn loads_a_good_file() {
        let mut set = RuleSet::default();
        set.add_source("t.toml", GOOD).unwrap();
        assert_eq!(set.rules()[0].id, "acme-token");
        assert_eq!(set.rules()[0].compiled().unwrap().secret_group, 1);
    }

    #[test]
    fn bad_regex_names_file_line_and_rule() {
        let text = GOOD.replace("[a-z0-9]{8})", "[a-z0-9{8})");
        let err = RuleSet::default().add_source("t.toml", &text).unwrap_err();
        let msg = err.to_string();
        assert!(
            msg.starts_with("t.toml:8: rule `acme-token`: invalid regex"),
            "{msg}"
        );
    }

    #[test]
    fn syntax_error_has_line() {
        let text = GOOD.replace("severity = \"5.0\"", "severity = ");
        let msg = RuleSet::default()
            .add_source("t.toml", &text)
            .unwrap_err()
            .to_string();
        assert!(msg.starts_with("t.toml: line 13, column 12"), "{msg}");
    }

    #[test]
    fn unknown_field_is_an_error() {
        let text = GOOD
            .replace("priority", "x")
            .replace("remediation = \"r\"", "remediation = \"r\"\nentropyy = 3.0");
        let msg = RuleSet::default()
            .add_source("t.toml", &text)
            .unwrap_err()
            .to_string();
        assert!(msg.contains("entropyy"), "{msg}");
    }

    #[test]
    fn rule_id_must_carry_provider_prefix() {
        let text = GOOD.replace("id = \"acme-token\"", "id = \"other-token\"");
        let msg = RuleSet::default()
            .add_source("t.toml", &text)
            .unwrap_err()
            .to_string();
        assert!(
            msg.contains("must start with the provider id `acme-`"),
            "{msg}"
        );
    }

    #[test]
    fn bad_verify_block_names_file_and_line() {
        let text = format!("{GOOD}\n[verify]\nurl = \"https://acme.example/v1\"\n");
        let msg = RuleSet::default()
            .add_source("t.toml", &text)
            .unwrap_err()
            .to_string();
        assert!(
            msg.starts_with("t.toml:18: rule `acme`: [verify]: provider `acme` has no built-in"),
            "{msg}"
        );
    }

    #[test]
    fn references_are_https_urls() {
        let ok = GOOD.replace(
            "remediation = \"r\"",
            "remediation = \"r\"\nreferences = [\"https://acme.example/docs/keys\"]",
        );
        let mut set = RuleSet::default();
        set.add_source("t.toml", &ok).unwrap();
        assert_eq!(
            set.rules()[0].references,
            ["https://acme.example/docs/keys"]
        );
        let bad = ok.replace("https://acme.example/docs/keys", "javascript:alert(1)");
        let msg = RuleSet::default()
            .add_source("t.toml", &bad)
            .unwrap_err()
            .to_string();
        assert!(msg.contains("must be an https:// URL"), "{msg}");
    }

    #[test]
    fn builtin_rules_load() {
        let set = RuleSet::builtin().unwrap();
        assert!(!set.is_empty());
    }
}

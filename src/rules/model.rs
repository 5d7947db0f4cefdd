//! The in-memory form of a rule, validated and compiled. Built only by `load`.

use std::sync::{Arc, OnceLock};

use regex_automata::{meta::Regex, util::syntax};
use serde::Serialize;

use super::checksum::Checksum;

/// A service whose credentials the rules in one file detect.
#[derive(Debug, Serialize)]
pub struct Provider {
    pub id: String,
    pub name: String,
    pub env_vars: Vec<String>,
    /// Where a leaked credential is revoked or rotated.
    pub revoke: String,
}

/// SARIF `precision`: how often a match of this rule is a real secret.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Precision {
    VeryHigh,
    High,
    Medium,
    Low,
}

impl Precision {
    pub fn as_str(self) -> &'static str {
        match self {
            Precision::VeryHigh => "very-high",
            Precision::High => "high",
            Precision::Medium => "medium",
            Precision::Low => "low",
        }
    }
}

/// What a match is: a secret, or an identifier that only says which account a secret belongs
/// to (an access key id, an account identifier) and grants nothing alone.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Category {
    #[default]
    Secret,
    Identifier,
}

impl Category {
    pub fn as_str(self) -> &'static str {
        match self {
            Category::Secret => "secret",
            Category::Identifier => "identifier",
        }
    }
}

/// Character classes a secret must contain, as a bit set.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct CharClasses(u8);

impl CharClasses {
    pub const UPPER: CharClasses = CharClasses(1);
    pub const LOWER: CharClasses = CharClasses(2);
    pub const DIGIT: CharClasses = CharClasses(4);
    pub const SYMBOL: CharClasses = CharClasses(8);

    pub fn from_name(name: &str) -> Option<CharClasses> {
        Some(match name {
            "upper" => Self::UPPER,
            "lower" => Self::LOWER,
            "digit" => Self::DIGIT,
            "symbol" => Self::SYMBOL,
            _ => return None,
        })
    }

    /// The classes present in `bytes`.
    pub fn of(bytes: &[u8]) -> CharClasses {
        let mut bits = 0;
        for &b in bytes {
            bits |= match b {
                b'A'..=b'Z' => 1,
                b'a'..=b'z' => 2,
                b'0'..=b'9' => 4,
                _ => 8,
            };
        }
        CharClasses(bits)
    }

    pub fn union(self, other: CharClasses) -> CharClasses {
        CharClasses(self.0 | other.0)
    }

    pub fn contains(self, other: CharClasses) -> bool {
        self.0 & other.0 == other.0
    }

    pub fn names(self) -> Vec<&'static str> {
        [
            (Self::UPPER, "upper"),
            (Self::LOWER, "lower"),
            (Self::DIGIT, "digit"),
            (Self::SYMBOL, "symbol"),
        ]
        .into_iter()
        .filter(|(c, _)| self.contains(*c))
        .map(|(_, n)| n)
        .collect()
    }
}

/// Words that must appear near a candidate (or, for prefixless keys, that anchor the search).
#[derive(Debug, Serialize)]
pub struct Context {
    pub keywords: Vec<String>,
    /// Keywords written with a leading `\b`: they count only where a word starts (not after a
    /// letter, digit, `_`, `-` or `.`).
    pub word_start: Vec<String>,
    pub lines_before: usize,
    pub lines_after: usize,
    /// When false the context only raises the confidence of a finding.
    pub required: bool,
    /// Words (lower-case, matched case-insensitively) that name other services with keys of
    /// the same shape; nearer to a candidate than the context words, they reject it.
    pub exclude: Vec<String>,
}

/// One compiled detection rule.
#[derive(Debug, Serialize)]
pub struct Rule {
    pub id: String,
    pub name: String,
    pub description: String,
    #[serde(serialize_with = "provider_id")]
    pub provider: Arc<Provider>,
    #[serde(rename = "regex")]
    pub pattern: String,
    /// Compiled on first use: a run (the pre-commit hook above all) pays only for the rules
    /// whose keywords occur in what it scans. User rule files are compiled at load instead,
    /// so their errors surface at once; built-in ones are compiled by the test suite.
    #[serde(skip)]
    pub(super) compiled: OnceLock<Result<CompiledRegex, String>>,
    pub keywords: Vec<String>,
    pub entropy: f64,
    /// Largest share of the secret that word-like letter runs may cover (see
    /// `validate::word_share`); 1.0 turns the check off.
    pub max_word_share: f64,
    #[serde(serialize_with = "class_names")]
    pub char_classes: CharClasses,
    pub severity: String,
    pub precision: Precision,
    pub priority: i32,
    pub window: usize,
    pub remediation: String,
    /// Where the key's shape is documented: the provider's documentation, or the public rule
    /// of another scanner that describes it.
    pub references: Vec<String>,
    pub tags: Vec<String>,
    pub category: Category,
    /// Former ids: a baseline or allowlist entry naming one applies to this rule.
    pub aliases: Vec<String>,
    /// The checksum the provider puts in its keys, if any: a match whose checksum fails is
    /// still reported (an altered or truncated key is still a leak), marked and never verified.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub checksum: Option<Checksum>,
    pub context: Option<Context>,
    pub examples: Vec<String>,
    pub negative_examples: Vec<String>,
    /// File the rule was loaded from (`builtin:NAME.toml` for embedded rules).
    pub origin: String,
}

/// A rule's regex, ready to run.
#[derive(Debug)]
pub struct CompiledRegex {
    pub regex: Regex,
    /// Capture group holding the secret: the group named `secret`, else group 1, else the
    /// whole match.
    pub secret_group: usize,
    /// Literal starts and ends the regex fixes for every secret (`sk-proj-`, `AIza`, the
    /// `AKIA`/`ASIA` alternatives): the rest is the random body that character-class
    /// requirements apply to.
    pub fixed_starts: Vec<Vec<u8>>,
    pub fixed_ends: Vec<Vec<u8>>,
}

impl CompiledRegex {
    /// Compiles `pattern` with ASCII classes over bytes, as every rule expects.
    pub fn new(pattern: &str) -> Result<CompiledRegex, String> {
        let regex = Regex::builder()
            .syntax(syntax::Config::new().unicode(false).utf8(false))
            .build(pattern)
            .map_err(|e| match e.syntax_error() {
                Some(se) => format!("invalid regex:\n{se}"),
                None => format!("invalid regex: {e}"),
            })?;
        let info = regex.group_info();
        let secret_group = match info.to_index(regex_automata::PatternID::ZERO, "secret") {
            Some(i) => i,
            None if info.group_len(regex_automata::PatternID::ZERO) > 1 => 1,
            None => 0,
        };
        let (fixed_starts, fixed_ends) = fixed_literals(pattern, secret_group);
        Ok(CompiledRegex {
            regex,
            secret_group,
            fixed_starts,
            fixed_ends,
        })
    }

    /// The random body of `secret`: without the longest fixed start and end it carries.
    pub fn body<'s>(&self, secret: &'s [u8]) -> &'s [u8] {
        let longest = |lits: &[Vec<u8>], fits: &dyn Fn(&[u8]) -> bool| {
            lits.iter()
                .filter(|l| fits(l))
                .map(Vec::len)
                .max()
                .unwrap_or(0)
        };
        let start = longest(&self.fixed_starts, &|l| secret.starts_with(l));
        let rest = &secret[start..];
        let end = longest(&self.fixed_ends, &|l| rest.ends_with(l));
        &rest[..rest.len() - end]
    }
}

/// Literal prefixes and suffixes of the secret group of `pattern`: byte strings one of which
/// starts (ends) every secret, expanding no class wider than one byte. Empty when the group
/// starts (ends) with a class or the pattern does not parse.
fn fixed_literals(pattern: &str, group: usize) -> (Vec<Vec<u8>>, Vec<Vec<u8>>) {
    use regex_syntax::hir::{
        Hir, HirKind,
        literal::{ExtractKind, Extractor},
    };
    let Ok(hir) = regex_syntax::ParserBuilder::new()
        .unicode(false)
        .utf8(false)
        .build()
        .parse(pattern)
    else {
        return (Vec::new(), Vec::new());
    };
    fn find(h: &Hir, group: usize) -> Option<&Hir> {
        match h.kind() {
            HirKind::Capture(c) if c.index as usize == group => Some(h),
            HirKind::Capture(c) => find(&c.sub, group),
            HirKind::Concat(hs) | HirKind::Alternation(hs) => {
                hs.iter().find_map(|x| find(x, group))
            }
            HirKind::Repetition(r) => find(&r.sub, group),
            _ => None,
        }
    }
    let Some(secret) = (if group == 0 {
        Some(&hir)
    } else {
        find(&hir, group)
    }) else {
        return (Vec::new(), Vec::new());
    };
    let literals = |kind| {
        let mut ex = Extractor::new();
        ex.kind(kind).limit_class(1);
        let seq = ex.extract(secret);
        seq.literals()
            .map(|ls| {
                ls.iter()
                    .map(|l| l.as_bytes().to_vec())
                    .filter(|l| !l.is_empty())
                    .collect()
            })
            .unwrap_or_default()
    };
    (literals(ExtractKind::Prefix), literals(ExtractKind::Suffix))
}

impl Rule {
    /// The compiled regex, compiling it on first use.
    pub fn compiled(&self) -> Result<&CompiledRegex, &str> {
        self.compiled
            .get_or_init(|| CompiledRegex::new(&self.pattern))
            .as_ref()
            .map_err(String::as_str)
    }

    /// The rule's id, then its former ids.
    pub fn ids(&self) -> impl Iterator<Item = &str> {
        std::iter::once(self.id.as_str()).chain(self.aliases.iter().map(String::as_str))
    }

    /// Rules without keywords are found through their context words alone.
    pub fn is_context_anchored(&self) -> bool {
        self.keywords.is_empty()
    }

    /// The match alone says what it is: a keyword of the rule is part of every match (a
    /// literal prefix such as `ghp_`) and no context word is required. Such rules are the ones
    /// run over binary files, where lines and neighbouring words mean little.
    pub fn is_self_identifying(&self) -> bool {
        !self.is_context_anchored() && self.context.as_ref().is_none_or(|c| !c.required)
    }
}

fn provider_id<S: serde::Serializer>(p: &Arc<Provider>, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&p.id)
}

fn class_names<S: serde::Serializer>(c: &CharClasses, s: S) -> Result<S::Ok, S::Error> {
    s.collect_seq(c.names())
}

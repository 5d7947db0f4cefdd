//! The in-memory form of a rule, validated and compiled. Built only by `load`.

use std::sync::Arc;

use regex_automata::meta::Regex;
use serde::Serialize;

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
    pub lines_before: usize,
    pub lines_after: usize,
    /// When false the context only raises the confidence of a finding.
    pub required: bool,
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
    #[serde(skip)]
    pub regex: Regex,
    /// Capture group holding the secret (0 = whole match).
    #[serde(skip)]
    pub secret_group: usize,
    pub keywords: Vec<String>,
    pub entropy: f64,
    #[serde(serialize_with = "class_names")]
    pub char_classes: CharClasses,
    pub severity: String,
    pub precision: Precision,
    pub priority: i32,
    pub window: usize,
    pub remediation: String,
    pub tags: Vec<String>,
    pub context: Option<Context>,
    pub examples: Vec<String>,
    pub negative_examples: Vec<String>,
    /// File the rule was loaded from (`builtin:NAME.toml` for embedded rules).
    pub origin: String,
}

impl Rule {
    /// Rules without keywords are found through their context words alone.
    pub fn is_context_anchored(&self) -> bool {
        self.keywords.is_empty()
    }
}

fn provider_id<S: serde::Serializer>(p: &Arc<Provider>, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&p.id)
}

fn class_names<S: serde::Serializer>(c: &CharClasses, s: S) -> Result<S::Ok, S::Error> {
    s.collect_seq(c.names())
}

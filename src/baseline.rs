//! Baselines: the findings a repository already had when it adopted keysift, recorded so that
//! scans and the pre-commit hook report only new ones.
//!
//! A baseline is a JSON file (see README "Baselines"):
//!
//! ```json
//! { "version": 1,
//!   "entries": [ { "fingerprint": "…", "secret_fingerprint": "…", "rule": "acme-token",
//!                  "path": "tests/fixtures/config.yml", "hint": "acme…[40 chars]" } ] }
//! ```
//!
//! It never holds a secret: `fingerprint` hashes rule id + secret + path (the same value as in
//! reports), `secret_fingerprint` hashes rule id + secret only, and `hint` is the redacted
//! form. Matching uses `secret_fingerprint`, so an entry keeps suppressing its secret when
//! the file is renamed or moved (`git mv`, a squash merge that reorganises files) as well as
//! when lines move; the price is that the same accepted secret pasted into another file is
//! not reported either, which is harmless for what baselines hold (test fixtures, revoked
//! example keys). `path` is there for people reading the file. Entries that match nothing
//! are ignored.

use std::{
    collections::HashSet,
    fs,
    io::{self, Write},
    path::Path,
};

use serde::{Deserialize, Serialize};

use crate::{
    finding::{self, Finding},
    output_file::OutputFile,
};

/// The baseline format version this build reads and writes.
pub const VERSION: u32 = 1;

/// Where `keysift baseline create` writes by default, at the repository root.
pub const DEFAULT_FILE: &str = ".keysift-baseline.json";

#[derive(Debug, thiserror::Error)]
pub enum BaselineError {
    #[error("cannot read baseline {path}: {source}")]
    Read { path: String, source: io::Error },
    #[error("cannot write baseline {path}: {source}")]
    Write { path: String, source: io::Error },
    #[error("baseline {path} is not valid: {message}")]
    Parse { path: String, message: String },
    #[error(
        "baseline {path} has version {found}; this keysift reads version {VERSION} (upgrade keysift)"
    )]
    Version { path: String, found: u32 },
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BaselineEntry {
    /// Rule id + secret + path, as `fingerprint` in reports.
    pub fingerprint: String,
    /// Rule id + secret: what suppression matches on.
    pub secret_fingerprint: String,
    pub rule: String,
    pub path: String,
    /// The redacted secret, so a reviewer can tell entries apart.
    pub hint: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Baseline {
    pub version: u32,
    pub entries: Vec<BaselineEntry>,
}

/// The path-independent fingerprint of a finding. A path is never empty, so this never
/// equals a path-bound fingerprint.
pub fn secret_fingerprint(f: &Finding) -> String {
    finding::fingerprint(&f.rule.id, f.secret.expose(), "").to_string()
}

impl Baseline {
    /// Records `findings`, one entry per fingerprint, sorted so regenerating a baseline for
    /// an unchanged repository rewrites the file identically.
    pub fn from_findings(findings: &[Finding]) -> Baseline {
        let mut entries: Vec<BaselineEntry> = findings
            .iter()
            .map(|f| BaselineEntry {
                fingerprint: f.fingerprint.to_string(),
                secret_fingerprint: secret_fingerprint(f),
                rule: f.rule.id.clone(),
                path: f.path.clone(),
                hint: f.secret.redacted(),
            })
            .collect();
        entries.sort_by(|a, b| {
            (&a.path, &a.rule, &a.fingerprint).cmp(&(&b.path, &b.rule, &b.fingerprint))
        });
        entries.dedup_by(|a, b| a.fingerprint == b.fingerprint);
        Baseline {
            version: VERSION,
            entries,
        }
    }

    pub fn load(path: &Path) -> Result<Baseline, BaselineError> {
        let shown = path.display().to_string();
        let text = fs::read(path).map_err(|source| BaselineError::Read {
            path: shown.clone(),
            source,
        })?;
        Baseline::parse(&text, shown)
    }

    /// Parses a baseline's bytes; `shown` names it in errors. Separate from
    /// [`Baseline::load`] so the parser can be fuzzed.
    pub fn parse(text: &[u8], shown: String) -> Result<Baseline, BaselineError> {
        #[derive(Deserialize)]
        struct Versioned {
            version: u32,
        }
        let parse = |e: serde_json::Error| BaselineError::Parse {
            path: shown.clone(),
            message: e.to_string(),
        };
        let v: Versioned = serde_json::from_slice(text).map_err(parse)?;
        if v.version != VERSION {
            return Err(BaselineError::Version {
                path: shown,
                found: v.version,
            });
        }
        serde_json::from_slice(text).map_err(parse)
    }

    pub fn save(&self, path: &Path) -> Result<(), BaselineError> {
        let mut text = serde_json::to_string_pretty(self).map_err(|e| BaselineError::Write {
            path: path.display().to_string(),
            source: io::Error::other(e),
        })?;
        text.push('\n');
        // Never through a symlink planted at the destination (see `output_file`).
        OutputFile::create(path)
            .and_then(|mut f| {
                f.write_all(text.as_bytes())?;
                f.commit()
            })
            .map_err(|source| BaselineError::Write {
                path: path.display().to_string(),
                source,
            })
    }

    /// The matcher for suppressing findings.
    pub fn matcher(&self) -> BaselineMatcher {
        BaselineMatcher {
            known: self
                .entries
                .iter()
                .map(|e| e.secret_fingerprint.clone())
                .collect(),
        }
    }
}

/// The set of accepted (rule, secret) fingerprints.
pub struct BaselineMatcher {
    known: HashSet<String>,
}

impl BaselineMatcher {
    /// True when the baseline accepts `f`, recorded under its rule's id or a former id (a
    /// renamed rule keeps its old id as an alias, so old baselines keep suppressing).
    pub fn contains(&self, f: &Finding) -> bool {
        f.rule.ids().any(|id| {
            self.known
                .contains(&finding::fingerprint(id, f.secret.expose(), "").to_string())
        })
    }

    /// Drops the findings the baseline accepts; returns how many were dropped.
    pub fn suppress(&self, findings: &mut Vec<Finding>) -> usize {
        let before = findings.len();
        findings.retain(|f| !self.contains(f));
        before - findings.len()
    }
}

//! What a scan produced, ready for a reporter: findings, diagnostics and counters. It sits
//! below the scan so reports and the progress line can read it without importing the scan.

use std::time::Duration;

use serde::Serialize;

use crate::{
    diagnostic::{Diagnostic, Severity},
    finding::Finding,
    source::objects::HistoryStats,
};

/// Findings not reported, by the mechanism that silenced them, so a run never looks cleaner
/// than it is without saying why.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Suppressed {
    /// By a `.keysift.toml` (or `--config`) allowlist.
    pub allowlist: u64,
    /// By a `keysift:allow` (or migrated) comment on the line.
    pub inline_allow: u64,
    /// By a `--baseline` entry.
    pub baseline: u64,
}

impl Suppressed {
    pub fn total(&self) -> u64 {
        self.allowlist + self.inline_allow + self.baseline
    }
}

/// Counters shown in summaries and `--verbose` stats.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Stats {
    pub files: u64,
    pub bytes: u64,
    /// Binary files not scanned (`--skip-binary`).
    pub binary_skipped: u64,
    /// Binary files scanned for self-identifying keys only (also counted in `files`).
    pub binary_partial: u64,
    /// UTF-16 files with malformed sequences, decoded with replacements (also in `files`).
    pub decode_errors: u64,
    pub errors: u64,
    /// Files and archive members skipped for `--max-file-size`.
    pub too_large: u64,
    /// Archives and compressed files expanded, nested ones included.
    pub archives: u64,
    /// Of `files`, those read out of an archive.
    pub archive_members: u64,
    /// Files that ignore files kept out of the scan, as far as the run can tell: tracked
    /// files excluded by `.ignore`/`.keysiftignore` and staged files they exclude.
    pub ignored: u64,
    pub suppressed: Suppressed,
    /// History scans only: commits walked and blobs seen, read and scanned.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub history: Option<HistoryStats>,
    #[serde(skip)]
    pub elapsed: Duration,
    /// Time `--verify` spent asking providers, after the scan.
    #[serde(skip)]
    pub verify_elapsed: Option<Duration>,
}

/// How much of a blob the rules saw.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Coverage {
    /// Every rule over all of its text.
    Full,
    /// Binary: self-identifying rules over the raw bytes, no context rules.
    BinaryPartial,
    /// Binary, not scanned at all (`--skip-binary`).
    BinarySkipped,
    /// UTF-16 with malformed sequences: decoded with replacement characters (and the raw
    /// bytes scanned for self-identifying keys), so a key across a bad unit may be missed.
    DecodeErrors,
}

impl Coverage {
    /// Why the blob was not fully scanned, for a diagnostic; `None` when it was.
    pub fn note(self) -> Option<&'static str> {
        match self {
            Coverage::Full => None,
            Coverage::BinaryPartial => Some("binary file, scanned for self-identifying keys only"),
            Coverage::BinarySkipped => Some("binary file, skipped"),
            Coverage::DecodeErrors => Some("malformed UTF-16, decoded with replacement characters"),
        }
    }
}

impl Stats {
    /// Counts one blob of `bytes` bytes scanned with `coverage`.
    pub fn count(&mut self, coverage: Coverage, bytes: u64) {
        self.bytes += bytes;
        match coverage {
            Coverage::BinarySkipped => self.binary_skipped += 1,
            Coverage::BinaryPartial => {
                self.files += 1;
                self.binary_partial += 1;
            }
            Coverage::DecodeErrors => {
                self.files += 1;
                self.decode_errors += 1;
            }
            Coverage::Full => self.files += 1,
        }
    }

    /// Blobs that were not scanned, or not with every rule over all of their text.
    pub fn incomplete(&self) -> u64 {
        self.binary_skipped + self.binary_partial + self.decode_errors + self.errors
    }
}

/// Everything a scan produced, ready for a reporter.
#[derive(Debug, Default)]
pub struct Outcome {
    pub findings: Vec<Finding>,
    pub diagnostics: Vec<Diagnostic>,
    pub stats: Stats,
    /// The ignore files the walk came across and applied, for `--verbose`.
    pub ignore_files: Vec<String>,
}

impl Outcome {
    /// Sorts findings by path and position so reports are reproducible across runs. The
    /// fingerprint breaks the remaining ties, so an unstable sort is as reproducible and needs
    /// no scratch copy of half a million findings.
    pub fn sort(&mut self) {
        self.findings.sort_unstable_by(|a, b| {
            (
                &a.path,
                a.location.line,
                a.location.column,
                &a.rule.id,
                a.location.end_line,
                a.location.end_column,
                &a.fingerprint,
            )
                .cmp(&(
                    &b.path,
                    b.location.line,
                    b.location.column,
                    &b.rule.id,
                    b.location.end_line,
                    b.location.end_column,
                    &b.fingerprint,
                ))
        });
        self.diagnostics
            .sort_by(|a, b| (&a.path, &a.message).cmp(&(&b.path, &b.message)));
    }

    /// Counts a scanned blob and notes how it was not fully scanned, if it was not.
    pub fn record(&mut self, path: impl Into<String>, coverage: Coverage, bytes: u64) {
        self.stats.count(coverage, bytes);
        if let Some(note) = coverage.note() {
            let severity = match coverage {
                Coverage::DecodeErrors => Severity::Warning,
                _ => Severity::Note,
            };
            self.diagnostics.push(Diagnostic::new(severity, path, note));
        }
    }

    pub fn has_errors(&self) -> bool {
        self.diagnostics
            .iter()
            .any(|d| d.severity == Severity::Error)
    }
}

//! What a scan produced, ready for a reporter: findings, diagnostics and counters. It sits
//! below the scan so reports and the progress line can read it without importing the scan.

use std::time::Duration;

use serde::Serialize;

use crate::{
    diagnostic::{Diagnostic, Severity},
    finding::Finding,
    source::objects::HistoryStats,
};

/// Counters shown in summaries and `--verbose` stats.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Stats {
    pub files: u64,
    pub bytes: u64,
    pub binary_skipped: u64,
    pub errors: u64,
    /// History scans only: commits walked and blobs seen, read and scanned.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub history: Option<HistoryStats>,
    #[serde(skip)]
    pub elapsed: Duration,
}

/// Everything a scan produced, ready for a reporter.
#[derive(Debug, Default)]
pub struct Outcome {
    pub findings: Vec<Finding>,
    pub diagnostics: Vec<Diagnostic>,
    pub stats: Stats,
}

impl Outcome {
    /// Sorts findings by path and position so reports are reproducible across runs.
    pub fn sort(&mut self) {
        self.findings.sort_by(|a, b| {
            (&a.path, a.location.line, a.location.column, &a.rule.id).cmp(&(
                &b.path,
                b.location.line,
                b.location.column,
                &b.rule.id,
            ))
        });
        self.diagnostics
            .sort_by(|a, b| (&a.path, &a.message).cmp(&(&b.path, &b.message)));
    }

    pub fn has_errors(&self) -> bool {
        self.diagnostics
            .iter()
            .any(|d| d.severity == Severity::Error)
    }
}

//! Problems met during a scan that do not stop it: each names the path and what happened.

use std::{fmt, io::Write};

use serde::Serialize;

/// Writes one line to stderr, ignoring failure: messages there are a courtesy, and a closed
/// or full stderr must neither panic (as `eprintln!` does) nor change the exit status.
pub fn to_stderr(line: fmt::Arguments<'_>) {
    let _ = writeln!(std::io::stderr().lock(), "{line}");
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Shown with `--verbose` only (binary files skipped, for instance).
    Note,
    /// Shown always; does not change the exit code (a broken symlink inside a tree).
    Warning,
    /// Part of the input could not be scanned: the run exits 2 unless it found secrets.
    Error,
}

#[derive(Debug, Clone, Serialize)]
pub struct Diagnostic {
    pub severity: Severity,
    pub path: String,
    pub message: String,
}

impl Diagnostic {
    pub fn new(severity: Severity, path: impl Into<String>, message: impl Into<String>) -> Self {
        Diagnostic {
            severity,
            path: path.into(),
            message: message.into(),
        }
    }
}

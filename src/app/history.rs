//! `scan --git`: turns the history options into a library call and its counters into the
//! `--verbose` line.

use std::path::PathBuf;

use anyhow::{Context, Result, bail};
use keysift::{
    commit::introduced::scan_history,
    outcome::Outcome,
    scan::Scanner,
    source::objects::{HistoryOptions, HistoryStats, Selection},
};

use crate::cli::ScanArgs;

pub fn scan(scanner: &Scanner, args: &ScanArgs) -> Result<Outcome> {
    let path = match args.paths.as_slice() {
        [] => PathBuf::from("."),
        [one] => one.clone(),
        _ => bail!("--git takes one repository path"),
    };
    let h = &args.history;
    let selection = match (&h.since, &h.range) {
        (Some(rev), _) => Selection::Since(rev.clone()),
        (None, Some(range)) => Selection::parse_range(range)?,
        (None, None) => Selection::All,
    };
    let opts = HistoryOptions {
        path,
        selection,
        stash: h.stash,
        threads: args.threads,
    };
    scan_history(scanner, &opts, h.all_occurrences).context("history scan failed")
}

/// Shows that each distinct blob was scanned exactly once.
pub fn stats_line(h: &HistoryStats) -> String {
    format!(
        "keysift: history: {} commits, {} blob occurrences, {} distinct blobs, {} blobs scanned{}",
        h.commits,
        h.blob_occurrences,
        h.distinct_blobs,
        h.blobs_scanned,
        if h.shallow_boundary > 0 {
            format!(", {} shallow boundary commits", h.shallow_boundary)
        } else {
            String::new()
        }
    )
}

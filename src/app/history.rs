//! `scan --git`, `--pre-push` and `--pre-receive`: turn the history options (or a push hook's
//! input) into a library call, and its counters into the `--verbose` line.

use std::{io::Read as _, path::PathBuf};

use anyhow::{Context, Result, bail};
use keysift::{
    commit::{
        introduced::scan_history,
        push::{self, HookInput},
    },
    diagnostic::{Diagnostic, Severity},
    outcome::Outcome,
    scan::Scanner,
    source::objects::{HistoryOptions, HistoryStats, Selection},
};

use crate::cli::ScanArgs;

/// The one repository path the history modes take (`.` when none is given).
fn repository(args: &ScanArgs, too_many: &str) -> Result<PathBuf> {
    match args.paths.as_slice() {
        [] => Ok(PathBuf::from(".")),
        [one] => Ok(one.clone()),
        _ => bail!("{too_many}"),
    }
}

pub fn scan(scanner: &Scanner, args: &ScanArgs) -> Result<Outcome> {
    let path = repository(args, "--git takes one repository path")?;
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
        threads: args.jobs.threads,
    };
    scan_history(scanner, &opts, h.all_occurrences, true).context("history scan failed")
}

/// `scan --pre-push` and `scan --pre-receive`: the commits a push sends, from the hook's
/// standard input (or the pre-commit framework's variables).
pub fn scan_push(scanner: &Scanner, args: &ScanArgs) -> Result<Outcome> {
    let path = repository(
        args,
        "--pre-push and --pre-receive take one repository path",
    )?;
    let h = &args.history;
    let kind = if h.pre_receive {
        HookInput::PreReceive
    } else {
        HookInput::PrePush
    };
    let from_env = match kind {
        HookInput::PrePush => push::from_pre_commit_env(|k| std::env::var(k).ok()),
        HookInput::PreReceive => None,
    };
    let parsed = match from_env {
        Some(p) => p,
        None => {
            let mut input = Vec::new();
            // Each line is about 150 bytes; a megabyte is thousands of refs.
            std::io::Read::take(std::io::stdin().lock(), 16 << 20)
                .read_to_end(&mut input)
                .context("cannot read the hook's standard input")?;
            push::parse(&String::from_utf8_lossy(&input), kind, h.remote.as_deref())
        }
    };
    let mut outcome = if parsed.selection.tips.is_empty() {
        let mut o = Outcome::default();
        o.stats.history = Some(HistoryStats::default());
        if parsed.diagnostics.is_empty() && parsed.deletions == 0 {
            o.diagnostics.push(Diagnostic::new(
                Severity::Warning,
                "<hook input>",
                "no ref updates on standard input: nothing to scan (git passes them to the hook)",
            ));
        }
        o
    } else {
        let opts = HistoryOptions {
            path,
            selection: Selection::Tips(parsed.selection),
            stash: false,
            threads: args.jobs.threads,
        };
        scan_history(scanner, &opts, h.all_occurrences, true).context("push scan failed")?
    };
    for d in parsed.diagnostics {
        if d.severity == Severity::Error {
            outcome.stats.errors += 1;
        }
        outcome.diagnostics.push(d);
    }
    Ok(outcome)
}

/// Shows that each distinct blob was scanned exactly once.
pub fn stats_line(h: &HistoryStats) -> String {
    format!(
        "keysift: history: {} commits, {} blob occurrences, {} distinct blobs, {} blobs scanned, \
         {} commit messages scanned{}",
        h.commits,
        h.blob_occurrences,
        h.distinct_blobs,
        h.blobs_scanned,
        h.messages_scanned,
        if h.shallow_boundary > 0 {
            format!(", {} shallow boundary commits", h.shallow_boundary)
        } else {
            String::new()
        }
    )
}

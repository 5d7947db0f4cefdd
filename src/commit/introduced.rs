//! Scans a git history: [`source::objects`](crate::source::objects) lists each distinct blob
//! once, the [`Scanner`] reads each exactly once in parallel, and findings are mapped back to
//! the commits and paths that introduced the blob.
//!
//! A secret that stays in a file while other lines change is in many blobs, and one blob can
//! be introduced by several commits (branches, cherry-picks) and at several paths (copies).
//! By default a secret is reported once per fingerprint (rule, secret, path), at the oldest
//! commit that introduced it there; `--all-occurrences` reports every (commit, path) that
//! introduced a blob containing it. Each commit's message is scanned too, and a finding there
//! is shown at that commit with the path `<commit message>`.

use std::{
    collections::{HashMap, HashSet},
    sync::{
        Arc,
        atomic::{AtomicBool, AtomicU64, Ordering},
        mpsc,
    },
    time::{Duration, Instant},
};

use gix::bstr::ByteSlice;
use indicatif::HumanBytes;

use crate::{
    detect::engine::Scratch,
    diagnostic::{Diagnostic, Severity},
    finding::{self, COMMIT_MESSAGE, Commit, Finding},
    outcome::Outcome,
    progress::Progress,
    scan::{Scanned, Scanner},
    source::objects::{Blob, HistoryError, HistoryOptions, Plan},
};

/// What reading and scanning one blob gave.
enum BlobResult {
    Scanned { bytes: u64, scanned: Scanned },
    Failed(gix::Error),
}

/// Counters the progress line reads while the history is planned and scanned.
#[derive(Default)]
struct Meter {
    planned: AtomicBool,
    blobs: AtomicU64,
    scanned: AtomicU64,
    bytes: AtomicU64,
    findings: AtomicU64,
}

impl Meter {
    /// Redraws the progress line until `done` is dropped (a spinner on a terminal, after a
    /// second).
    fn show(&self, wanted: bool, done: mpsc::Receiver<()>) {
        let mut bar = Progress::new(wanted);
        // Draw before the first wait: `Progress` decides whether the line shows yet, and a
        // history shorter than one wait would otherwise never show it.
        loop {
            bar.tick_with(|| {
                if !self.planned.load(Ordering::Relaxed) {
                    return "history: walking commits and diffing trees".to_string();
                }
                format!(
                    "history: {}/{} blobs, {} scanned, {} findings",
                    self.scanned.load(Ordering::Relaxed),
                    self.blobs.load(Ordering::Relaxed),
                    HumanBytes(self.bytes.load(Ordering::Relaxed)),
                    self.findings.load(Ordering::Relaxed)
                )
            });
            if !matches!(
                done.recv_timeout(Duration::from_millis(100)),
                Err(mpsc::RecvTimeoutError::Timeout)
            ) {
                break;
            }
        }
        bar.finish();
    }
}

/// Scans the history selected by `opts`; `all_occurrences` keeps a finding for every commit
/// and path that introduced a blob containing the secret. `progress` shows a progress line on
/// a terminal, as directory scans do.
pub fn scan_history(
    scanner: &Scanner,
    opts: &HistoryOptions,
    all_occurrences: bool,
    progress: bool,
) -> Result<Outcome, HistoryError> {
    let meter = Meter::default();
    let (done, wait) = mpsc::channel();
    std::thread::scope(|s| {
        s.spawn(|| meter.show(progress, wait));
        let result = scan(scanner, opts, all_occurrences, &meter);
        drop(done);
        result
    })
}

fn scan(
    scanner: &Scanner,
    opts: &HistoryOptions,
    all_occurrences: bool,
    meter: &Meter,
) -> Result<Outcome, HistoryError> {
    let start = Instant::now();
    let plan = Plan::new(opts)?;
    meter
        .blobs
        .store(plan.blobs.len() as u64, Ordering::Relaxed);
    meter.planned.store(true, Ordering::Relaxed);
    let scanned = &meter.scanned;
    let results = plan.read_blobs(Scratch::default, |scratch, blob, data| match data {
        Err(e) => BlobResult::Failed(e),
        Ok(bytes) => {
            scanned.fetch_add(1, Ordering::Relaxed);
            let path = plan.path(&blob.occurrences[0]).to_str_lossy();
            let len = bytes.len() as u64;
            meter.bytes.fetch_add(len, Ordering::Relaxed);
            let scanned = scanner.scan_blob(&path, bytes, scratch);
            let n = scanned.findings.len() as u64;
            meter.findings.fetch_add(n, Ordering::Relaxed);
            BlobResult::Scanned {
                bytes: len,
                scanned,
            }
        }
    });

    let mut outcome = Outcome {
        diagnostics: plan.diagnostics.clone(),
        ..Outcome::default()
    };
    let mut located: Vec<(u32, Finding)> = Vec::new();
    // Commit messages leak keys too ("use key sk-... for now"): each is scanned at its commit.
    let messages = plan.read_messages(Scratch::default, |scratch, order, message| {
        message.map(|m| {
            let scanned = scanner.scan_blob(COMMIT_MESSAGE, m, scratch);
            (order, scanned.findings)
        })
    });
    let mut messages_scanned = 0;
    for (order, result) in messages.into_iter().enumerate() {
        match result {
            Ok((order, findings)) => {
                messages_scanned += 1;
                located.extend(findings.into_iter().map(|f| (order, f)));
            }
            Err(e) => {
                outcome.stats.errors += 1;
                outcome.diagnostics.push(Diagnostic::new(
                    Severity::Error,
                    COMMIT_MESSAGE,
                    format!(
                        "cannot read commit {}, its message was not scanned: {e}",
                        plan.commits[order]
                    ),
                ));
            }
        }
    }
    // Annotated tags carry messages too ("release notes: key sk-..."): scanned without a commit.
    let mut scratch = Scratch::default();
    for ((name, id), message) in plan.tags.iter().zip(plan.tag_messages()) {
        let shown = format!("<tag message: {name}>");
        match message {
            Ok(m) => {
                let scanned = scanner.scan_blob(&shown, &m, &mut scratch);
                located.extend(scanned.findings.into_iter().map(|f| (u32::MAX, f)));
            }
            Err(e) => {
                outcome.stats.errors += 1;
                outcome.diagnostics.push(Diagnostic::new(
                    Severity::Error,
                    shown,
                    format!("cannot read tag {id}, its message was not scanned: {e}"),
                ));
            }
        }
    }
    let mut missing = 0u64;
    for (blob, result) in plan.blobs.iter().zip(results) {
        match result {
            BlobResult::Scanned { bytes, scanned } => {
                let path = plan.path(&blob.occurrences[0]).to_str_lossy();
                outcome.record(path, scanned.coverage, bytes);
                place(scanner, &plan, blob, scanned.findings, &mut located);
            }
            BlobResult::Failed(e) if e.classify().is_not_found() => missing += 1,
            BlobResult::Failed(e) => {
                outcome.stats.errors += 1;
                outcome.diagnostics.push(Diagnostic::new(
                    Severity::Error,
                    plan.path(&blob.occurrences[0]).to_str_lossy(),
                    format!("cannot read blob {}: {e}", blob.id),
                ));
            }
        }
    }
    if missing > 0 {
        outcome.stats.errors += missing;
        outcome.diagnostics.push(Diagnostic::new(
            Severity::Error,
            plan.git_dir().display().to_string(),
            format!(
                "{missing} blob{} missing from the object database (a partial clone?) and not scanned",
                if missing == 1 { " is" } else { "s are" }
            ),
        ));
    }

    // Oldest commit first, so deduplication keeps the introducing one and ties sort by time.
    located.sort_by_key(|(order, _)| *order);
    if !all_occurrences {
        let mut seen = HashSet::new();
        located.retain(|(_, f)| seen.insert(f.fingerprint));
    }
    let reader = plan.commit_reader();
    let mut commits: HashMap<u32, Arc<Commit>> = HashMap::new();
    for (order, mut f) in located {
        if order != u32::MAX {
            let commit = commits.entry(order).or_insert_with(|| {
                Arc::new(reader.read(order).unwrap_or_else(|e| {
                    outcome.diagnostics.push(Diagnostic::new(
                        Severity::Warning,
                        f.path.clone(),
                        format!("cannot read commit details: {e}"),
                    ));
                    Commit {
                        id: plan.commits[order as usize].to_string(),
                        ..Commit::default()
                    }
                }))
            });
            f.commit = Some(Arc::clone(commit));
        }
        outcome.findings.push(f);
    }

    let mut stats = plan.stats;
    stats.blobs_scanned = scanned.load(Ordering::Relaxed);
    stats.messages_scanned = messages_scanned;
    outcome.stats.history = Some(stats);
    outcome.stats.elapsed = start.elapsed();
    outcome.sort();
    Ok(outcome)
}

/// Pairs each finding of `blob` with every place that introduced the blob; a place at another
/// path gets that path's fingerprint and allowlist check, as a working-tree scan there would.
fn place(
    scanner: &Scanner,
    plan: &Plan,
    blob: &Blob,
    findings: Vec<Finding>,
    out: &mut Vec<(u32, Finding)>,
) {
    let Some((first, rest)) = blob.occurrences.split_first() else {
        return;
    };
    for f in findings {
        for occ in rest {
            let path = plan.path(occ).to_str_lossy();
            let mut g = f.clone();
            if path != g.path {
                if scanner.allowlisted(&g.rule, &path, g.secret.expose()) {
                    continue;
                }
                g.path = path.into_owned();
                g.fingerprint = finding::fingerprint(&g.rule.id, g.secret.expose(), &g.path);
            }
            out.push((occ.order(), g));
        }
        out.push((first.order(), f));
    }
}

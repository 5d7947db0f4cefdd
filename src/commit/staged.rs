//! Scans what a commit adds: the staged blobs, minus findings already present in the version
//! they replace.
//!
//! The pre-commit hook must block a commit that adds a secret and never block one that does
//! not. A secret committed long ago in the same file is not this commit's doing (a full
//! `keysift scan` still reports it), so for each staged file the findings whose rule and
//! secret also occur in the old blob (HEAD's version of the path, or the rename source, and
//! while concluding a merge also the `MERGE_HEAD` version) are dropped. Old blobs are read
//! only for files that have findings, which on a typical commit is none, so the common case
//! costs one `git diff` and one `git cat-file` process.

use std::{collections::HashSet, time::Instant};

use rayon::prelude::*;

use crate::{
    detect::engine::Scratch,
    diagnostic::{Diagnostic, Severity},
    outcome::Outcome,
    scan::{BlobScan, Scanner, in_pool},
    source::{
        self,
        ignore_files::{IgnoreFiles, path_from_bytes},
        index::{BlobReader, Entry, GitError, SkipReason, StagedFile, path_matches},
    },
};

/// What `--staged` with path arguments should scan.
#[derive(Debug, PartialEq, Eq)]
pub enum Scope {
    /// The staged changes to scan (all of them, or those under the given paths).
    Staged(Vec<Entry>),
    /// Some given path has no staged change, so "what the commit adds" does not describe the
    /// request (`pre-commit run --all-files` passes every tracked file): scan the paths in
    /// full instead, as `keysift scan PATH...` would.
    Paths,
}

/// Chooses what to scan. `filters` are repository-relative paths from the command line; none
/// means every staged change. When every filter names a staged change (the pre-commit
/// framework passes exactly the staged files on a normal run), only those changes are
/// scanned; otherwise the files themselves are.
pub fn select(entries: Vec<Entry>, filters: &[Vec<u8>]) -> Scope {
    if filters.is_empty() {
        return Scope::Staged(entries);
    }
    let all_staged = filters
        .iter()
        .all(|f| entries.iter().any(|e| path_matches(f, e.path())));
    if !all_staged {
        return Scope::Paths;
    }
    Scope::Staged(
        entries
            .into_iter()
            .filter(|e| filters.iter().any(|f| path_matches(f, e.path())))
            .collect(),
    )
}

/// Drops the entries that `.keysiftignore` and `.ignore` exclude (see `IgnoreFiles`).
pub fn without_ignored(entries: Vec<Entry>, ignore: &mut IgnoreFiles) -> Vec<Entry> {
    entries
        .into_iter()
        .filter(|e| !ignore.is_ignored(&path_from_bytes(e.path())))
        .collect()
}

/// Scans the staged side of `entries`, keeping only findings the commit adds. `threads`
/// limits the scanning threads (0: one per core).
pub fn scan_staged(
    scanner: &Scanner,
    entries: &[Entry],
    threads: usize,
) -> Result<Outcome, GitError> {
    let start = Instant::now();
    let mut outcome = Outcome::default();
    let mut files: Vec<&StagedFile> = Vec::new();
    for e in entries {
        match e {
            Entry::Scan(f) => files.push(f),
            Entry::Skip {
                reason: SkipReason::Deleted,
                ..
            } => {}
            Entry::Skip { path, reason } => outcome.diagnostics.push(Diagnostic::new(
                Severity::Note,
                String::from_utf8_lossy(path),
                reason.as_str(),
            )),
        }
    }
    if !files.is_empty() {
        let mut scanned = in_pool(threads, || scan_new_blobs(scanner, &files))?;
        drop_preexisting(scanner, &files, &mut scanned)?;
        for result in scanned {
            result.record_in(&mut outcome);
        }
    }
    outcome.stats.elapsed = start.elapsed();
    outcome.sort();
    Ok(outcome)
}

/// Streams the staged blobs from one `git cat-file` and scans them on the pool's threads;
/// at most one blob per thread is in memory at a time.
fn scan_new_blobs(scanner: &Scanner, files: &[&StagedFile]) -> Result<Vec<BlobScan>, GitError> {
    let reader = BlobReader::new(files.iter().map(|f| f.blob.clone().into_bytes()).collect())?;
    let mut results: Vec<(usize, BlobScan)> = reader
        .enumerate()
        .par_bridge()
        .map_init(Scratch::default, |scratch, (i, blob)| {
            let blob = blob?;
            let file = files[i];
            if blob.missing || blob.id != file.blob {
                return Err(GitError::Protocol {
                    command: "cat-file --batch",
                    detail: format!("expected object {}, got {}", file.blob, blob.id),
                });
            }
            Ok((
                i,
                scanner.scan_blob_as_file(&file.shown(), &blob.bytes, scratch),
            ))
        })
        .collect::<Result<_, GitError>>()?;
    results.sort_unstable_by_key(|(i, _)| *i);
    Ok(results.into_iter().map(|(_, r)| r).collect())
}

/// Removes findings whose rule and secret also occur in what the file replaces: the HEAD
/// version (or rename source), and while concluding a merge also the version in `MERGE_HEAD`,
/// so secrets the other branch already committed are not blamed on the merge.
fn drop_preexisting(
    scanner: &Scanner,
    files: &[&StagedFile],
    scanned: &mut [BlobScan],
) -> Result<(), GitError> {
    let found: Vec<usize> = (0..files.len())
        .filter(|&i| scanned[i].findings().next().is_some())
        .collect();
    if found.is_empty() {
        return Ok(());
    }
    let merging = source::index::merging()?;
    // (index into `files`, object name)
    let mut olds: Vec<(usize, Vec<u8>)> = Vec::new();
    for i in found {
        let file = files[i];
        if let Some(base) = &file.base {
            olds.push((i, base.clone().into_bytes()));
        }
        if merging && !file.path.contains(&b'\n') {
            olds.push((i, [b"MERGE_HEAD:".as_slice(), &file.path].concat()));
        }
    }
    if olds.is_empty() {
        return Ok(());
    }
    let reader = BlobReader::new(olds.iter().map(|(_, name)| name.clone()).collect())?;
    let mut scratch = Scratch::default();
    for ((i, _), blob) in olds.iter().zip(reader) {
        let blob = blob?;
        if blob.missing {
            continue;
        }
        let old = scanner.scan_blob_as_file(&files[*i].shown(), &blob.bytes, &mut scratch);
        let before: HashSet<(&str, &str)> = old
            .findings()
            .map(|f| (f.rule.id.as_str(), f.secret.expose()))
            .collect();
        scanned[*i].retain_findings(|f| !before.contains(&(f.rule.id.as_str(), f.secret.expose())));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(path: &str) -> Entry {
        Entry::Scan(StagedFile {
            path: path.as_bytes().to_vec(),
            blob: "1".repeat(40),
            base: None,
        })
    }

    #[test]
    fn no_filters_select_every_staged_change() {
        let e = vec![file("a"), file("b/c")];
        assert_eq!(select(e.clone(), &[]), Scope::Staged(e));
    }

    #[test]
    fn filters_that_are_all_staged_narrow_the_changes() {
        let e = vec![file("a"), file("b/c"), file("d")];
        assert_eq!(
            select(e, &[b"a".to_vec(), b"b".to_vec()]),
            Scope::Staged(vec![file("a"), file("b/c")])
        );
    }

    #[test]
    fn a_filter_without_staged_changes_means_scan_the_paths() {
        let e = vec![file("a")];
        assert_eq!(
            select(e, &[b"a".to_vec(), b"untouched".to_vec()]),
            Scope::Paths
        );
    }
}

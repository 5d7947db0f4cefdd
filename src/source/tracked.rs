//! The tracked files under the scan roots, read from each repository's index, so the scan can
//! find the ones the walk skipped: `.gitignore` applies to untracked files only, and a
//! committed `.env` that was added to `.gitignore` afterwards (the usual clean-up after an
//! accidental commit) still holds its key in every clone.

use std::{path::PathBuf, sync::Arc};

use super::roots::Roots;

/// A tracked regular file in a working tree.
#[derive(Debug, Clone)]
pub struct TrackedFile {
    /// As the scan spells paths (see `roots`).
    pub shown: PathBuf,
    /// The working tree's root, resolved.
    pub workdir: Arc<PathBuf>,
    /// The path inside the working tree.
    pub rel: PathBuf,
}

/// Every tracked regular file (not symlinks or submodules) under `roots` whose root lies in
/// a git working tree. A repository that cannot be opened contributes nothing (the walk still
/// covers its untracked and not-ignored files).
pub fn under(roots: &Roots) -> Vec<TrackedFile> {
    let mut out = Vec::new();
    let mut done: Vec<Arc<PathBuf>> = Vec::new();
    for root in &roots.paths {
        let Ok(real_root) = std::fs::canonicalize(root) else {
            continue;
        };
        let Ok(repo) = gix::discover(&real_root) else {
            continue;
        };
        let Some(workdir) = repo.workdir().and_then(|w| std::fs::canonicalize(w).ok()) else {
            continue;
        };
        if done.iter().any(|d| **d == workdir) {
            continue;
        }
        let Ok(index) = repo.index_or_empty() else {
            continue;
        };
        let workdir = Arc::new(workdir);
        done.push(Arc::clone(&workdir));
        for e in index.entries() {
            if !matches!(
                e.mode,
                gix::index::entry::Mode::FILE | gix::index::entry::Mode::FILE_EXECUTABLE
            ) {
                continue;
            }
            let rel = super::ignore_files::path_from_bytes(e.path(&index));
            // A conflicted file has one entry per stage, next to each other.
            if out
                .last()
                .is_some_and(|l: &TrackedFile| l.rel == rel && l.workdir == workdir)
            {
                continue;
            }
            let real = workdir.join(&rel);
            let Some(shown) = roots.spell_if_under(&real) else {
                continue;
            };
            out.push(TrackedFile {
                shown,
                workdir: Arc::clone(&workdir),
                rel,
            });
        }
    }
    out
}

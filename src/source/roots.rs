//! Scan roots spelled one way: each command-line path becomes its real location, relative to
//! the working directory (absolute when outside it), so `a/b`, `./a/b` and `a/../a/b` name
//! the same files the same way (and fingerprints, which hash the path, agree); roots named
//! twice are dropped, and roots inside other roots are flagged so the walk scans each file once.

use std::{
    borrow::Cow,
    collections::HashSet,
    path::{Path, PathBuf},
    sync::Mutex,
};

/// The roots of one scan.
#[derive(Debug, Default)]
pub struct Roots {
    /// Each distinct root once, in the order given.
    pub paths: Vec<PathBuf>,
    /// Whether some root lies inside another, so a file may be reached twice.
    pub overlapping: bool,
    /// The working directory, resolved.
    cwd: Option<PathBuf>,
    /// Each root's real path (as given when it does not resolve).
    reals: Vec<PathBuf>,
}

impl Roots {
    /// `real` (a resolved path) spelled as this scan spells paths, when it lies under a root.
    pub fn spell_if_under(&self, real: &Path) -> Option<PathBuf> {
        self.reals
            .iter()
            .any(|r| real.starts_with(r))
            .then(|| relative_to(real, self.cwd.as_deref()))
    }

    /// Whether some root lies inside a git working tree (a `.git` at or above it).
    pub fn any_in_repository(&self) -> bool {
        self.reals.iter().any(|r| {
            let dir = if r.is_dir() {
                Some(r.as_path())
            } else {
                r.parent()
            };
            dir.and_then(crate::config::repository_root).is_some()
        })
    }
}

/// Normalises `given` (see the module comment). A root that does not resolve (missing,
/// unreadable) is kept as given, so the walk reports it.
pub fn normalize(given: &[PathBuf]) -> Roots {
    let cwd = std::env::current_dir().and_then(std::fs::canonicalize).ok();
    let mut paths: Vec<PathBuf> = Vec::with_capacity(given.len());
    let mut reals: Vec<PathBuf> = Vec::with_capacity(given.len());
    for root in given {
        let (p, real) = match std::fs::canonicalize(root) {
            Ok(real) => (relative_to(&real, cwd.as_deref()), real),
            Err(_) => (root.clone(), root.clone()),
        };
        if !paths.contains(&p) {
            paths.push(p);
            reals.push(real);
        }
    }
    let overlapping = reals.iter().enumerate().any(|(i, a)| {
        reals
            .iter()
            .enumerate()
            .any(|(j, b)| i != j && b.starts_with(a))
    });
    Roots {
        paths,
        overlapping,
        cwd,
        reals,
    }
}

/// `real` relative to `cwd` when it is inside it (`.` for `cwd` itself), else `real`.
fn relative_to(real: &Path, cwd: Option<&Path>) -> PathBuf {
    match cwd.and_then(|c| real.strip_prefix(c).ok()) {
        Some(rel) if rel.as_os_str().is_empty() => PathBuf::from("."),
        Some(rel) => rel.to_path_buf(),
        None => real.to_path_buf(),
    }
}

/// Files already scanned in a walk over overlapping roots; no bookkeeping otherwise.
#[derive(Debug, Default)]
pub struct Seen {
    set: Option<Mutex<HashSet<PathBuf>>>,
    cwd: Option<PathBuf>,
}

impl Seen {
    pub fn new(roots: &Roots) -> Seen {
        Seen {
            set: roots.overlapping.then(Mutex::default),
            cwd: roots.cwd.clone(),
        }
    }

    /// The path to scan `path` under, or `None` when another root already reached it. With
    /// overlapping roots (where one file has several spellings) that is its real path,
    /// spelled as `normalize` spells roots; otherwise `path` as walked.
    pub fn claim<'p>(&self, path: &'p Path) -> Option<Cow<'p, Path>> {
        let Some(set) = &self.set else {
            return Some(Cow::Borrowed(path));
        };
        let real = match std::fs::canonicalize(path) {
            Ok(real) => relative_to(&real, self.cwd.as_deref()),
            Err(_) => path.to_path_buf(),
        };
        let mut s = set.lock().unwrap_or_else(|e| e.into_inner());
        s.insert(real.clone()).then_some(Cow::Owned(real))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spellings_of_one_root_collapse_and_nesting_is_flagged() {
        let dir = tempfile::TempDir::new().unwrap();
        let real = std::fs::canonicalize(dir.path()).unwrap();
        std::fs::create_dir_all(real.join("a/b")).unwrap();
        let a = real.join("a");
        let r = normalize(&[a.clone(), real.join("a/../a"), real.join("./a/")]);
        assert_eq!(r.paths, vec![a.clone()]);
        assert!(!r.overlapping);
        let r = normalize(&[a.clone(), real.join("a/b")]);
        assert_eq!(r.paths.len(), 2);
        assert!(r.overlapping);
        assert_eq!(relative_to(&a, Some(&real)), PathBuf::from("a"));
        assert_eq!(relative_to(&real, Some(&real)), PathBuf::from("."));
    }
}

//! `.keysiftignore` and `.ignore` applied to repository paths that do not come from a
//! directory walk (staged files, file names passed by the pre-commit framework), so the hook
//! skips exactly what `keysift scan .` skips and never blocks a commit over a file the
//! repository told keysift to ignore.
//!
//! `.gitignore` is deliberately not applied: a file being committed is tracked, and git's
//! ignore rules do not apply to tracked files.

use std::{
    collections::HashMap,
    path::{Path, PathBuf},
};

use ignore::{
    Match,
    gitignore::{Gitignore, GitignoreBuilder},
};

use super::walk::IGNORE_FILE;

/// Ignore files in precedence order: later files override earlier ones, as in the walk.
const FILES: [&str; 2] = [".ignore", IGNORE_FILE];

/// Lazily loaded ignore files of one working tree.
pub struct IgnoreFiles {
    root: PathBuf,
    /// Per directory (relative to `root`): its ignore rules, if it has ignore files.
    dirs: HashMap<PathBuf, Option<Gitignore>>,
}

impl IgnoreFiles {
    pub fn new(root: impl Into<PathBuf>) -> IgnoreFiles {
        IgnoreFiles {
            root: root.into(),
            dirs: HashMap::new(),
        }
    }

    /// Whether the file at `path` (relative to the root) is ignored. The deepest directory
    /// with a matching rule decides, as in git.
    pub fn is_ignored(&mut self, path: &Path) -> bool {
        let mut dir = path.parent();
        while let Some(d) = dir {
            if let Some(rules) = self.load(d) {
                let rel = path.strip_prefix(d).unwrap_or(path);
                match rules.matched_path_or_any_parents(rel, false) {
                    Match::Ignore(_) => return true,
                    Match::Whitelist(_) => return false,
                    Match::None => {}
                }
            }
            dir = d.parent();
        }
        false
    }

    fn load(&mut self, dir: &Path) -> Option<&Gitignore> {
        let root = &self.root;
        self.dirs
            .entry(dir.to_path_buf())
            .or_insert_with(|| {
                let abs = root.join(dir);
                let mut b = GitignoreBuilder::new(&abs);
                let mut any = false;
                for name in FILES {
                    let file = abs.join(name);
                    if file.is_file() {
                        // A bad line is skipped, as the walk does (it warns there).
                        let _ = b.add(file);
                        any = true;
                    }
                }
                if any { b.build().ok() } else { None }
            })
            .as_ref()
    }
}

/// A repository path from git's bytes.
#[cfg(unix)]
pub fn path_from_bytes(bytes: &[u8]) -> PathBuf {
    use std::os::unix::ffi::OsStrExt;
    PathBuf::from(std::ffi::OsStr::from_bytes(bytes))
}

#[cfg(not(unix))]
pub fn path_from_bytes(bytes: &[u8]) -> PathBuf {
    PathBuf::from(String::from_utf8_lossy(bytes).into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nested_files_and_negation() {
        let dir = tempfile::TempDir::new().unwrap();
        let root = dir.path();
        std::fs::create_dir_all(root.join("tests/keep")).unwrap();
        std::fs::write(root.join(IGNORE_FILE), "fixtures/\n*.snap\n").unwrap();
        std::fs::write(root.join("tests/.ignore"), "data.txt\n").unwrap();
        std::fs::write(root.join("tests/keep/.keysiftignore"), "!x.snap\n").unwrap();
        let mut ig = IgnoreFiles::new(root);
        assert!(ig.is_ignored(Path::new("fixtures/a.env")));
        assert!(ig.is_ignored(Path::new("deep/fixtures/b.env")));
        assert!(ig.is_ignored(Path::new("a.snap")));
        assert!(ig.is_ignored(Path::new("tests/data.txt")));
        assert!(!ig.is_ignored(Path::new("data.txt")));
        assert!(!ig.is_ignored(Path::new("tests/keep/x.snap")));
        assert!(!ig.is_ignored(Path::new("src/main.rs")));
    }
}

//! Parallel directory walk with `ignore`: honours `.gitignore` (in git repositories), `.ignore`
//! and `.keysiftignore`,
//! includes hidden files (`.env` is where keys live), and never enters `.git/`.

use std::path::{Path, PathBuf};

use ignore::{WalkBuilder, WalkState};

use crate::diagnostic::{Diagnostic, Severity};

/// Per-repository ignore file for paths keysift should never scan.
pub const IGNORE_FILE: &str = ".keysiftignore";

#[derive(Debug, Clone, Default)]
pub struct WalkOptions {
    /// Scan files that ignore files exclude.
    pub no_ignore: bool,
    /// Do not honour the tree's own `.ignore` and `.keysiftignore` (`--audit`: nothing in
    /// the scanned tree may hide a file); `.gitignore` still applies to untracked files.
    pub no_ignore_files: bool,
    /// Worker threads; 0 picks one per core.
    pub threads: usize,
    /// How standard input (`-`) is named in reports; its extension counts as a file's would.
    pub stdin_name: Option<String>,
}

/// What the walk hands to a visitor; a file's path is borrowed from the walker (no copy per
/// file).
pub enum Entry<'p> {
    File(&'p Path),
    Problem(Diagnostic),
}

/// Walks `roots` on several threads; `make_visitor` builds one visitor per thread.
pub fn walk<'s, F>(roots: &[PathBuf], opts: &WalkOptions, make_visitor: F)
where
    F: Fn() -> Box<dyn for<'p> FnMut(Entry<'p>) + Send + 's> + Sync,
{
    let Some((first, rest)) = roots.split_first() else {
        return;
    };
    let mut b = WalkBuilder::new(first);
    for r in rest {
        b.add(r);
    }
    // `.gitignore` applies inside git repositories only, as in git and ripgrep: a tarball's
    // `.gitignore` (Debian's kernel source ignores `/*`) must not hide the whole tree.
    b.hidden(false)
        .threads(opts.threads)
        .filter_entry(|e| e.file_name() != ".git");
    if opts.no_ignore {
        b.standard_filters(false).hidden(false);
    } else if opts.no_ignore_files {
        b.ignore(false);
    } else {
        b.add_custom_ignore_filename(IGNORE_FILE);
        // The walk also reads `.ignore` files in every parent directory, up to `/`: one above
        // the repository (or above the scanned directory outside a repository), such as
        // another user's `/tmp/.ignore`, must not hide the tree. Then no parent's count.
        if roots.iter().any(|r| foreign_ignore_file(r).is_some()) {
            b.parents(false);
        }
    }
    b.build_parallel().run(|| {
        let mut visit = make_visitor();
        Box::new(move |result| {
            match result {
                Ok(entry) => {
                    if let Some(e) = classify(entry.path(), entry.depth(), entry.file_type()) {
                        visit(e);
                    }
                }
                Err(err) => visit(Entry::Problem(walk_error(&err))),
            }
            WalkState::Continue
        })
    });
}

/// Whether `path` is an ignore file this walk honours, for `--verbose` (a `.gitignore` is
/// listed even outside a repository, where it has no effect).
pub fn is_active_ignore_file(path: &Path, opts: &WalkOptions) -> bool {
    let Some(name) = path.file_name() else {
        return false;
    };
    if opts.no_ignore {
        return false;
    }
    if name == ".gitignore" {
        return true;
    }
    !opts.no_ignore_files && (name == ".ignore" || name == IGNORE_FILE)
}

/// An `.ignore` or `.keysiftignore` above `root`'s repository root (or above `root` outside a
/// repository), which the walk would otherwise apply.
pub fn foreign_ignore_file(root: &Path) -> Option<PathBuf> {
    let abs = std::fs::canonicalize(root).ok()?;
    let dir = if abs.is_dir() {
        abs.as_path()
    } else {
        abs.parent()?
    };
    let top = crate::config::repository_root(dir).unwrap_or(dir);
    top.ancestors()
        .skip(1)
        .flat_map(|d| [d.join(".ignore"), d.join(IGNORE_FILE)])
        .find(|f| f.is_file())
}

/// Turns a walked path into a file to scan, a problem to report, or nothing.
fn classify(path: &Path, depth: usize, ft: Option<std::fs::FileType>) -> Option<Entry<'_>> {
    let ft = ft?;
    if ft.is_file() {
        return Some(Entry::File(path));
    }
    if !ft.is_symlink() {
        return None;
    }
    // Links inside a tree are not followed (their targets are scanned where they live); a
    // link named on the command line is followed, as in ripgrep.
    match std::fs::metadata(path) {
        Ok(meta) if depth == 0 && meta.is_file() => Some(Entry::File(path)),
        Ok(_) => None,
        Err(e) => {
            let severity = if depth == 0 {
                Severity::Error
            } else {
                Severity::Warning
            };
            Some(Entry::Problem(Diagnostic::new(
                severity,
                path.display().to_string(),
                format!("broken symlink, skipped: {e}"),
            )))
        }
    }
}

fn walk_error(err: &ignore::Error) -> Diagnostic {
    let mut path = String::new();
    let mut e = err;
    loop {
        match e {
            ignore::Error::WithPath { path: p, err } => {
                path = p.display().to_string();
                e = err;
            }
            ignore::Error::WithDepth { err, .. } | ignore::Error::WithLineNumber { err, .. } => {
                e = err
            }
            _ => break,
        }
    }
    let severity = match e {
        // A bad line in an ignore file does not stop the scan of anything.
        ignore::Error::Glob { .. } => Severity::Warning,
        _ => Severity::Error,
    };
    Diagnostic::new(severity, path, e.to_string())
}

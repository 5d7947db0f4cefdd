//! The plain git pre-commit hook (for people who do not use the pre-commit framework) and the
//! advice printed when a commit is blocked.
//!
//! The hook lives where git looks for it: `git rev-parse --git-path hooks` honours
//! `core.hooksPath` and resolves a linked worktree to the common hooks directory. It only
//! calls `keysift scan --staged`, so upgrading keysift upgrades the hook.

use std::{
    collections::BTreeMap,
    fmt::Write as _,
    fs, io,
    path::{Path, PathBuf},
    process::Command,
};

use crate::finding::Finding;
use crate::source::index::GitError;

/// Line that identifies a hook written by keysift, so reinstalling and uninstalling never
/// touch someone else's hook.
pub const MARKER: &str = "# keysift-managed pre-commit hook";

/// Suffix of the copy kept when `--force` replaces a foreign hook; uninstall restores it.
const BACKUP_SUFFIX: &str = ".keysift-backup";

#[derive(Debug, thiserror::Error)]
pub enum HookError {
    #[error(transparent)]
    Git(#[from] GitError),
    #[error(
        "{path} already exists and was not written by keysift; rerun with --force to replace it (a copy is kept as pre-commit{BACKUP_SUFFIX}), or call `keysift scan --staged` from it"
    )]
    Exists { path: String },
    #[error("{path} was not written by keysift; left alone")]
    Foreign { path: String },
    #[error("no pre-commit hook at {path}")]
    Missing { path: String },
    #[error("{path}: {source}")]
    Io { path: String, source: io::Error },
}

fn io_err(path: &Path) -> impl FnOnce(io::Error) -> HookError + '_ {
    move |source| HookError::Io {
        path: path.display().to_string(),
        source,
    }
}

/// What `install` did.
#[derive(Debug, PartialEq, Eq)]
pub enum Installed {
    Created,
    /// A keysift hook was already there; it was rewritten.
    Updated,
    /// A foreign hook was replaced (with `--force`); the copy is at the given path.
    Replaced {
        backup: PathBuf,
    },
}

/// What `uninstall` did.
#[derive(Debug, PartialEq, Eq)]
pub enum Uninstalled {
    Removed,
    /// The hook that `--force` replaced was put back.
    Restored,
}

/// The absolute hooks directory of the repository around the current directory.
pub fn hooks_dir() -> Result<PathBuf, GitError> {
    let out = Command::new("git")
        .args(["rev-parse", "--path-format=absolute", "--git-path", "hooks"])
        .output()
        .map_err(GitError::Spawn)?;
    if !out.status.success() {
        let stderr = String::from_utf8_lossy(&out.stderr);
        if stderr.contains("not a git repository") {
            return Err(GitError::NotARepository);
        }
        return Err(GitError::Failed {
            command: "rev-parse --git-path hooks".into(),
            stderr: stderr.trim().to_string(),
        });
    }
    let text = String::from_utf8_lossy(&out.stdout);
    Ok(PathBuf::from(text.trim_end_matches(['\n', '\r'])))
}

/// The hook script: runs `exe` (or `keysift` from PATH when `exe` has moved) with
/// `scan --staged` and `extra_args`. A missing keysift blocks the commit with instructions
/// rather than letting it through unchecked.
pub fn script(exe: &Path, extra_args: &[String]) -> String {
    let mut args = String::new();
    for a in extra_args {
        args.push(' ');
        args.push_str(&sh_quote(a));
    }
    format!(
        "#!/bin/sh\n\
         {MARKER}: blocks commits that add secrets.\n\
         # Installed by `keysift install-hook`; remove it with `keysift uninstall-hook`.\n\
         # It scans the staged content (the index), not the working tree.\n\
         KEYSIFT={exe}\n\
         if [ ! -x \"$KEYSIFT\" ]; then\n\
         \x20 KEYSIFT=$(command -v keysift) || {{\n\
         \x20   echo 'keysift pre-commit hook: keysift is not installed; install it, or remove the hook with: keysift uninstall-hook' >&2\n\
         \x20   exit 1\n\
         \x20 }}\n\
         fi\n\
         exec \"$KEYSIFT\" scan --staged{args}\n",
        exe = sh_quote(&exe.to_string_lossy()),
    )
}

/// Quotes `s` for a POSIX shell: single quotes, with embedded ones as `'\''`.
fn sh_quote(s: &str) -> String {
    format!("'{}'", s.replace('\'', r"'\''"))
}

fn is_ours(path: &Path) -> bool {
    fs::read(path).is_ok_and(|b| b.windows(MARKER.len()).any(|w| w == MARKER.as_bytes()))
}

fn backup_path(hook: &Path) -> PathBuf {
    let mut name = hook.as_os_str().to_os_string();
    name.push(BACKUP_SUFFIX);
    PathBuf::from(name)
}

/// Writes the pre-commit hook into `dir`. An existing hook not written by keysift is kept
/// unless `force`, and then saved next to it.
pub fn install(
    dir: &Path,
    exe: &Path,
    extra_args: &[String],
    force: bool,
) -> Result<(PathBuf, Installed), HookError> {
    let hook = dir.join("pre-commit");
    fs::create_dir_all(dir).map_err(io_err(dir))?;
    let exists = fs::symlink_metadata(&hook).is_ok();
    let outcome = if !exists {
        Installed::Created
    } else if is_ours(&hook) {
        Installed::Updated
    } else if force {
        let backup = backup_path(&hook);
        fs::rename(&hook, &backup).map_err(io_err(&hook))?;
        Installed::Replaced { backup }
    } else {
        return Err(HookError::Exists {
            path: hook.display().to_string(),
        });
    };
    fs::write(&hook, script(exe, extra_args)).map_err(io_err(&hook))?;
    make_executable(&hook)?;
    Ok((hook, outcome))
}

/// Removes the keysift hook from `dir`, putting back a hook that `install --force` replaced.
pub fn uninstall(dir: &Path) -> Result<(PathBuf, Uninstalled), HookError> {
    let hook = dir.join("pre-commit");
    if fs::symlink_metadata(&hook).is_err() {
        return Err(HookError::Missing {
            path: hook.display().to_string(),
        });
    }
    if !is_ours(&hook) {
        return Err(HookError::Foreign {
            path: hook.display().to_string(),
        });
    }
    let backup = backup_path(&hook);
    if fs::symlink_metadata(&backup).is_ok() {
        fs::rename(&backup, &hook).map_err(io_err(&backup))?;
        return Ok((hook, Uninstalled::Restored));
    }
    fs::remove_file(&hook).map_err(io_err(&hook))?;
    Ok((hook, Uninstalled::Removed))
}

#[cfg(unix)]
fn make_executable(path: &Path) -> Result<(), HookError> {
    use std::os::unix::fs::PermissionsExt;
    fs::set_permissions(path, fs::Permissions::from_mode(0o755)).map_err(io_err(path))
}

#[cfg(not(unix))]
fn make_executable(_: &Path) -> Result<(), HookError> {
    Ok(())
}

/// What a committer should do about the findings that blocked the commit (the report lists
/// where they are): how to rotate each provider's key, and how to mark a false positive.
/// `baseline` is the file the hook uses, if any.
pub fn advice(findings: &[Finding], baseline: Option<&Path>) -> String {
    let mut providers: BTreeMap<&str, &str> = BTreeMap::new();
    for f in findings {
        providers.insert(&f.rule.provider.name, &f.rule.provider.revoke);
    }
    let n = findings.len();
    let mut s = String::new();
    let _ = writeln!(
        s,
        "keysift: the staged changes add {n} secret{} (listed above), so the commit is blocked.",
        if n == 1 { "" } else { "s" }
    );
    s.push_str(
        "  1. Remove it from the file, read it from an environment variable or a secret manager\n\
         \x20    instead, and `git add` the file again.\n\
         \x20 2. If the key was ever pushed, shared or pasted anywhere, rotate it:\n",
    );
    for (name, revoke) in &providers {
        let _ = writeln!(s, "       {name}: {revoke}");
    }
    let file = baseline
        .map(|p| p.display().to_string())
        .unwrap_or_else(|| crate::baseline::DEFAULT_FILE.to_string());
    let _ = writeln!(
        s,
        "  3. Not a secret (a test fixture, a documented example)? Put a comment containing\n\
         \x20    `keysift:allow` on its line, or accept all current findings into the baseline:\n\
         \x20      keysift baseline create -o {file}\n\
         \x20    at the repository root, then review and commit that file."
    );
    if baseline.is_none() {
        let _ = writeln!(s, "     The hook needs `--baseline {file}` to use it.");
    }
    s.push_str("  (`git commit --no-verify` skips the check and leaves the secret in history.)\n");
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoting_survives_single_quotes_and_spaces() {
        assert_eq!(sh_quote("a b"), "'a b'");
        assert_eq!(sh_quote("it's"), r"'it'\''s'");
    }

    #[test]
    fn script_runs_scan_staged_with_extra_args() {
        let s = script(
            Path::new("/opt/key sift/keysift"),
            &["--baseline".into(), "x y.json".into()],
        );
        assert!(s.starts_with("#!/bin/sh\n"));
        assert!(s.contains(MARKER));
        assert!(s.contains("KEYSIFT='/opt/key sift/keysift'\n"));
        assert!(s.ends_with("exec \"$KEYSIFT\" scan --staged '--baseline' 'x y.json'\n"));
    }
}

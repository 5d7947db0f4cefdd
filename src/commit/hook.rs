//! The plain git hooks (for people who do not use the pre-commit framework): pre-commit,
//! pre-push and commit-msg; and the advice printed when a commit or push is blocked.
//!
//! The hooks live where git looks for them: `git rev-parse --git-path hooks` honours
//! `core.hooksPath` and resolves a linked worktree to the common hooks directory. They only
//! call `keysift scan`, so upgrading keysift upgrades them.

use std::{
    collections::BTreeMap,
    fmt::Write as _,
    fs, io,
    path::{Path, PathBuf},
    process::Command,
};

use crate::finding::Finding;
use crate::source::index::GitError;

/// Start of the line that identifies a hook written by keysift (`# keysift-managed pre-commit
/// hook`), so reinstalling and uninstalling never touch someone else's hook.
pub const MARKER: &str = "# keysift-managed";

/// The git hooks keysift can install.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HookKind {
    /// Blocks commits whose staged changes add a secret.
    PreCommit,
    /// Blocks pushes whose commits hold a secret, however they were made (`--no-verify`).
    PrePush,
    /// Blocks commits whose message holds a secret.
    CommitMsg,
}

impl HookKind {
    /// The hook's file name, as git knows it.
    pub fn file(self) -> &'static str {
        match self {
            HookKind::PreCommit => "pre-commit",
            HookKind::PrePush => "pre-push",
            HookKind::CommitMsg => "commit-msg",
        }
    }

    fn marker(self) -> String {
        format!("{MARKER} {} hook", self.file())
    }

    /// What the hook blocks, for its comment.
    fn purpose(self) -> &'static str {
        match self {
            HookKind::PreCommit => {
                "blocks commits that add secrets.\n# It scans the staged content (the index), not the working tree."
            }
            HookKind::PrePush => {
                "blocks pushes whose commits hold secrets.\n# git passes the refs being pushed on standard input; $1 is the remote."
            }
            HookKind::CommitMsg => {
                "blocks commits whose message holds a secret.\n# $1 is the file holding the message."
            }
        }
    }

    /// The scan the hook runs, before the user's extra arguments.
    fn scan(self) -> &'static str {
        match self {
            HookKind::PreCommit => "scan --staged",
            HookKind::PrePush => "scan --pre-push --remote \"$1\"",
            HookKind::CommitMsg => "scan --commit-msg \"$1\"",
        }
    }
}

/// Suffix of the copy kept when `--force` replaces a foreign hook; uninstall restores it.
const BACKUP_SUFFIX: &str = ".keysift-backup";

#[derive(Debug, thiserror::Error)]
pub enum HookError {
    #[error(transparent)]
    Git(#[from] GitError),
    #[error(
        "not inside a git repository: run install-hook or uninstall-hook inside the repository whose hooks it should change"
    )]
    NotARepository,
    #[error("cannot run git ({0}); installing a hook needs git on PATH")]
    NoGit(#[source] io::Error),
    #[error(
        "{path} already exists and was not written by keysift; rerun with --force to replace it (a copy is kept as {file}{BACKUP_SUFFIX}), or call `keysift scan` from it"
    )]
    Exists { path: String, file: &'static str },
    #[error("{path} was not written by keysift; left alone")]
    Foreign { path: String },
    #[error("no {file} hook at {path}")]
    Missing { path: String, file: &'static str },
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
pub fn hooks_dir() -> Result<PathBuf, HookError> {
    let out = Command::new("git")
        .args(["rev-parse", "--path-format=absolute", "--git-path", "hooks"])
        .output()
        .map_err(HookError::NoGit)?;
    if !out.status.success() {
        let stderr = String::from_utf8_lossy(&out.stderr);
        if stderr.contains("not a git repository") {
            return Err(HookError::NotARepository);
        }
        return Err(HookError::Git(GitError::Failed {
            command: "rev-parse --git-path hooks".into(),
            stderr: stderr.trim().to_string(),
        }));
    }
    let text = String::from_utf8_lossy(&out.stdout);
    Ok(PathBuf::from(text.trim_end_matches(['\n', '\r'])))
}

/// The hook script: runs `exe` (or `keysift` from PATH when `exe` has moved) with the hook's
/// scan and `extra_args`. A missing keysift blocks the commit or push with instructions rather
/// than letting it through unchecked.
pub fn script(kind: HookKind, exe: &Path, extra_args: &[String]) -> String {
    let mut args = String::new();
    for a in extra_args {
        args.push(' ');
        args.push_str(&sh_quote(a));
    }
    let scan = kind.scan();
    format!(
        "#!/bin/sh\n\
         {marker}: {purpose}\n\
         # Installed by `keysift install-hook`; remove it with `keysift uninstall-hook`.\n\
         KEYSIFT={exe}\n\
         if [ ! -x \"$KEYSIFT\" ]; then\n\
         \x20 KEYSIFT=$(command -v keysift) || {{\n\
         \x20   echo 'keysift {file} hook: keysift is not installed; install it, or remove the hook with: keysift uninstall-hook' >&2\n\
         \x20   exit 1\n\
         \x20 }}\n\
         fi\n\
         exec \"$KEYSIFT\" {scan}{args}\n",
        marker = kind.marker(),
        purpose = kind.purpose(),
        file = kind.file(),
        exe = sh_quote(&exe.to_string_lossy()),
    )
}

/// Quotes `s` for a POSIX shell: single quotes, with embedded ones as `'\''`.
fn sh_quote(s: &str) -> String {
    format!("'{}'", s.replace('\'', r"'\''"))
}

fn is_ours(kind: HookKind, path: &Path) -> bool {
    let marker = kind.marker();
    fs::read(path).is_ok_and(|b| b.windows(marker.len()).any(|w| w == marker.as_bytes()))
}

fn backup_path(hook: &Path) -> PathBuf {
    let mut name = hook.as_os_str().to_os_string();
    name.push(BACKUP_SUFFIX);
    PathBuf::from(name)
}

/// Writes the hook into `dir`. An existing hook not written by keysift is kept unless
/// `force`, and then saved next to it.
pub fn install(
    kind: HookKind,
    dir: &Path,
    exe: &Path,
    extra_args: &[String],
    force: bool,
) -> Result<(PathBuf, Installed), HookError> {
    let hook = dir.join(kind.file());
    fs::create_dir_all(dir).map_err(io_err(dir))?;
    let exists = fs::symlink_metadata(&hook).is_ok();
    let outcome = if !exists {
        Installed::Created
    } else if is_ours(kind, &hook) {
        Installed::Updated
    } else if force {
        let backup = backup_path(&hook);
        fs::rename(&hook, &backup).map_err(io_err(&hook))?;
        Installed::Replaced { backup }
    } else {
        return Err(HookError::Exists {
            path: hook.display().to_string(),
            file: kind.file(),
        });
    };
    fs::write(&hook, script(kind, exe, extra_args)).map_err(io_err(&hook))?;
    make_executable(&hook)?;
    Ok((hook, outcome))
}

/// Removes the keysift hook from `dir`, putting back a hook that `install --force` replaced.
pub fn uninstall(kind: HookKind, dir: &Path) -> Result<(PathBuf, Uninstalled), HookError> {
    let hook = dir.join(kind.file());
    if fs::symlink_metadata(&hook).is_err() {
        return Err(HookError::Missing {
            path: hook.display().to_string(),
            file: kind.file(),
        });
    }
    if !is_ours(kind, &hook) {
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

/// What was scanned when a hook or check fails, so its message says what is true.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Blocked {
    /// `scan --staged`: what the staged changes add.
    Staged,
    /// `scan --staged` with paths that have no staged change (`pre-commit run --all-files`):
    /// the named files in full.
    FullFiles,
    /// `scan --pre-push`: the commits being pushed.
    Push,
    /// `scan --commit-msg`: the commit message.
    CommitMsg,
}

/// What a committer should do about the findings that blocked a commit or push (the report
/// lists where they are): how to take them out, how to rotate each provider's key, and how to
/// mark a false positive. `baseline` is the file the hook uses, if any.
pub fn advice(blocked: Blocked, findings: &[Finding], baseline: Option<&Path>) -> String {
    let mut providers: BTreeMap<&str, &str> = BTreeMap::new();
    for f in findings {
        providers.insert(&f.rule.provider.name, &f.rule.provider.revoke);
    }
    let n = findings.len();
    let secrets = format!("{n} secret{}", if n == 1 { "" } else { "s" });
    let (verdict, remove, hook) = match blocked {
        Blocked::Staged => (
            format!("the staged changes add {secrets} (listed above), so the commit is blocked"),
            "Remove it from the file, read it from an environment variable or a secret manager\n\
             \x20    instead, and `git add` the file again.",
            "install-hook",
        ),
        Blocked::FullFiles => (
            format!(
                "the files checked hold {secrets} (listed above; they have no staged changes, so \
                 they were scanned in full, as with `pre-commit run --all-files`), so the check fails"
            ),
            "Remove it from the file and read it from an environment variable or a secret\n\
             \x20    manager instead; it is already in a commit, so also rotate it.",
            "install-hook",
        ),
        Blocked::Push => (
            format!(
                "the commits being pushed hold {secrets} (listed above), so the push is blocked"
            ),
            "Take it out of the commit that added it, not only out of the latest one: `git commit\n\
             \x20    --amend` for the last commit, `git rebase -i` for an older one; then push again.",
            "install-hook --pre-push",
        ),
        Blocked::CommitMsg => (
            format!("the commit message holds {secrets} (listed above), so the commit is blocked"),
            "Write the message without it (git keeps your draft in .git/COMMIT_EDITMSG:\n\
             \x20    `git commit -e -F .git/COMMIT_EDITMSG` starts from it).",
            "install-hook --commit-msg",
        ),
    };
    let mut s = String::new();
    let _ = writeln!(s, "keysift: {verdict}.");
    let _ = writeln!(s, "  1. {remove}");
    s.push_str("  2. If the key was ever pushed, shared or pasted anywhere, rotate it:\n");
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
        let _ = writeln!(
            s,
            "     Then make the hook use it:\n\
             \x20      keysift {hook} -- --baseline {file}\n\
             \x20    (with the pre-commit framework: put `--baseline {file}` in the keysift hook's\n\
             \x20    `entry:`, before its `--`; `args:` land after the `--` as file names)."
        );
    }
    let skip = match blocked {
        Blocked::Push => "`git push --no-verify` skips the check and publishes the secret",
        _ => "`git commit --no-verify` skips the check and leaves the secret in history",
    };
    let _ = writeln!(s, "  ({skip}.)");
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
            HookKind::PreCommit,
            Path::new("/opt/key sift/keysift"),
            &["--baseline".into(), "x y.json".into()],
        );
        assert!(s.starts_with("#!/bin/sh\n"));
        assert!(s.contains("# keysift-managed pre-commit hook"));
        assert!(s.contains("KEYSIFT='/opt/key sift/keysift'\n"));
        assert!(s.ends_with("exec \"$KEYSIFT\" scan --staged '--baseline' 'x y.json'\n"));
        let p = script(HookKind::PrePush, Path::new("/k"), &[]);
        assert!(p.contains("# keysift-managed pre-push hook"));
        assert!(p.ends_with("exec \"$KEYSIFT\" scan --pre-push --remote \"$1\"\n"));
    }
}

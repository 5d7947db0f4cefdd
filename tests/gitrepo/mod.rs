//! Real git repositories in temp dirs for the hook tests, isolated from the user's git
//! configuration and from any hook environment the tests themselves run in. Needs `mod
//! common;` beside it.
#![allow(dead_code)]

use std::{
    path::{Path, PathBuf},
    process::{Command, Output},
};

use tempfile::TempDir;

/// A test-only rule for the `ghp_` + 36 alphanumerics shape of `common::github_token`, so
/// these tests do not depend on the built-in rule set. Its priority wins any overlap with a
/// built-in rule for the same shape, so messages name this provider.
pub const TEST_RULES: &str = r#"
[provider]
id = "testhub"
name = "TestHub"
revoke = "https://testhub.invalid/settings/tokens"

[[rule]]
id = "testhub-token"
name = "TestHub token"
description = "A test-only token shape."
regex = '''\b(ghp_[A-Za-z0-9]{36})\b'''
keywords = ["ghp_"]
entropy = 3.0
priority = 100
severity = "8.0"
precision = "high"
remediation = "Revoke it at https://testhub.invalid/settings/tokens and create a new one."
examples = ['ghp_{{alnum:36}}']
"#;

pub struct Repo {
    dir: TempDir,
    aux: TempDir,
}

/// Clears variables a parent git process (a hook running `cargo test`) may have set, and
/// the user's configuration, so each repository behaves like a fresh one.
pub fn isolate(c: &mut Command) -> &mut Command {
    super::common::clear_git_env(c)
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_AUTHOR_NAME", "Test")
        .env("GIT_AUTHOR_EMAIL", "test@example.invalid")
        .env("GIT_COMMITTER_NAME", "Test")
        .env("GIT_COMMITTER_EMAIL", "test@example.invalid")
        .env_remove("NO_COLOR")
}

impl Repo {
    /// `git init` in a fresh temp dir (no commits yet).
    pub fn new() -> Repo {
        let repo = Repo {
            dir: TempDir::new().expect("temp dir"),
            aux: TempDir::new().expect("temp dir"),
        };
        repo.git(&["init", "-q", "-b", "main"]);
        std::fs::write(repo.rules(), TEST_RULES).expect("write rules");
        repo
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    /// A scratch directory outside the repository.
    pub fn aux(&self) -> &Path {
        self.aux.path()
    }

    /// The test rule file (outside the repository, so it is never staged).
    pub fn rules(&self) -> PathBuf {
        self.aux.path().join("rules.toml")
    }

    pub fn git_cmd(&self, args: &[&str]) -> Command {
        let mut c = Command::new("git");
        isolate(&mut c).current_dir(self.path()).args(args);
        c
    }

    /// Runs git and returns its stdout; panics with stderr when it fails.
    pub fn git(&self, args: &[&str]) -> String {
        let out = self.git_cmd(args).output().expect("git runs");
        assert!(
            out.status.success(),
            "git {args:?} failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    /// Runs git and returns the whole output, for commands expected to fail.
    pub fn git_output(&self, args: &[&str]) -> Output {
        self.git_cmd(args).output().expect("git runs")
    }

    pub fn write(&self, rel: &str, contents: impl AsRef<[u8]>) {
        let p = self.path().join(rel);
        if let Some(parent) = p.parent() {
            std::fs::create_dir_all(parent).expect("create dirs");
        }
        std::fs::write(p, contents).expect("write file");
    }

    /// Writes `rel` and stages it.
    pub fn stage(&self, rel: &str, contents: impl AsRef<[u8]>) {
        self.write(rel, contents);
        self.git(&["add", "--", rel]);
    }

    /// Commits what is staged, bypassing hooks (to set up history that already has secrets).
    pub fn commit_unchecked(&self, msg: &str) {
        self.git(&["commit", "-q", "--no-verify", "-m", msg]);
    }

    /// `keysift ARGS` in the repository, with the test rules added.
    pub fn keysift(&self, args: &[&str]) -> Command {
        self.keysift_in(self.path(), args)
    }

    pub fn keysift_in(&self, dir: &Path, args: &[&str]) -> Command {
        let mut c = Command::new(assert_cmd::cargo::cargo_bin("keysift"));
        isolate(&mut c).current_dir(dir).args(args);
        if matches!(args.first(), Some(&"scan") | Some(&"baseline")) {
            c.arg("--rules").arg(self.rules());
        }
        c
    }

    /// `keysift scan --staged --format json ARGS`: (exit code, findings, stderr).
    pub fn scan_staged(&self, args: &[&str]) -> (i32, Vec<serde_json::Value>, String) {
        self.scan(&[&["--staged"], args].concat())
    }

    /// `keysift scan --format json ARGS`: (exit code, findings, stderr).
    pub fn scan(&self, args: &[&str]) -> (i32, Vec<serde_json::Value>, String) {
        let out = self
            .keysift(&[&["scan", "--format", "json"], args].concat())
            .output()
            .expect("keysift runs");
        let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
        let code = out.status.code().expect("exit code");
        let findings = if code == 2 {
            Vec::new()
        } else {
            let v: serde_json::Value = serde_json::from_slice(&out.stdout)
                .unwrap_or_else(|e| panic!("bad JSON ({e}); stderr: {stderr}"));
            v["findings"].as_array().expect("findings").clone()
        };
        (code, findings, stderr)
    }

    /// Installs the plain git hook, with the test rules.
    pub fn install_hook(&self) {
        let rules = self.rules();
        let out = self
            .keysift(&[
                "install-hook",
                "--",
                "--rules",
                rules.to_str().expect("utf-8"),
            ])
            .output()
            .expect("keysift runs");
        assert!(
            out.status.success(),
            "install-hook failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }

    /// Number of commits on HEAD (0 before the first).
    pub fn commit_count(&self) -> usize {
        let out = self.git_output(&["rev-list", "--count", "HEAD"]);
        if !out.status.success() {
            return 0;
        }
        String::from_utf8_lossy(&out.stdout)
            .trim()
            .parse()
            .expect("count")
    }
}

/// The `path` fields of `findings`, sorted.
pub fn paths(findings: &[serde_json::Value]) -> Vec<String> {
    let mut p: Vec<String> = findings
        .iter()
        .map(|f| f["path"].as_str().expect("path").to_string())
        .collect();
    p.sort();
    p
}

/// stdout and stderr of `out` (git shows a hook's output on stderr).
pub fn output_text(out: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

/// Asserts that keysift's hook refused a `git commit`: its report names each `(file, line)`
/// with the test rule, and says the commit is blocked. A failed commit alone proves nothing: a
/// hook that crashed, or a commit that failed before the hook ran, fails too.
pub fn assert_blocked(out: &Output, at: &[(&str, usize)]) {
    let text = output_text(out);
    assert!(!out.status.success(), "the commit went through:\n{text}");
    for (file, line) in at {
        let place = format!("{file}:{line}:");
        assert!(
            text.lines()
                .any(|l| l.starts_with(&place) && l.contains(": TestHub token [testhub-token]")),
            "no TestHub token reported at {place}\n{text}"
        );
    }
    assert!(
        text.contains("so the commit is blocked"),
        "no blocking message:\n{text}"
    );
}

/// Asserts that a `git commit` went through and keysift's hook scanned it: a commit made
/// without the hook running would pass too.
pub fn assert_passed(out: &Output) {
    let text = output_text(out);
    assert!(out.status.success(), "the commit failed:\n{text}");
    assert!(
        text.contains("keysift: no secrets found; scanned"),
        "the hook did not report its scan:\n{text}"
    );
}

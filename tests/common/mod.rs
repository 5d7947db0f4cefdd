//! Helpers shared by the integration tests: run the real binary in temp dirs, and build
//! key-shaped strings at run time so this repository never contains one.
#![allow(dead_code)]

use std::{path::Path, process::Output, sync::OnceLock};

use assert_cmd::Command;
use keysift::rules::expand_template;

/// The LLM providers of the project's table, by provider id.
pub const LLM_PROVIDERS: &[&str] = &[
    "openai",
    "anthropic",
    "google",
    "xai",
    "groq",
    "mistral",
    "cohere",
    "deepseek",
    "huggingface",
    "azure-openai",
    "anyscale",
];

/// The `keysift` binary built by cargo for this test run, with none of a parent git's
/// repository variables (see [`git_local_env`]).
pub fn keysift() -> Command {
    let mut c = Command::cargo_bin("keysift").expect("binary built");
    for v in git_local_env() {
        c.env_remove(v);
    }
    c.env_remove("NO_COLOR");
    c
}

/// The variables through which a parent git process points git at its own repository
/// (`GIT_DIR`, `GIT_INDEX_FILE`, `GIT_WORK_TREE`, `GIT_OBJECT_DIRECTORY`, ...), as git itself
/// lists them with `git rev-parse --local-env-vars`. A hook that runs `cargo test` sets some of
/// them; every git and keysift the tests start clears them all, so each works on the
/// repository its test made.
pub fn git_local_env() -> &'static [String] {
    static VARS: OnceLock<Vec<String>> = OnceLock::new();
    VARS.get_or_init(|| {
        let out = std::process::Command::new("git")
            .args(["rev-parse", "--local-env-vars"])
            .output()
            .expect("git runs");
        assert!(
            out.status.success(),
            "git rev-parse --local-env-vars failed"
        );
        let vars: Vec<String> = String::from_utf8_lossy(&out.stdout)
            .split_whitespace()
            .map(str::to_string)
            .collect();
        assert!(vars.iter().any(|v| v == "GIT_DIR"), "{vars:?}");
        vars
    })
}

/// Clears [`git_local_env`] from a command that runs git.
pub fn clear_git_env(c: &mut std::process::Command) -> &mut std::process::Command {
    for v in git_local_env() {
        c.env_remove(v);
    }
    c
}

/// A fake key from a rule-example template such as `"sk-ant-api03-{{b64url:93}}AA"`.
pub fn key(template: &str, seed: u64) -> String {
    expand_template(template, seed)
}

/// A GitHub classic token: the simplest distinctive shape for tests about plumbing.
pub fn github_token(seed: u64) -> String {
    key("ghp_{{base62-crc32:30}}", seed)
}

/// A Groq key: a distinctive prefix that no test rule shares.
pub fn groq_key(seed: u64) -> String {
    key("gsk_{{alnum:52}}", seed)
}

/// One assignment line holding [`github_token`]`(seed)`, newline included.
pub fn secret_line(seed: u64) -> String {
    format!("token = \"{}\"\n", github_token(seed))
}

/// The exit code, standard output and standard error of a finished run.
pub fn code_and_text(out: &Output) -> (i32, String, String) {
    (
        out.status.code().expect("exit code"),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// Fails with the command's standard error unless it exited successfully.
pub fn assert_success(out: &Output) {
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[cfg(unix)]
pub fn make_executable(p: &Path) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(p, std::fs::Permissions::from_mode(0o755)).expect("chmod");
}

#[cfg(unix)]
pub fn symlink(target: &Path, link: &Path) {
    std::os::unix::fs::symlink(target, link).expect("symlink");
}

pub fn write(dir: &Path, rel: &str, contents: impl AsRef<[u8]>) {
    let p = dir.join(rel);
    if let Some(parent) = p.parent() {
        std::fs::create_dir_all(parent).expect("create parent dirs");
    }
    std::fs::write(p, contents).expect("write test file");
}

/// Parses a JSON report.
pub fn json_findings(stdout: &[u8]) -> Vec<serde_json::Value> {
    let v: serde_json::Value = serde_json::from_slice(stdout).expect("valid JSON report");
    v["findings"].as_array().expect("findings array").clone()
}

/// Runs `keysift scan --format json ARGS` in `dir`, returning (exit code, findings, stderr).
pub fn scan_json(dir: &Path, args: &[&str]) -> (i32, Vec<serde_json::Value>, String) {
    let out = keysift()
        .current_dir(dir)
        .arg("scan")
        .args(["--format", "json"])
        .args(args)
        .output()
        .expect("keysift runs");
    let code = out.status.code().expect("exit code");
    (
        code,
        json_findings(&out.stdout),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// The rule ids of `findings`, sorted.
pub fn rule_ids(findings: &[serde_json::Value]) -> Vec<String> {
    let mut ids: Vec<String> = findings
        .iter()
        .map(|f| f["rule"].as_str().expect("rule id").to_string())
        .collect();
    ids.sort();
    ids
}

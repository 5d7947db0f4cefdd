//! Pushes: the pre-push hook scans exactly the commits being pushed (so `commit --no-verify`
//! is still caught), a server-side pre-receive hook reads a real push's quarantined objects,
//! and the commit-msg hook blocks a secret in a commit message. All through real git.

mod common;
mod gitrepo;

use common::{assert_success, github_token, make_executable, secret_line};
use gitrepo::Repo;

/// A bare repository in the repo's scratch dir, added as `origin`.
fn with_remote(repo: &Repo) -> std::path::PathBuf {
    let bare = repo.aux().join("remote.git");
    let out = std::process::Command::new("git")
        .args(["init", "-q", "--bare", "-b", "main"])
        .arg(&bare)
        .output()
        .unwrap();
    assert!(out.status.success());
    repo.git(&["remote", "add", "origin", bare.to_str().unwrap()]);
    bare
}

fn install(repo: &Repo, hook: &str) {
    let rules = repo.rules();
    let out = repo
        .keysift(&[
            "install-hook",
            hook,
            "--",
            "--rules",
            rules.to_str().unwrap(),
        ])
        .output()
        .unwrap();
    assert_success(&out);
}

/// `git push -q ARGS`: whether it went through, and what it printed (the hook's report goes
/// to git's standard output, its advice to standard error).
fn push(repo: &Repo, args: &[&str]) -> (bool, String) {
    let out = repo.git_output(&[&["push", "-q"], args].concat());
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    (out.status.success(), text)
}

#[test]
fn pre_push_hook_catches_a_commit_made_with_no_verify() {
    let repo = Repo::new();
    with_remote(&repo);
    repo.stage("README.md", "# app\n");
    repo.commit_unchecked("init");
    assert!(push(&repo, &["origin", "main"]).0);
    install(&repo, "--pre-push");

    repo.stage("config/app.env", secret_line(1));
    repo.commit_unchecked("add config");
    repo.stage("README.md", "# app\nmore\n");
    repo.commit_unchecked("docs");
    let (ok, stderr) = push(&repo, &["origin", "main"]);
    assert!(!ok, "the push went through: {stderr}");
    assert!(
        stderr.contains("config/app.env:1:10: TestHub token"),
        "{stderr}"
    );
    assert!(
        stderr.contains("the commits being pushed hold 1 secret"),
        "{stderr}"
    );
    assert!(stderr.contains("push is blocked"), "{stderr}");
    assert!(
        !stderr.contains(&github_token(1)),
        "the hook leaks the secret"
    );

    // Removing it in a later commit is not enough: the commit that added it is still pushed.
    repo.stage("config/app.env", "token = from_env\n");
    repo.commit_unchecked("remove");
    assert!(!push(&repo, &["origin", "main"]).0);

    // Rewritten out of history, the push goes through.
    repo.git(&["reset", "-q", "--hard", "origin/main"]);
    repo.stage("config/app.env", "token = from_env\n");
    repo.commit_unchecked("config from env");
    let (ok, stderr) = push(&repo, &["origin", "main"]);
    assert!(ok, "{stderr}");
}

#[test]
fn new_branches_are_scanned_against_what_the_remote_has() {
    let repo = Repo::new();
    with_remote(&repo);
    // An old secret the remote already has is not the new branch's fault.
    repo.stage("old.env", secret_line(2));
    repo.commit_unchecked("old");
    assert!(push(&repo, &["origin", "main"]).0);
    install(&repo, "--pre-push");

    repo.git(&["checkout", "-q", "-b", "topic"]);
    repo.stage("notes.md", "clean\n");
    repo.commit_unchecked("notes");
    let (ok, stderr) = push(&repo, &["origin", "topic"]);
    assert!(ok, "{stderr}");

    repo.git(&["checkout", "-q", "-b", "leak"]);
    repo.stage("new.env", secret_line(3));
    repo.commit_unchecked("leak");
    let (ok, stderr) = push(&repo, &["origin", "leak"]);
    assert!(!ok);
    assert!(stderr.contains("new.env:1:10"), "{stderr}");
    assert!(!stderr.contains("old.env"), "{stderr}");

    // Deleting a branch sends no commits.
    let (ok, stderr) = push(&repo, &["origin", "--delete", "topic"]);
    assert!(ok, "{stderr}");
}

#[test]
fn malformed_pre_push_lines_are_diagnosed() {
    let repo = Repo::new();
    repo.stage("a.txt", "clean\n");
    repo.commit_unchecked("a");
    let head = repo.git(&["rev-parse", "HEAD"]).trim().to_string();
    let zero = "0".repeat(40);
    let input = format!(
        "refs/heads/main zzzz refs/heads/main {zero}\nrefs/heads/main {head} refs/heads/main {zero}\n"
    );
    let out = assert_cmd::Command::from_std(repo.keysift(&["scan", "--pre-push"]))
        .write_stdin(input)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("<hook input line 1>: `zzzz` is not a commit id"),
        "{stderr}"
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("from 1 commit"),
        "the good line is scanned: {stdout}"
    );
    assert!(!stdout.contains("no secrets found"), "{stdout}");
}

/// The server-side recipe from the README, on a real bare repository and a real push: git
/// keeps the pushed objects in a quarantine directory until the hook accepts them.
#[test]
fn pre_receive_hook_reads_the_quarantined_push() {
    let repo = Repo::new();
    let bare = with_remote(&repo);
    let hook = bare.join("hooks/pre-receive");
    std::fs::write(
        &hook,
        format!(
            "#!/bin/sh\nexec '{}' scan --pre-receive --rules '{}'\n",
            assert_cmd::cargo::cargo_bin("keysift").display(),
            repo.rules().display()
        ),
    )
    .unwrap();
    make_executable(&hook);
    repo.stage("README.md", "# app\n");
    repo.commit_unchecked("init");
    let (ok, stderr) = push(&repo, &["origin", "main"]);
    assert!(ok, "{stderr}");

    repo.stage("deploy/.env", secret_line(4));
    repo.commit_unchecked("deploy");
    let (ok, stderr) = push(&repo, &["origin", "main"]);
    assert!(!ok, "the server accepted a secret: {stderr}");
    assert!(
        stderr.contains("deploy/.env:1:10: TestHub token"),
        "{stderr}"
    );
    assert!(stderr.contains("pre-receive hook declined"), "{stderr}");
    // The server's branch did not move.
    let server = std::process::Command::new("git")
        .arg("--git-dir")
        .arg(&bare)
        .args(["log", "--format=%s", "main"])
        .output()
        .unwrap();
    assert_eq!(String::from_utf8_lossy(&server.stdout), "init\n");
}

#[test]
fn commit_msg_hook_blocks_a_secret_in_the_message() {
    let repo = Repo::new();
    install(&repo, "--commit-msg");
    repo.stage("a.txt", "clean\n");
    let msg = format!("use token {} for now", github_token(5));
    let out = repo.git_output(&["commit", "-q", "-m", &msg]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success(), "{stderr}");
    assert!(
        stderr.contains("<commit message>:1:11: TestHub token"),
        "{stderr}"
    );
    assert!(
        stderr.contains("the commit message holds 1 secret"),
        "{stderr}"
    );
    assert!(!stderr.contains(&github_token(5)));
    let ok = repo.git_output(&["commit", "-q", "-m", "a clean message"]);
    assert!(ok.status.success());
}

#[test]
fn install_and_uninstall_each_hook() {
    let repo = Repo::new();
    install(&repo, "--pre-push");
    install(&repo, "--commit-msg");
    let hooks = repo.path().join(".git/hooks");
    let script = std::fs::read_to_string(hooks.join("pre-push")).unwrap();
    assert!(
        script.contains("scan --pre-push --remote \"$1\""),
        "{script}"
    );
    assert!(!hooks.join("pre-commit").exists());
    let out = repo
        .keysift(&["uninstall-hook", "--pre-push", "--commit-msg"])
        .output()
        .unwrap();
    assert!(out.status.success());
    assert!(!hooks.join("pre-push").exists() && !hooks.join("commit-msg").exists());
}

#[test]
fn history_scans_report_secrets_in_commit_messages_at_their_commit() {
    let repo = Repo::new();
    repo.stage("a.txt", "clean\n");
    repo.commit_unchecked("init");
    repo.stage("b.txt", "clean too\n");
    let msg = format!("wire up deploys\n\nused {} to test it", github_token(6));
    repo.commit_unchecked(&msg);
    let id = repo.git(&["rev-parse", "HEAD"]).trim().to_string();
    let (code, findings, stderr) = repo.scan(&["--git", "."]);
    assert_eq!(code, 1, "{stderr}");
    assert_eq!(findings.len(), 1, "{findings:?}");
    let f = &findings[0];
    assert_eq!(f["path"], "<commit message>");
    assert_eq!(
        (f["line"].as_u64(), f["column"].as_u64()),
        (Some(3), Some(6))
    );
    assert_eq!(f["commit"]["id"], id.as_str());
    assert!(!serde_json::to_string(f).unwrap().contains(&github_token(6)));

    // And the pre-push hook blocks such a commit.
    with_remote(&repo);
    install(&repo, "--pre-push");
    let (ok, out) = push(&repo, &["origin", "main"]);
    assert!(!ok);
    assert!(out.contains("<commit message>:3:6: TestHub token"), "{out}");
}

#[test]
fn history_scans_report_secrets_in_annotated_tag_messages() {
    let repo = Repo::new();
    repo.stage("a.txt", "clean\n");
    repo.commit_unchecked("init");
    let msg = format!("release 1.0\n\ndeploy token {} for now", github_token(7));
    repo.git(&["tag", "-a", "v1.0", "-m", &msg]);
    repo.git(&["tag", "v1.0-light"]);
    let (code, findings, stderr) = repo.scan(&["--git", "."]);
    assert_eq!(code, 1, "{stderr}");
    assert_eq!(findings.len(), 1, "{findings:?}");
    let f = &findings[0];
    assert_eq!(f["path"], "<tag message: v1.0>");
    assert_eq!(
        (f["line"].as_u64(), f["column"].as_u64()),
        (Some(3), Some(14))
    );
    assert!(!serde_json::to_string(f).unwrap().contains(&github_token(7)));
}

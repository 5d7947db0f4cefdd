//! `keysift install-hook` / `uninstall-hook`: where the hook goes (`.git/hooks`,
//! `core.hooksPath`, the common directory of a linked worktree), never clobbering a foreign
//! hook without `--force`, and restoring it on uninstall.

mod common;
mod gitrepo;

use common::{assert_success, code_and_text, github_token};
use gitrepo::{Repo, assert_blocked, assert_passed};

fn run(repo: &Repo, args: &[&str]) -> (i32, String, String) {
    code_and_text(&repo.keysift(args).output().unwrap())
}

fn leak(seed: u64) -> String {
    format!("key = {}\n", github_token(seed))
}

#[cfg(unix)]
#[test]
fn install_writes_an_executable_hook_and_reinstall_updates_it() {
    use std::os::unix::fs::PermissionsExt;
    let repo = Repo::new();
    let (code, stdout, _) = run(&repo, &["install-hook"]);
    assert_eq!(code, 0);
    let hook = repo.path().join(".git/hooks/pre-commit");
    assert!(stdout.contains("installed"), "{stdout}");
    let mode = std::fs::metadata(&hook).unwrap().permissions().mode();
    assert_eq!(mode & 0o111, 0o111);
    let text = std::fs::read_to_string(&hook).unwrap();
    assert!(text.contains("scan --staged"), "{text}");
    let (code, stdout, _) = run(&repo, &["install-hook"]);
    assert_eq!(code, 0);
    assert!(stdout.contains("updated"), "{stdout}");
}

#[test]
fn existing_hook_is_kept_unless_forced_and_restored_on_uninstall() {
    let repo = Repo::new();
    let original = "#!/bin/sh\necho mine\n";
    repo.write(".git/hooks/pre-commit", original);
    let hook = repo.path().join(".git/hooks/pre-commit");
    let (code, _, stderr) = run(&repo, &["install-hook"]);
    assert_eq!(code, 2);
    assert!(stderr.contains("--force"), "{stderr}");
    assert_eq!(std::fs::read_to_string(&hook).unwrap(), original);
    // Uninstall leaves a foreign hook alone.
    let (code, _, stderr) = run(&repo, &["uninstall-hook"]);
    assert_eq!(code, 2);
    assert!(stderr.contains("not written by keysift"), "{stderr}");
    assert_eq!(std::fs::read_to_string(&hook).unwrap(), original);

    let (code, stdout, _) = run(&repo, &["install-hook", "--force"]);
    assert_eq!(code, 0);
    assert!(stdout.contains("pre-commit.keysift-backup"), "{stdout}");
    assert!(std::fs::read_to_string(&hook).unwrap().contains("keysift"));
    let (code, _, _) = run(&repo, &["uninstall-hook"]);
    assert_eq!(code, 0);
    assert_eq!(std::fs::read_to_string(&hook).unwrap(), original);
}

#[test]
fn uninstall_removes_the_hook_and_then_reports_nothing_to_remove() {
    let repo = Repo::new();
    assert_eq!(run(&repo, &["install-hook"]).0, 0);
    let (code, stdout, _) = run(&repo, &["uninstall-hook"]);
    assert_eq!(code, 0, "{stdout}");
    assert!(!repo.path().join(".git/hooks/pre-commit").exists());
    let (code, _, stderr) = run(&repo, &["uninstall-hook"]);
    assert_eq!(code, 2);
    assert!(stderr.contains("no pre-commit hook"), "{stderr}");
}

#[test]
fn core_hooks_path_is_honoured() {
    let repo = Repo::new();
    repo.git(&["config", "core.hooksPath", "githooks"]);
    std::fs::create_dir_all(repo.path().join("sub")).unwrap();
    let rules = repo.rules();
    let out = repo
        .keysift_in(
            &repo.path().join("sub"),
            &["install-hook", "--", "--rules", rules.to_str().unwrap()],
        )
        .output()
        .unwrap();
    assert!(out.status.success());
    assert!(repo.path().join("githooks/pre-commit").exists());
    assert!(!repo.path().join(".git/hooks/pre-commit").exists());
    repo.stage("a.txt", leak(1));
    assert_blocked(
        &repo.git_output(&["commit", "-q", "-m", "x"]),
        &[("a.txt", 1)],
    );
    assert_eq!(repo.commit_count(), 0);
}

#[test]
fn hook_installed_from_a_linked_worktree_guards_it() {
    let repo = Repo::new();
    repo.stage("README", "hi\n");
    repo.commit_unchecked("init");
    let wt = repo.aux().join("wt");
    repo.git(&["worktree", "add", "-q", wt.to_str().unwrap()]);
    let rules = repo.rules();
    let out = repo
        .keysift_in(
            &wt,
            &["install-hook", "--", "--rules", rules.to_str().unwrap()],
        )
        .output()
        .unwrap();
    assert_success(&out);
    // Hooks live in the common git directory, shared by all worktrees.
    assert!(repo.path().join(".git/hooks/pre-commit").exists());
    std::fs::write(wt.join("leak.txt"), leak(2)).unwrap();
    let git = |args: &[&str]| {
        gitrepo::isolate(&mut std::process::Command::new("git"))
            .current_dir(&wt)
            .args(args)
            .output()
            .unwrap()
    };
    assert!(git(&["add", "leak.txt"]).status.success());
    assert_blocked(&git(&["commit", "-q", "-m", "leak"]), &[("leak.txt", 1)]);
    std::fs::write(wt.join("leak.txt"), "fine\n").unwrap();
    assert!(git(&["add", "leak.txt"]).status.success());
    assert_passed(&git(&["commit", "-q", "-m", "ok"]));
}

#[test]
fn install_outside_a_repository_is_an_error() {
    let repo = Repo::new();
    let out = repo
        .keysift_in(repo.aux(), &["install-hook"])
        .env("GIT_CEILING_DIRECTORIES", repo.aux().parent().unwrap())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("not inside a git repository"));
}

#[cfg(unix)]
#[test]
fn hook_falls_back_to_keysift_on_path_and_blocks_when_it_is_missing() {
    let repo = Repo::new();
    assert_eq!(run(&repo, &["install-hook"]).0, 0);
    let hook = repo.path().join(".git/hooks/pre-commit");
    let text = std::fs::read_to_string(&hook).unwrap();
    let moved = text.replace(
        &format!(
            "KEYSIFT='{}'",
            assert_cmd::cargo::cargo_bin("keysift").display()
        ),
        "KEYSIFT='/nonexistent/keysift'",
    );
    assert_ne!(moved, text);
    std::fs::write(&hook, moved).unwrap();
    repo.stage("a.txt", "clean\n");
    // A PATH with git and the shell's tools but no keysift.
    let bin = repo.aux().join("bin");
    std::fs::create_dir(&bin).unwrap();
    let git = std::env::split_paths(&std::env::var_os("PATH").unwrap())
        .map(|d| d.join("git"))
        .find(|p| p.is_file())
        .expect("git on PATH");
    std::os::unix::fs::symlink(git, bin.join("git")).unwrap();
    let path = std::env::join_paths([bin.as_path(), "/bin".as_ref()]).unwrap();
    let out = repo
        .git_cmd(&["commit", "-q", "-m", "x"])
        .env("PATH", path)
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("keysift is not installed"));
}

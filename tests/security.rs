//! The scanned tree and its file names are hostile (issue 10): file names must never become
//! options, the report must never be written into `.git/` or through a planted symlink, a
//! closed stdout must not turn findings into a pass, and each file is reported once under one
//! path.

mod common;
mod gitrepo;

use std::path::Path;

use common::*;
use tempfile::TempDir;

/// `keysift scan . | head -1`: the reader is gone before keysift writes. The exit status must
/// still say "findings" (1), not 0.
#[test]
fn closed_stdout_keeps_the_findings_exit_status() {
    let dir = TempDir::new().unwrap();
    write(dir.path(), "a.env", format!("TOKEN={}\n", github_token(41)));
    let (reader, writer) = std::io::pipe().unwrap();
    drop(reader);
    let out = std::process::Command::new(assert_cmd::cargo::cargo_bin("keysift"))
        .current_dir(dir.path())
        .args(["scan", "."])
        .stdout(writer)
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        !String::from_utf8_lossy(&out.stderr).contains("error"),
        "a broken pipe ends quietly: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// A clean run into a closed pipe stays 0.
#[test]
fn closed_stdout_on_a_clean_tree_exits_zero() {
    let dir = TempDir::new().unwrap();
    write(dir.path(), "a.txt", "nothing\n");
    let (reader, writer) = std::io::pipe().unwrap();
    drop(reader);
    let out = std::process::Command::new(assert_cmd::cargo::cargo_bin("keysift"))
        .current_dir(dir.path())
        .args(["scan", "."])
        .stdout(writer)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
}

#[cfg(unix)]
fn symlink(target: &Path, link: &Path) {
    std::os::unix::fs::symlink(target, link).unwrap();
}

/// A checkout can hold `.keysift-baseline.json` as a symlink to any file of the user's;
/// `baseline create` must replace the link, never write through it.
#[cfg(unix)]
#[test]
fn baseline_create_replaces_a_symlink_instead_of_writing_through_it() {
    let dir = TempDir::new().unwrap();
    let outside = TempDir::new().unwrap();
    let victim = outside.path().join("victim.txt");
    std::fs::write(&victim, "precious\n").unwrap();
    write(dir.path(), "a.env", format!("TOKEN={}\n", github_token(42)));
    symlink(&victim, &dir.path().join(".keysift-baseline.json"));
    keysift()
        .current_dir(dir.path())
        .args(["baseline", "create"])
        .assert()
        .code(0);
    assert_eq!(std::fs::read_to_string(&victim).unwrap(), "precious\n");
    let written = dir.path().join(".keysift-baseline.json");
    assert!(!written.symlink_metadata().unwrap().is_symlink());
    let text = std::fs::read_to_string(&written).unwrap();
    assert!(text.contains("\"version\": 1"), "{text}");
}

/// The same for `scan -o`: a planted `report.json` link does not redirect the report.
#[cfg(unix)]
#[test]
fn report_output_replaces_a_symlink_instead_of_writing_through_it() {
    let dir = TempDir::new().unwrap();
    let outside = TempDir::new().unwrap();
    let victim = outside.path().join("victim.txt");
    std::fs::write(&victim, "precious\n").unwrap();
    write(dir.path(), "a.env", format!("TOKEN={}\n", github_token(43)));
    symlink(&victim, &dir.path().join("report.json"));
    keysift()
        .current_dir(dir.path())
        .args(["scan", "-f", "json", "-o", "report.json", "a.env"])
        .assert()
        .code(1);
    assert_eq!(std::fs::read_to_string(&victim).unwrap(), "precious\n");
    let report = std::fs::read(dir.path().join("report.json")).unwrap();
    assert_eq!(json_findings(&report).len(), 1);
}

/// `-o /dev/stdout` (a link to a pipe, not a regular file) still works.
#[cfg(unix)]
#[test]
fn report_output_to_dev_stdout_still_works() {
    let dir = TempDir::new().unwrap();
    write(dir.path(), "a.env", format!("TOKEN={}\n", github_token(44)));
    let out = keysift()
        .current_dir(dir.path())
        .args(["scan", "-f", "json", "-o", "/dev/stdout", "a.env"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(json_findings(&out.stdout).len(), 1);
}

/// `-o` into any `.git` directory (hooks live there) is refused, and so is overwriting an
/// existing executable; nothing is written.
#[cfg(unix)]
#[test]
fn report_output_into_dot_git_or_over_an_executable_is_refused() {
    use std::os::unix::fs::PermissionsExt;
    let repo = gitrepo::Repo::new();
    let root = repo.path();
    write(root, "a.env", format!("TOKEN={}\n", github_token(45)));
    let hook = root.join(".git/hooks/pre-commit");
    symlink(Path::new(".git/hooks"), &root.join("hooks-link"));
    for target in [
        ".git/hooks/pre-commit",
        ".git/config-report",
        "./sub/../.git/x",
        "hooks-link/pre-commit",
        ".GIT/hooks/pre-commit",
    ] {
        let out = keysift()
            .current_dir(root)
            .args(["scan", "-o", target, "a.env"])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{target}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains(".git"), "{target}: {err}");
    }
    assert!(!hook.exists(), "a hook was written");
    assert!(!root.join(".git/config-report").exists());

    let script = root.join("build.sh");
    std::fs::write(&script, "#!/bin/sh\necho hi\n").unwrap();
    std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o755)).unwrap();
    let out = keysift()
        .current_dir(root)
        .args(["scan", "-o", "build.sh", "a.env"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("executable"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        std::fs::read_to_string(&script).unwrap(),
        "#!/bin/sh\necho hi\n"
    );
}

/// File names that look like options, passed after `--` as the pre-commit framework does,
/// are paths: none of them changes what keysift does.
#[test]
fn hostile_file_names_after_double_dash_are_paths() {
    let repo = gitrepo::Repo::new();
    let root = repo.path();
    let tok = github_token(46);
    let names = [
        "--output=.git/hooks/pre-commit",
        "--show-secrets",
        "--config=/dev/null",
        "--verify",
        "-o",
        "--format=json",
    ];
    for n in names {
        write(root, n, format!("TOKEN={tok}\n"));
    }
    repo.git(&["add", "--", "."]);
    let mut args = vec!["scan", "--staged", "--"];
    args.extend(names);
    let out = keysift().current_dir(root).args(&args).output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{stdout}");
    assert!(!root.join(".git/hooks/pre-commit").exists());
    assert!(
        !stdout.contains(&tok),
        "a file name turned on --show-secrets"
    );
    assert!(
        !stdout.trim_start().starts_with('{'),
        "a file name chose JSON"
    );
    for n in names {
        assert!(
            stdout.contains(&format!("{n}:1:")),
            "{n} not scanned: {stdout}"
        );
    }
}

/// Every entry of `.pre-commit-hooks.yaml` ends the options before the file names the
/// framework appends.
#[test]
fn pre_commit_hook_entries_end_options_with_double_dash() {
    let text = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join(".pre-commit-hooks.yaml"),
    )
    .unwrap();
    let entries: Vec<&str> = text
        .lines()
        .filter_map(|l| l.trim().strip_prefix("entry:"))
        .map(str::trim)
        .collect();
    assert!(!entries.is_empty());
    for e in entries {
        assert!(e.ends_with(" --"), "entry `{e}` must end with `--`");
    }
}

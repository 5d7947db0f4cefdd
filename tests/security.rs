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

fn scan_text(dir: &Path, args: &[&str]) -> (i32, String, String) {
    let out = keysift()
        .current_dir(dir)
        .arg("scan")
        .args(["--color", "never"])
        .args(args)
        .output()
        .unwrap();
    code_and_text(&out)
}

/// `regexes = [""]` matched inside every secret and silenced every finding.
#[test]
fn allowlist_patterns_that_match_everything_are_an_error() {
    let dir = TempDir::new().unwrap();
    write(dir.path(), "a.env", format!("TOKEN={}\n", github_token(50)));
    for bad in ["regexes = [\"\"]", "paths = ['.*']"] {
        write(dir.path(), ".keysift.toml", format!("[allowlist]\n{bad}\n"));
        let (code, _, err) = scan_text(dir.path(), &["--no-ignore", "--no-inline-allow", "."]);
        assert_eq!(code, 2, "{bad}: {err}");
        assert!(
            err.contains(".keysift.toml") && err.contains("line 2"),
            "{err}"
        );
    }
}

/// `--audit` trusts nothing in the tree: its config, `.keysiftignore`, `.ignore`, inline
/// allow comments. Without it, the summary and `-v` say what silenced what.
#[test]
fn audit_ignores_everything_the_tree_says_about_itself() {
    let repo = gitrepo::Repo::new();
    let root = repo.path();
    write(
        root,
        ".keysift.toml",
        "[allowlist]\npaths = ['^allowed/']\n",
    );
    write(root, ".keysiftignore", "kignored/\n");
    write(root, ".ignore", "ignored/\n");
    write(root, ".gitignore", "untracked-build/\n");
    write(root, "allowed/a.env", format!("T={}\n", github_token(51)));
    write(root, "kignored/b.env", format!("T={}\n", github_token(52)));
    write(root, "ignored/c.env", format!("T={}\n", github_token(53)));
    write(
        root,
        "d.env",
        format!("T={} # keysift:allow\n", github_token(54)),
    );
    write(
        root,
        "untracked-build/e.env",
        format!("T={}\n", github_token(55)),
    );

    let (code, out, err) = scan_text(root, &["-v", "."]);
    assert_eq!(code, 0, "{out}{err}");
    assert!(
        out.contains("suppressed 1 by allowlist, 1 by inline allow"),
        "{out}"
    );
    assert!(!out.contains("no secrets found"), "{out}");
    assert!(err.contains("keysift: config: "), "{err}");
    assert!(err.contains(".keysift.toml"), "{err}");
    for f in [".keysiftignore", ".ignore", ".gitignore"] {
        assert!(
            err.contains(&format!("keysift: ignore file: {f}\n")),
            "{f}: {err}"
        );
    }

    let (code, out, err) = scan_text(root, &["--audit", "-v", "."]);
    assert_eq!(code, 1, "{out}{err}");
    for f in ["allowed/a.env", "kignored/b.env", "ignored/c.env", "d.env"] {
        assert!(out.contains(&format!("{f}:1:")), "{f}: {out}");
    }
    // .gitignore still keeps untracked build output out, unless --no-ignore.
    assert!(!out.contains("untracked-build/e.env"), "{out}");
    assert!(!err.contains("keysift: config:"), "{err}");

    let (_, out, _) = scan_text(root, &["--no-config", "."]);
    assert!(out.contains("allowed/a.env:1:"), "{out}");
    assert!(!out.contains("kignored/b.env"), "{out}");

    write(root, "base.json", "{\"version\":1,\"entries\":[]}\n");
    let (code, _, err) = scan_text(root, &["--audit", "--baseline", "base.json", "."]);
    assert_eq!(code, 2, "{err}");
    let (code, _, err) = scan_text(root, &["--audit", "--config", ".keysift.toml", "."]);
    assert_eq!(code, 2, "{err}");
}

/// Outside a repository the config search stays in the scanned directory: a config or an
/// `.ignore` in a parent (another user's `/tmp`) silences nothing below it.
#[test]
fn configs_and_ignore_files_above_the_scanned_directory_do_not_apply() {
    let parent = TempDir::new().unwrap();
    write(
        parent.path(),
        ".keysift.toml",
        "[allowlist]\nrules = ['github-pat']\n",
    );
    write(parent.path(), ".ignore", "*.env\n");
    let sub = parent.path().join("project");
    write(&sub, "a.env", format!("T={}\n", github_token(56)));
    let (code, out, err) = scan_text(&sub, &["."]);
    assert_eq!(code, 1, "{out}{err}");
    assert!(out.contains("a.env:1:"), "{out}");
}

/// With several paths, each uses its own config, not the first path's for all.
#[test]
fn each_path_uses_its_own_config() {
    let dir = TempDir::new().unwrap();
    write(
        dir.path(),
        "a/.keysift.toml",
        "[allowlist]\nrules = ['github-pat']\n",
    );
    write(dir.path(), "a/x.env", format!("T={}\n", github_token(57)));
    write(dir.path(), "b/y.env", format!("T={}\n", github_token(58)));
    let (code, out, err) = scan_text(dir.path(), &["a", "b"]);
    assert_eq!(code, 1, "{out}{err}");
    assert!(out.contains("b/y.env:1:"), "{out}");
    assert!(!out.contains("a/x.env"), "{out}");
    let (_, out, _) = scan_text(dir.path(), &["b", "a"]);
    assert!(out.contains("b/y.env:1:"), "{out}");
    assert!(!out.contains("a/x.env"), "{out}");
}

/// One file reached through several arguments is scanned once, under one path, with one
/// fingerprint, however the arguments spell it.
#[test]
fn a_file_reached_twice_is_reported_once_under_one_path() {
    let dir = TempDir::new().unwrap();
    write(dir.path(), "a/b/x.env", format!("T={}\n", github_token(59)));
    write(dir.path(), "a/y.env", format!("T={}\n", github_token(60)));
    let (code, expected, _) = scan_json(dir.path(), &["a"]);
    assert_eq!((code, expected.len()), (1, 2));
    let key = |f: &serde_json::Value| (f["path"].to_string(), f["fingerprint"].to_string());
    let expected: Vec<_> = expected.iter().map(key).collect();
    for args in [
        &["a", "a/b"][..],
        &["a", "./a/b", "a/../a"],
        &["./a/b", "a"],
        &[".", "a", "a/b/x.env"],
        &["a/b/../../a/", "./a/y.env", "a/b/x.env"],
    ] {
        let (code, findings, err) = scan_json(dir.path(), args);
        assert_eq!(code, 1, "{args:?}: {err}");
        let got: Vec<_> = findings.iter().map(key).collect();
        assert_eq!(got, expected, "{args:?}");
    }
    let (_, one, _) = scan_json(dir.path(), &["./a/b/x.env"]);
    let (_, other, _) = scan_json(dir.path(), &["a/b/../b/x.env"]);
    assert_eq!(key(&one[0]), expected[0]);
    assert_eq!(key(&other[0]), expected[0]);
}

/// Commit `.env` with a key, then list it in `.gitignore` (the usual clean-up): the key is in
/// every clone, so the scan still reads the file. Untracked ignored files stay skipped, and
/// tracked files that `.keysiftignore` excludes are counted in the summary.
#[test]
fn tracked_files_that_gitignore_lists_are_scanned() {
    let repo = gitrepo::Repo::new();
    let root = repo.path();
    repo.stage(".env", format!("GITHUB_TOKEN={}\n", github_token(61)));
    repo.stage(
        "sub/deep/.env",
        format!("GITHUB_TOKEN={}\n", github_token(62)),
    );
    repo.stage("fixtures/k.env", format!("T={}\n", github_token(63)));
    repo.commit_unchecked("oops");
    repo.stage(".gitignore", ".env\nbuild/\nfixtures/\n");
    repo.stage(".keysiftignore", "fixtures/\n");
    write(root, "build/out.env", format!("T={}\n", github_token(64)));

    let (code, out, err) = scan_text(root, &["-v", "."]);
    assert_eq!(code, 1, "{out}{err}");
    assert!(out.contains(".env:1:"), "{out}");
    assert!(out.contains("sub/deep/.env:1:"), "{out}");
    assert!(!out.contains("build/out.env"), "{out}");
    assert!(!out.contains("fixtures/k.env"), "{out}");
    assert!(out.contains("1 skipped by ignore files"), "{out}");
    assert!(err.contains("tracked though .gitignore lists it"), "{err}");

    // The same from a subdirectory root and for a single named directory.
    let (code, findings, _) = scan_json(root, &["sub"]);
    assert_eq!((code, findings.len()), (1, 1));
    assert_eq!(findings[0]["path"], "sub/deep/.env");
    let (code, findings, _) = scan_json(&root.join("sub"), &["."]);
    assert_eq!((code, findings.len()), (1, 1));
    assert_eq!(findings[0]["path"], "deep/.env");
}

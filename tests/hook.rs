//! `keysift scan --staged` and the plain git hook against real git repositories: what is
//! staged (not the working tree) decides; only what the commit adds counts; renames,
//! deletions, binary files, submodules, unborn branches, odd path names; commits made through
//! `git commit` with the hook installed.

mod common;
mod gitrepo;

use common::{github_token, secret_line};
use gitrepo::{Repo, assert_blocked, assert_passed, paths};

#[test]
fn staged_secret_in_a_repository_without_commits_is_found() {
    let repo = Repo::new();
    repo.stage("config.toml", format!("name = 1\n{}", secret_line(1)));
    let (code, findings, _) = repo.scan_staged(&[]);
    assert_eq!((code, findings.len()), (1, 1));
    assert_eq!(findings[0]["path"], "config.toml");
    assert_eq!(findings[0]["line"], 2);
    assert_eq!(findings[0]["rule"], "testhub-token");
}

#[test]
fn nothing_staged_is_clean() {
    let repo = Repo::new();
    repo.write("untracked.txt", secret_line(2));
    let (code, findings, _) = repo.scan_staged(&[]);
    assert_eq!((code, findings.len()), (0, 0));
}

#[test]
fn secret_only_in_an_unstaged_edit_does_not_count() {
    let repo = Repo::new();
    repo.stage("app.py", "print('hello')\n");
    repo.write("app.py", format!("print('hello')\n{}", secret_line(3)));
    let (code, findings, _) = repo.scan_staged(&[]);
    assert_eq!((code, findings.len()), (0, 0));
}

#[test]
fn secret_staged_then_removed_from_the_working_tree_still_counts() {
    let repo = Repo::new();
    repo.stage("app.py", secret_line(4));
    repo.write("app.py", "clean now\n");
    repo.stage("gone.py", secret_line(5));
    std::fs::remove_file(repo.path().join("gone.py")).unwrap();
    let (code, findings, _) = repo.scan_staged(&[]);
    assert_eq!(code, 1);
    assert_eq!(paths(&findings), ["app.py", "gone.py"]);
}

#[test]
fn secret_committed_earlier_in_the_same_file_is_not_reported_again() {
    let repo = Repo::new();
    repo.stage("settings.ini", format!("[a]\n{}", secret_line(6)));
    repo.commit_unchecked("old secret");
    repo.stage(
        "settings.ini",
        format!("[a]\n{}debug = true\n", secret_line(6)),
    );
    let (code, findings, _) = repo.scan_staged(&[]);
    assert_eq!((code, findings.len()), (0, 0));
    // A full scan still reports it.
    let (code, findings, _) = repo.scan(&["."]);
    assert_eq!((code, findings.len()), (1, 1));
    // A new secret in the same file is reported, at its staged line.
    repo.stage(
        "settings.ini",
        format!("[a]\n{}debug = true\n{}", secret_line(6), secret_line(7)),
    );
    let (code, findings, _) = repo.scan_staged(&[]);
    assert_eq!((code, findings.len()), (1, 1));
    assert_eq!(findings[0]["line"], 4);
}

#[test]
fn rename_keeps_an_old_secret_quiet_and_reports_a_new_one_under_the_new_name() {
    let repo = Repo::new();
    let body = format!("{}{}", "filler line\n".repeat(20), secret_line(8));
    repo.stage("old/name.txt", &body);
    repo.commit_unchecked("old");
    repo.git(&["mv", "old/name.txt", "new name.txt"]);
    let (code, findings, _) = repo.scan_staged(&[]);
    assert_eq!((code, findings.len()), (0, 0));
    repo.stage("new name.txt", format!("{body}{}", secret_line(9)));
    assert!(
        repo.git(&["diff", "--cached", "--name-status", "-M"])
            .starts_with('R')
    );
    let (code, findings, _) = repo.scan_staged(&[]);
    assert_eq!((code, findings.len()), (1, 1));
    assert_eq!(findings[0]["path"], "new name.txt");
    assert_eq!(findings[0]["line"], 22);
}

#[test]
fn deletions_are_not_scanned() {
    let repo = Repo::new();
    repo.stage("leak.txt", secret_line(10));
    repo.commit_unchecked("leak");
    repo.git(&["rm", "-q", "leak.txt"]);
    let (code, findings, stderr) = repo.scan_staged(&[]);
    assert_eq!((code, findings.len()), (0, 0), "{stderr}");
}

#[cfg(unix)]
#[test]
fn binary_symlink_and_submodule_entries_are_skipped() {
    let repo = Repo::new();
    let mut bin = b"\x7fELF\0\0\0".to_vec();
    bin.extend_from_slice(github_token(11).as_bytes());
    repo.stage("prog.bin", bin);
    std::os::unix::fs::symlink(github_token(12), repo.path().join("link")).unwrap();
    repo.git(&["add", "link"]);
    // A gitlink (what `git submodule add` stages), pointing at some commit.
    let id = "0123456789abcdef0123456789abcdef01234567";
    repo.git(&[
        "update-index",
        "--add",
        "--cacheinfo",
        &format!("160000,{id},vendor/lib"),
    ]);
    let (code, findings, stderr) = repo.scan_staged(&["--verbose", "--skip-binary"]);
    assert_eq!((code, findings.len()), (0, 0), "{stderr}");
    assert!(
        stderr.contains("prog.bin: binary file, skipped"),
        "{stderr}"
    );
    assert!(
        stderr.contains("vendor/lib: submodule, skipped"),
        "{stderr}"
    );
    assert!(stderr.contains("link: symbolic link, skipped"), "{stderr}");
}

#[cfg(unix)]
#[test]
fn paths_with_spaces_and_non_utf8_names_are_scanned() {
    use std::os::unix::ffi::OsStrExt;
    let repo = Repo::new();
    repo.stage("dir with space/my file.txt", secret_line(13));
    let name = std::ffi::OsStr::from_bytes(b"caf\xe9.txt");
    std::fs::write(repo.path().join(name), secret_line(14)).unwrap();
    let status = gitrepo::isolate(&mut std::process::Command::new("git"))
        .current_dir(repo.path())
        .arg("add")
        .arg(name)
        .status()
        .unwrap();
    assert!(status.success());
    let (code, findings, _) = repo.scan_staged(&[]);
    assert_eq!(code, 1);
    assert_eq!(
        paths(&findings),
        ["caf\u{FFFD}.txt", "dir with space/my file.txt"]
    );
}

#[test]
fn utf16_staged_file_is_decoded() {
    let repo = Repo::new();
    let mut bytes = vec![0xFF, 0xFE];
    for u in secret_line(15).encode_utf16() {
        bytes.extend_from_slice(&u.to_le_bytes());
    }
    repo.stage("profile.ps1", bytes);
    let (code, findings, _) = repo.scan_staged(&[]);
    assert_eq!((code, findings.len()), (1, 1));
}

#[test]
fn paths_are_repository_relative_from_a_subdirectory() {
    let repo = Repo::new();
    repo.stage("top.txt", secret_line(16));
    repo.stage("sub/dir/inner.txt", secret_line(17));
    let out = repo
        .keysift_in(
            &repo.path().join("sub"),
            &["scan", "--staged", "--format", "json"],
        )
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let findings = common::json_findings(&out.stdout);
    assert_eq!(paths(&findings), ["sub/dir/inner.txt", "top.txt"]);
    // A path argument is relative to the current directory.
    let out = repo
        .keysift_in(
            &repo.path().join("sub"),
            &["scan", "--staged", "--format", "json", "dir"],
        )
        .output()
        .unwrap();
    assert_eq!(
        paths(&common::json_findings(&out.stdout)),
        ["sub/dir/inner.txt"]
    );
}

#[test]
fn staged_paths_narrow_the_scan_and_unstaged_paths_are_scanned_in_full() {
    let repo = Repo::new();
    repo.stage("committed.txt", secret_line(18));
    repo.commit_unchecked("old");
    repo.stage("a.txt", secret_line(19));
    repo.stage("b.txt", secret_line(20));
    // The pre-commit framework's normal run: the staged files, possibly in batches.
    let (code, findings, _) = repo.scan_staged(&["a.txt"]);
    assert_eq!((code, paths(&findings)), (1, vec!["a.txt".to_string()]));
    // `pre-commit run --all-files`: every tracked file, most without staged changes. The
    // files are scanned in full, including the secret committed long ago.
    let (code, findings, stderr) = repo.scan_staged(&["a.txt", "b.txt", "committed.txt"]);
    assert_eq!(code, 1);
    assert_eq!(paths(&findings), ["a.txt", "b.txt", "committed.txt"]);
    assert!(stderr.contains("scanning the paths in full"), "{stderr}");
}

#[test]
fn inline_allow_applies_to_staged_content() {
    let repo = Repo::new();
    repo.stage(
        "fixture.py",
        format!("T = '{}'  # keysift:allow\n", github_token(21)),
    );
    let (code, findings, _) = repo.scan_staged(&[]);
    assert_eq!((code, findings.len()), (0, 0));
}

#[test]
fn outside_a_repository_is_an_error() {
    let repo = Repo::new();
    let out = repo
        .keysift_in(repo.aux(), &["scan", "--staged"])
        .env("GIT_CEILING_DIRECTORIES", repo.aux().parent().unwrap())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("not inside a git repository"), "{stderr}");
}

#[test]
fn missing_git_is_an_error() {
    let repo = Repo::new();
    repo.stage("a.txt", secret_line(22));
    let out = repo
        .keysift(&["scan", "--staged"])
        .env("PATH", repo.aux())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("cannot run git"), "{stderr}");
}

#[test]
fn blocked_message_says_where_what_and_how_to_fix() {
    let repo = Repo::new();
    repo.stage("deploy/.env", format!("A=1\n{}", secret_line(23)));
    let out = repo.keysift(&["scan", "--staged"]).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stdout.contains("deploy/.env:2:10: TestHub token"),
        "{stdout}"
    );
    assert!(
        !stdout.contains(&github_token(23)),
        "the report leaks the secret"
    );
    assert!(stderr.contains("commit is blocked"), "{stderr}");
    assert!(
        stderr.contains("TestHub: https://testhub.invalid/settings/tokens"),
        "{stderr}"
    );
    assert!(stderr.contains("keysift:allow"), "{stderr}");
    assert!(
        stderr.contains("keysift baseline create -o .keysift-baseline.json"),
        "{stderr}"
    );
}

// --- through `git commit` with the installed hook ---

#[test]
fn installed_hook_blocks_a_commit_that_adds_a_secret_and_allows_a_clean_one() {
    let repo = Repo::new();
    repo.install_hook();
    repo.stage("README.md", "# project\n");
    assert_passed(&repo.git_output(&["commit", "-q", "-m", "clean"]));
    assert_eq!(repo.commit_count(), 1);

    repo.stage(
        "src/config.rs",
        format!("const T: &str = \"{}\";\n", github_token(24)),
    );
    let blocked = repo.git_output(&["commit", "-q", "-m", "leak"]);
    assert_blocked(&blocked, &[("src/config.rs", 1)]);
    assert_eq!(repo.commit_count(), 1);
}

#[test]
fn installed_hook_blocks_the_first_commit() {
    let repo = Repo::new();
    repo.install_hook();
    repo.stage("a.txt", secret_line(25));
    assert_blocked(
        &repo.git_output(&["commit", "-q", "-m", "first"]),
        &[("a.txt", 1)],
    );
    assert_eq!(repo.commit_count(), 0);
}

#[test]
fn partial_staging_secret_staged_but_removed_from_the_working_tree_is_blocked() {
    let repo = Repo::new();
    repo.stage("app.py", "x = 1\n");
    repo.commit_unchecked("base");
    repo.install_hook();
    repo.stage("app.py", format!("x = 1\n{}", secret_line(26)));
    repo.write("app.py", "x = 1\ny = 2\n");
    assert_blocked(
        &repo.git_output(&["commit", "-q", "-m", "m"]),
        &[("app.py", 2)],
    );
    assert_eq!(repo.commit_count(), 1);
    // `git commit -a` commits the working tree, which has no secret.
    assert_passed(&repo.git_output(&["commit", "-q", "-a", "-m", "m"]));
}

#[test]
fn partial_staging_secret_only_in_the_working_tree_is_allowed_unless_committed() {
    let repo = Repo::new();
    repo.stage("app.py", "x = 1\n");
    repo.commit_unchecked("base");
    repo.install_hook();
    repo.stage("app.py", "x = 1\ny = 2\n");
    repo.write("app.py", format!("x = 1\ny = 2\n{}", secret_line(27)));
    // `git commit -a` and `git commit PATH` build a temporary index from the working tree:
    // the hook must judge that index, so both are blocked.
    assert_blocked(
        &repo.git_output(&["commit", "-q", "-a", "-m", "m"]),
        &[("app.py", 3)],
    );
    assert_blocked(
        &repo.git_output(&["commit", "-q", "-m", "m", "--", "app.py"]),
        &[("app.py", 3)],
    );
    assert_eq!(repo.commit_count(), 1);
    // A plain commit takes only the staged part.
    assert_passed(&repo.git_output(&["commit", "-q", "-m", "m"]));
    assert_eq!(repo.commit_count(), 2);
}

#[test]
fn installed_hook_allows_edits_to_a_file_with_an_old_secret() {
    let repo = Repo::new();
    repo.stage("legacy.cfg", secret_line(28));
    repo.commit_unchecked("legacy");
    repo.install_hook();
    repo.stage("legacy.cfg", format!("# comment\n{}", secret_line(28)));
    assert_passed(&repo.git_output(&["commit", "-q", "-m", "edit"]));
}

#[test]
fn keysiftignore_applies_to_staged_files_but_gitignore_does_not() {
    let repo = Repo::new();
    repo.stage(".keysiftignore", "fixtures/\n");
    repo.stage(".gitignore", "*.local\n");
    repo.stage("tests/fixtures/key.txt", secret_line(29));
    repo.write("settings.local", secret_line(30));
    // Force-added: tracked now, so it is committed whatever .gitignore says.
    repo.git(&["add", "-f", "settings.local"]);
    let (code, findings, _) = repo.scan_staged(&[]);
    assert_eq!(
        (code, paths(&findings)),
        (1, vec!["settings.local".to_string()])
    );
    let (code, findings, _) = repo.scan_staged(&["--no-ignore"]);
    assert_eq!(code, 1);
    assert_eq!(
        paths(&findings),
        ["settings.local", "tests/fixtures/key.txt"]
    );
    // The same for file names passed by pre-commit --all-files.
    repo.commit_unchecked("x");
    let (code, findings, _) = repo.scan_staged(&["tests/fixtures/key.txt", ".gitignore"]);
    assert_eq!((code, findings.len()), (0, 0));
}

#[test]
fn concluding_a_merge_does_not_blame_the_other_branchs_secrets() {
    let repo = Repo::new();
    repo.stage("app.cfg", "a = 1\nb = 2\n");
    repo.commit_unchecked("base");
    repo.git(&["checkout", "-q", "-b", "feature"]);
    repo.stage("app.cfg", format!("a = 1\nb = 3\n{}", secret_line(31)));
    repo.commit_unchecked("feature adds a secret");
    repo.git(&["checkout", "-q", "main"]);
    repo.stage("app.cfg", "a = 1\nb = 4\n");
    repo.commit_unchecked("main changes b");
    repo.install_hook();
    assert!(
        !repo
            .git_output(&["merge", "-q", "feature"])
            .status
            .success()
    );
    // Resolve the conflict, keeping the feature branch's secret line.
    repo.stage("app.cfg", format!("a = 1\nb = 4\n{}", secret_line(31)));
    let (code, findings, stderr) = repo.scan_staged(&[]);
    assert_eq!((code, findings.len()), (0, 0), "{stderr}");
    // A secret the resolution itself adds is still reported.
    repo.stage(
        "app.cfg",
        format!("a = 1\nb = 4\n{}{}", secret_line(31), secret_line(32)),
    );
    let (code, findings, _) = repo.scan_staged(&[]);
    assert_eq!((code, findings.len()), (1, 1));
    assert_eq!(findings[0]["line"], 4);
    assert_blocked(
        &repo.git_output(&["commit", "-q", "--no-edit"]),
        &[("app.cfg", 4)],
    );
    repo.stage("app.cfg", format!("a = 1\nb = 4\n{}", secret_line(31)));
    assert_passed(&repo.git_output(&["commit", "-q", "--no-edit"]));
}

/// A zip of `(name, contents)` members, deflated.
fn zip_of(members: &[(&str, &str)]) -> Vec<u8> {
    use std::io::Write;
    let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for (name, data) in members {
        w.start_file(*name, opts).unwrap();
        w.write_all(data.as_bytes()).unwrap();
    }
    w.finish().unwrap().into_inner()
}

/// A staged archive is opened as in a directory scan: a key in a member blocks the commit,
/// and a key the committed version of the archive already held does not.
#[test]
fn staged_archives_are_opened_and_only_new_keys_count() {
    let repo = Repo::new();
    let old = secret_line(40);
    repo.stage("dist/bundle.zip", zip_of(&[("config/.env", &old)]));
    let (code, findings, stderr) = repo.scan_staged(&[]);
    assert_eq!((code, findings.len()), (1, 1), "{stderr}");
    assert_eq!(findings[0]["path"], "dist/bundle.zip!config/.env");
    repo.commit_unchecked("add bundle");

    repo.stage(
        "dist/bundle.zip",
        zip_of(&[("config/.env", &old), ("README", "nothing here\n")]),
    );
    let (code, findings, stderr) = repo.scan_staged(&[]);
    assert_eq!((code, findings.len()), (0, 0), "{findings:?} {stderr}");

    let new = secret_line(41);
    repo.stage(
        "dist/bundle.zip",
        zip_of(&[("config/.env", &old), ("more/.env", &new)]),
    );
    let (code, findings, stderr) = repo.scan_staged(&[]);
    assert_eq!((code, findings.len()), (1, 1), "{stderr}");
    assert_eq!(findings[0]["path"], "dist/bundle.zip!more/.env");
}

//! End-to-end behaviour of `keysift scan` on real files in temp dirs: exit codes, redaction,
//! ignore files, hidden files, binary and UTF-16 files, bad input.

mod common;

use common::*;
use predicates::prelude::*;
use tempfile::TempDir;

#[test]
fn clean_tree_exits_zero() {
    let dir = TempDir::new().unwrap();
    write(
        dir.path(),
        "src/main.rs",
        "fn main() { println!(\"hello\"); }\n",
    );
    keysift()
        .current_dir(dir.path())
        .args(["scan", "."])
        .assert()
        .code(0)
        .stdout(predicate::str::contains("no secrets found"));
}

#[test]
fn finding_exits_one_and_is_redacted_in_text_and_json() {
    let dir = TempDir::new().unwrap();
    let tok = github_token(1);
    write(dir.path(), "config.yml", format!("token: {tok}\n"));
    let out = keysift()
        .current_dir(dir.path())
        .args(["scan", "."])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("config.yml:1:8"), "{text}");
    assert!(!text.contains(&tok), "text report leaks the secret");
    assert!(
        text.contains(&format!("{}…[40 chars]", &tok[..4])),
        "{text}"
    );

    let (code, findings, _) = scan_json(dir.path(), &["."]);
    assert_eq!(code, 1);
    assert_eq!(findings.len(), 1);
    let f = &findings[0];
    assert_eq!(f["path"], "config.yml");
    assert_eq!(
        (f["line"].as_u64(), f["column"].as_u64()),
        (Some(1), Some(8))
    );
    assert_eq!(
        (f["end_line"].as_u64(), f["end_column"].as_u64()),
        (Some(1), Some(47))
    );
    assert_eq!(f["provider"], "github");
    let raw = serde_json::to_string(&findings).unwrap();
    assert!(!raw.contains(&tok), "JSON report leaks the secret");
}

#[test]
fn show_secrets_prints_the_secret() {
    let dir = TempDir::new().unwrap();
    let tok = github_token(2);
    write(dir.path(), "a.txt", format!("{tok}\n"));
    keysift()
        .current_dir(dir.path())
        .args(["scan", "--show-secrets", "."])
        .assert()
        .code(1)
        .stdout(predicate::str::contains(tok));
}

#[test]
fn gitignore_keysiftignore_and_no_ignore() {
    let dir = TempDir::new().unwrap();
    let git = clear_git_env(&mut std::process::Command::new("git"))
        .arg("init")
        .arg("-q")
        .arg(dir.path())
        .status();
    assert!(git.unwrap().success(), "git init");
    write(dir.path(), ".gitignore", "ignored/\n");
    write(dir.path(), ".keysiftignore", "fixtures/\n");
    write(dir.path(), "ignored/a.txt", github_token(3));
    write(dir.path(), "fixtures/b.txt", github_token(4));
    let (code, findings, _) = scan_json(dir.path(), &["."]);
    assert_eq!((code, findings.len()), (0, 0));
    let (code, findings, _) = scan_json(dir.path(), &["--no-ignore", "."]);
    assert_eq!((code, findings.len()), (1, 2));
}

/// `.keysiftignore` keeps files out of the walk uncounted, so a run under it is no all-clear.
#[test]
fn keysiftignore_outside_a_repository_is_never_no_secrets_found() {
    let dir = TempDir::new().unwrap();
    write(dir.path(), ".keysiftignore", "*.zip\n");
    write(dir.path(), "a.zip", github_token(15));
    write(dir.path(), "b.txt", "hello\n");
    keysift()
        .current_dir(dir.path())
        .args(["scan", "."])
        .assert()
        .code(0)
        .stdout(
            predicate::str::contains("no findings reported")
                .and(predicate::str::contains(
                    "1 ignore file applied (-v names them)",
                ))
                .and(predicate::str::contains("no secrets found").not()),
        );
}

#[test]
fn gitignore_outside_a_git_repository_is_not_applied() {
    let dir = TempDir::new().unwrap();
    write(dir.path(), ".gitignore", "/*\n");
    write(dir.path(), "a.txt", github_token(14));
    let (code, findings, _) = scan_json(dir.path(), &["."]);
    assert_eq!((code, findings.len()), (1, 1));
}

#[test]
fn hidden_files_are_scanned_but_dot_git_is_not() {
    let dir = TempDir::new().unwrap();
    write(
        dir.path(),
        ".env",
        format!("GITHUB_TOKEN={}\n", github_token(5)),
    );
    write(
        dir.path(),
        ".git/config",
        format!("token = {}\n", github_token(6)),
    );
    let (code, findings, _) = scan_json(dir.path(), &["."]);
    assert_eq!(code, 1);
    assert_eq!(findings.len(), 1);
    assert_eq!(findings[0]["path"], ".env");
}

#[test]
fn binary_files_are_skipped_with_skip_binary_and_noted_with_verbose() {
    let dir = TempDir::new().unwrap();
    let mut bin = b"\x7fELF\0\0\0".to_vec();
    bin.extend_from_slice(github_token(7).as_bytes());
    write(dir.path(), "prog", bin);
    keysift()
        .current_dir(dir.path())
        .args(["scan", "--verbose", "--skip-binary", "."])
        .assert()
        .code(0)
        .stderr(predicate::str::contains("prog: binary file, skipped"));
}

#[test]
fn utf16_with_bom_is_decoded() {
    let dir = TempDir::new().unwrap();
    let text = format!("$env:GITHUB_TOKEN = \"{}\"\r\n", github_token(8));
    let mut bytes = vec![0xFF, 0xFE];
    for u in text.encode_utf16() {
        bytes.extend_from_slice(&u.to_le_bytes());
    }
    write(dir.path(), "profile.ps1", bytes);
    let (code, findings, _) = scan_json(dir.path(), &["."]);
    assert_eq!((code, findings.len()), (1, 1));
    assert_eq!(findings[0]["column"].as_u64(), Some(22));
}

#[test]
fn non_utf8_and_large_files_are_scanned() {
    let dir = TempDir::new().unwrap();
    let mut latin1 = b"caf\xe9 = '".to_vec();
    latin1.extend_from_slice(github_token(9).as_bytes());
    latin1.extend_from_slice(b"'\n");
    write(dir.path(), "latin1.txt", latin1);
    // Past the memory-map threshold, with the secret at the very end.
    let mut big = vec![b'a'; 20 * 1024 * 1024];
    big.push(b'\n');
    big.extend_from_slice(github_token(10).as_bytes());
    write(dir.path(), "big.log", big);
    let (code, findings, _) = scan_json(dir.path(), &["."]);
    assert_eq!(code, 1);
    let mut paths: Vec<_> = findings
        .iter()
        .map(|f| f["path"].as_str().unwrap())
        .collect();
    paths.sort();
    assert_eq!(paths, ["big.log", "latin1.txt"]);
    let big = findings.iter().find(|f| f["path"] == "big.log").unwrap();
    assert_eq!(big["line"].as_u64(), Some(2));
}

#[cfg(unix)]
#[test]
fn broken_symlink_inside_tree_warns_and_scan_goes_on() {
    let dir = TempDir::new().unwrap();
    std::os::unix::fs::symlink("does-not-exist", dir.path().join("dangling")).unwrap();
    write(dir.path(), "ok.txt", github_token(11));
    let (code, findings, stderr) = scan_json(dir.path(), &["."]);
    assert_eq!((code, findings.len()), (1, 1));
    assert!(stderr.contains("dangling: broken symlink"), "{stderr}");
}

#[test]
fn missing_root_is_an_error() {
    let dir = TempDir::new().unwrap();
    keysift()
        .current_dir(dir.path())
        .args(["scan", "no/such/dir"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("no/such/dir"));
}

#[cfg(unix)]
#[test]
fn unreadable_file_is_reported_and_the_scan_goes_on() {
    use std::os::unix::{fs::PermissionsExt, process::CommandExt};
    let dir = TempDir::new().unwrap();
    std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
    write(dir.path(), "secret.txt", "nothing here\n");
    write(dir.path(), "locked.txt", "x\n");
    let locked = dir.path().join("locked.txt");
    std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o000)).unwrap();
    // Root reads any file, so run as an unprivileged user when the tests run as root (std
    // drops the supplementary groups too when it changes the uid).
    let mut cmd = if is_root(dir.path()) {
        let mut c = std::process::Command::new(assert_cmd::cargo::cargo_bin("keysift"));
        c.uid(65534).gid(65534);
        assert_cmd::Command::from_std(c)
    } else {
        keysift()
    };
    cmd.current_dir(dir.path())
        .args(["scan", "."])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("locked.txt: cannot read"))
        .stdout(
            predicate::str::contains("scanned 1 file ")
                .and(predicate::str::contains("no secrets found").not()),
        );
}

/// Whether the tests run as root: the owner of a file they just created.
#[cfg(unix)]
fn is_root(scratch: &std::path::Path) -> bool {
    use std::os::unix::fs::MetadataExt;
    let probe = scratch.join(".owner-probe");
    std::fs::write(&probe, "").unwrap();
    let uid = std::fs::metadata(&probe).unwrap().uid();
    std::fs::remove_file(probe).unwrap();
    uid == 0
}

#[test]
fn bad_rule_file_names_file_line_and_rule() {
    let dir = TempDir::new().unwrap();
    write(
        dir.path(),
        "bad.toml",
        "[provider]\nid = \"acme\"\nname = \"Acme\"\nrevoke = \"https://acme.test\"\n\n[[rule]]\nid = \"acme-key\"\nname = \"n\"\ndescription = \"d\"\nregex = '''(acme_[a-z'''\nkeywords = [\"acme_\"]\nseverity = \"5.0\"\nprecision = \"high\"\nremediation = \"r\"\nexamples = [\"x\"]\n",
    );
    keysift()
        .current_dir(dir.path())
        .args(["scan", "--rules", "bad.toml", "."])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "bad.toml:7: rule `acme-key`: invalid regex",
        ));
}

#[test]
fn output_file_receives_the_report() {
    let dir = TempDir::new().unwrap();
    write(dir.path(), "a.txt", github_token(12));
    keysift()
        .current_dir(dir.path())
        .args(["scan", "--format", "json", "-o", "report.json", "a.txt"])
        .assert()
        .code(1)
        .stdout(predicate::str::is_empty());
    let report = std::fs::read(dir.path().join("report.json")).unwrap();
    assert_eq!(json_findings(&report).len(), 1);
}

#[test]
fn inline_allow_comment_suppresses_unless_disabled() {
    let dir = TempDir::new().unwrap();
    write(
        dir.path(),
        "a.py",
        format!("T = '{}'  # keysift:allow\n", github_token(13)),
    );
    let (code, findings, _) = scan_json(dir.path(), &["."]);
    assert_eq!((code, findings.len()), (0, 0));
    let (code, findings, _) = scan_json(dir.path(), &["--no-inline-allow", "."]);
    assert_eq!((code, findings.len()), (1, 1));
}

#[test]
fn rules_lists_text_and_json() {
    keysift()
        .args(["rules"])
        .assert()
        .code(0)
        .stdout(predicate::str::contains("anthropic-"));
    let out = keysift()
        .args(["rules", "--format", "json"])
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(v.as_array().unwrap().len() >= 20);
}

#[test]
fn keysift_toml_allowlist_is_discovered_and_config_flag_overrides() {
    let dir = TempDir::new().unwrap();
    write(
        dir.path(),
        ".keysift.toml",
        "[allowlist]\npaths = ['^fixtures/']\n",
    );
    write(dir.path(), "fixtures/a.txt", github_token(15));
    write(dir.path(), "src/b.txt", github_token(16));
    let (code, findings, _) = scan_json(dir.path(), &["."]);
    assert_eq!(code, 1);
    assert_eq!(findings.len(), 1);
    assert_eq!(findings[0]["path"], "src/b.txt");

    write(
        dir.path(),
        "other.toml",
        "[allowlist]\nrules = ['github-pat']\n",
    );
    let (code, findings, _) = scan_json(dir.path(), &["--config", "other.toml", "."]);
    assert_eq!((code, findings.len()), (0, 0));
}

#[test]
fn bad_config_is_an_error_naming_file_and_line() {
    let dir = TempDir::new().unwrap();
    write(
        dir.path(),
        ".keysift.toml",
        "[allowlist]\n\nregexes = ['(unclosed']\n",
    );
    keysift()
        .current_dir(dir.path())
        .args(["scan", "."])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            ".keysift.toml: line 3: invalid regex",
        ));
}

#[test]
fn two_secrets_on_one_line_are_both_redacted_in_each_snippet() {
    let dir = TempDir::new().unwrap();
    let (a, b) = (github_token(17), github_token(18));
    write(dir.path(), "pair.env", format!("A={a} B={b}\n"));
    let out = keysift()
        .current_dir(dir.path())
        .args(["scan", "."])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1));
    assert!(!text.contains(&a) && !text.contains(&b), "{text}");
    let (_, findings, _) = scan_json(dir.path(), &["."]);
    assert_eq!(findings.len(), 2);
    let raw = serde_json::to_string(&findings).unwrap();
    assert!(!raw.contains(&a) && !raw.contains(&b));
}

#[test]
fn keysift_reports_and_baselines_do_not_trip_keysift() {
    let dir = TempDir::new().unwrap();
    let azure = key("AZURE_OPENAI_API_KEY={{hex:32}}\n", 19);
    let twilio = key("TWILIO_AUTH_TOKEN={{hex:32}}\n", 20);
    write(dir.path(), "src/.env", format!("{azure}{twilio}"));
    let (code, findings, _) = scan_json(dir.path(), &["src"]);
    assert_eq!((code, findings.len()), (1, 2));
    keysift()
        .current_dir(dir.path())
        .args(["scan", "src", "--format", "json", "-o", "report.json"])
        .assert()
        .code(1);
    keysift()
        .current_dir(dir.path())
        .args(["baseline", "create", "src", "-o", "baseline.json"])
        .assert()
        .code(0);
    let (code, findings, _) = scan_json(dir.path(), &["report.json", "baseline.json"]);
    assert_eq!((code, findings.len()), (0, 0), "{findings:?}");
}

#[test]
fn this_repository_holds_no_secret() {
    // Rule examples and fuzz seeds are templates and tests build keys at run time, so
    // keysift's own hook and push protection stay quiet on its source. (Not `fuzz/corpus`:
    // what a fuzzer generates is never committed.)
    keysift()
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args([
            "scan",
            "--no-ignore",
            "src",
            "rules",
            "tests",
            "bench",
            "examples",
            "README.md",
            "fuzz/fuzz_targets",
            "fuzz/src",
            "fuzz/seeds",
        ])
        .assert()
        .code(0);
}

#[test]
fn max_file_size_skips_large_files_and_says_so() {
    let dir = TempDir::new().unwrap();
    let tok = github_token(40);
    write(dir.path(), "small.txt", format!("{tok}\n"));
    let mut big = format!("{}\n", github_token(41));
    big.push_str(&"x".repeat(2 * 1024 * 1024));
    write(dir.path(), "big.log", &big);
    let out = keysift()
        .current_dir(dir.path())
        .args(["scan", "--max-file-size", "1M", "-v", "."])
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(stdout.contains("small.txt:1:1"), "{stdout}");
    assert!(!stdout.contains("big.log:"), "{stdout}");
    assert!(
        stdout.contains("not scanned: 1 over --max-file-size"),
        "{stdout}"
    );
    assert!(
        stderr.contains("note: big.log: larger than --max-file-size (2.0 MiB), skipped"),
        "{stderr}"
    );
    // Alone, the skipped file keeps the run from being called clean.
    std::fs::remove_file(dir.path().join("small.txt")).unwrap();
    keysift()
        .current_dir(dir.path())
        .args(["scan", "--max-file-size", "1M", "."])
        .assert()
        .code(0)
        .stdout(predicate::str::contains("no secrets found").not())
        .stdout(predicate::str::contains("1 over --max-file-size"));
    keysift()
        .current_dir(dir.path())
        .args(["scan", "--max-file-size", "lots", "."])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("not a size"));
}

#[test]
fn absurd_thread_counts_are_capped_not_obeyed() {
    // Without a cap, -j 1000000 tried to start a million workers (5 GB reserved).
    let dir = TempDir::new().unwrap();
    write(dir.path(), "a.txt", "plain\n");
    let tok = github_token(2);
    write(dir.path(), "b.env", format!("TOKEN={tok}\n"));
    keysift()
        .current_dir(dir.path())
        .args(["scan", ".", "-j", "1000000"])
        .timeout(std::time::Duration::from_secs(60))
        .assert()
        .code(1)
        .stdout(predicate::str::contains("b.env"));
}

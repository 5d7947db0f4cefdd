//! What reports print from the scanned tree: no copy of a found secret in any field of any
//! format unless `--show-secrets`, and no terminal or CI-log escape from a path, a scanned
//! line or a commit. Each runs the real binary (and real git for history).

mod common;
mod gitrepo;

use std::path::Path;

use common::*;
use gitrepo::Repo;
use tempfile::TempDir;

/// stdout of `keysift scan --format FORMAT ARGS` in `dir`.
fn report(dir: &Path, format: &str, args: &[&str]) -> String {
    let out = keysift()
        .current_dir(dir)
        .args(["scan", "--format", format])
        .args(args)
        .output()
        .expect("keysift runs");
    assert_eq!(
        out.status.code(),
        Some(1),
        "stderr: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("UTF-8 report")
}

#[test]
fn a_second_copy_the_regex_rejects_is_masked_in_every_format() {
    let dir = TempDir::new().unwrap();
    let token = github_token(91);
    write(
        dir.path(),
        "ci.env",
        format!("GITHUB_TOKEN={token} # was {token}_v1\n"),
    );
    for format in ["text", "json", "sarif"] {
        let out = report(dir.path(), format, &["."]);
        assert!(!out.contains(&token), "{format} shows the token:\n{out}");
        if format != "text" {
            serde_json::from_str::<serde_json::Value>(&out).expect("still valid JSON");
        }
    }
    // --show-secrets shows it in text and JSON, never in SARIF.
    let shown = report(dir.path(), "json", &["--show-secrets", "."]);
    assert!(shown.matches(&token).count() >= 2, "{shown}");
    let sarif = report(dir.path(), "sarif", &["--show-secrets", "."]);
    assert!(!sarif.contains(&token));
}

/// Reports are masked a chunk at a time, and only for the secrets a report can show: copies
/// far into a report of thousands of findings, on a line of many keys, and in another file's
/// name are masked in every format all the same.
#[test]
fn copies_anywhere_in_a_large_report_are_masked_in_every_format() {
    let dir = TempDir::new().unwrap();
    let tokens: Vec<String> = (0..1200).map(|i| github_token(1000 + i)).collect();
    let mut lines: String = tokens.iter().map(|t| format!("t={t}\n")).collect();
    for t in [&tokens[0], &tokens[600], &tokens[1199]] {
        lines.push_str(&format!("# was {t}_v1\n"));
    }
    // One line of 300 keys: each snippet holds its neighbours.
    lines.push_str(&tokens[800..1100].join(" "));
    write(dir.path(), "many.env", lines);
    // A file named after a key found elsewhere, holding one of its own.
    let other = github_token(99);
    write(
        dir.path(),
        &format!("backup-{}.env", tokens[1199]),
        format!("t={other}\n"),
    );
    for format in ["text", "json", "sarif", "gitlab"] {
        let out = report(dir.path(), format, &["."]);
        assert!(out.len() > 1 << 17, "{format}: a report of several chunks");
        for t in tokens.iter().chain([&other]) {
            assert!(!out.contains(t.as_str()), "{format} shows {}…", &t[..8]);
        }
        if format != "text" {
            serde_json::from_str::<serde_json::Value>(&out).expect("still valid JSON");
        }
    }
}

#[test]
fn commit_summary_and_author_never_carry_the_secret() {
    let repo = Repo::new();
    let token = github_token(92);
    repo.stage("app.env", format!("TOKEN={token}\n"));
    let author = format!("{token} <{token}@example.invalid>");
    repo.git(&[
        "commit",
        "-q",
        "--no-verify",
        "--author",
        &author,
        "-m",
        &format!("add token {token}"),
    ]);
    for format in ["text", "json", "sarif"] {
        let out = repo
            .keysift(&["scan", "--git", "--format", format, "."])
            .output()
            .expect("keysift runs");
        assert_eq!(out.status.code(), Some(1));
        let out = String::from_utf8_lossy(&out.stdout);
        assert!(!out.contains(&token), "{format} shows the token:\n{out}");
        assert!(out.contains("add token"), "{format}: summary kept:\n{out}");
    }
}

#[test]
fn short_secrets_of_user_rules_show_no_characters() {
    let dir = TempDir::new().unwrap();
    let rules = dir.path().join("pin.toml");
    std::fs::write(
        &rules,
        r#"[provider]
id = "doorpin"
name = "Door PIN"
revoke = "Change it at the door."

[[rule]]
id = "doorpin-code"
name = "Door PIN"
description = "A short code."
regex = '''door_pin\s*=\s*"([A-Za-z0-9]{10})"'''
keywords = ["door_pin"]
severity = "5.0"
precision = "high"
remediation = "Change the code."
examples = ['door_pin = "{{alnum:10}}"']
"#,
    )
    .unwrap();
    let pin = key("{{alnum:10}}", 93);
    write(dir.path(), "src/door.py", format!("door_pin = \"{pin}\"\n"));
    let rules = rules.to_str().unwrap();
    let json = report(dir.path(), "json", &["--rules", rules, "src"]);
    let findings = json_findings(json.as_bytes());
    assert_eq!(findings.len(), 1, "{json}");
    assert_eq!(findings[0]["secret"], "…[10 chars]");
    for format in ["text", "json", "sarif"] {
        let out = report(dir.path(), format, &["--rules", rules, "src"]);
        assert!(
            !out.contains(&pin[..4]),
            "{format} shows part of it:\n{out}"
        );
    }
}

/// The bytes an attacker controls, and what must not survive into a report.
const ERASE: &str = "\u{1b}[2K\r";

fn assert_inert(what: &str, out: &str) {
    assert!(
        !out.contains('\u{1b}') && !out.contains('\r'),
        "{what}: raw escape:\n{out:?}"
    );
    for line in out.lines() {
        assert!(
            !line.trim_start().starts_with("::"),
            "{what}: workflow command: {line:?}"
        );
        assert!(!line.contains("##["), "{what}: workflow command: {line:?}");
    }
}

#[test]
fn paths_and_lines_cannot_write_to_the_terminal_or_the_job_log() {
    let dir = TempDir::new().unwrap();
    let token = github_token(94);
    let name = "x\n::error file=a.rs::owned\n##[error]b.env";
    write(
        dir.path(),
        name,
        format!("{ERASE}::add-mask::x\nT={token} {ERASE}\u{1b}[8m ##[stop-commands]\n"),
    );
    for format in ["text", "json", "sarif"] {
        let out = report(dir.path(), format, &["--color", "never", "."]);
        assert_inert(format, &out);
        assert!(out.contains("owned"), "{format}: the path is still shown");
        if format != "text" {
            let v: serde_json::Value = serde_json::from_str(&out).expect("valid JSON");
            assert!(v.to_string().contains("##[error]b.env"), "meaning kept");
        }
    }
}

#[test]
fn commits_cannot_hide_the_report() {
    let repo = Repo::new();
    repo.stage("app.env", format!("TOKEN={}\n", github_token(95)));
    repo.git(&[
        "commit",
        "-q",
        "--no-verify",
        "--author",
        "\u{1b}[8mEve <eve@example.invalid>",
        "-m",
        &format!("fix{ERASE}::warning::all good"),
    ]);
    let out = repo
        .keysift(&["scan", "--git", "--format", "text", "--color", "never", "."])
        .output()
        .expect("keysift runs");
    assert_eq!(out.status.code(), Some(1));
    assert_inert("text", &String::from_utf8_lossy(&out.stdout));
}

#[test]
fn diagnostics_escape_file_names() {
    let dir = TempDir::new().unwrap();
    std::os::unix::fs::symlink("nowhere", dir.path().join("l\u{1b}[2K\n::error::x")).unwrap();
    let out = keysift()
        .current_dir(dir.path())
        .args(["scan", "--verbose", "."])
        .output()
        .expect("keysift runs");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("l\\x1b[2K\\x0a"), "{stderr}");
    assert_inert("stderr", &stderr);
}

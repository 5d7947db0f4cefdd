//! Bytes chosen to hide secrets or crash the scan (issue 10): a UTF-16 mark over ASCII,
//! UTF-16 without a mark, a UTF-8 mark, files larger than one read window, and output
//! streams that fail.

mod common;
mod gitrepo;

use std::sync::Arc;

use common::*;
use gitrepo::Repo;
use keysift::{
    detect::engine::{Engine, Scratch},
    rules::RuleSet,
    scan::{ScanOptions, Scanner},
};
use tempfile::TempDir;

/// `FF FE` + ASCII: the mark proves nothing; bash sources the file and git diffs it as text.
fn utf16_mark_over_ascii(tok: &str) -> Vec<u8> {
    let mut b = b"\xFF\xFE#\n".to_vec();
    b.extend_from_slice(format!("GITHUB_TOKEN={tok}\n").as_bytes());
    b
}

fn utf16le(text: &str) -> Vec<u8> {
    text.encode_utf16().flat_map(u16::to_le_bytes).collect()
}

#[test]
fn utf16_mark_over_ascii_hides_nothing_in_a_directory_scan() {
    let dir = TempDir::new().unwrap();
    write(
        dir.path(),
        "x.env",
        utf16_mark_over_ascii(&github_token(501)),
    );
    let (code, findings, stderr) = scan_json(dir.path(), &["x.env"]);
    assert_eq!((code, findings.len()), (1, 1), "{stderr}");
    assert_eq!(
        (findings[0]["line"].as_u64(), findings[0]["column"].as_u64()),
        (Some(2), Some(14))
    );
}

#[test]
fn utf16_mark_over_ascii_hides_nothing_staged_or_in_history() {
    let repo = Repo::new();
    repo.stage("x.env", utf16_mark_over_ascii(&github_token(502)));
    let (code, findings, stderr) = repo.scan_staged(&[]);
    assert_eq!((code, findings.len()), (1, 1), "staged: {stderr}");
    repo.commit_unchecked("add env");
    let (code, findings, stderr) = repo.scan(&["--git"]);
    assert_eq!((code, findings.len()), (1, 1), "history: {stderr}");
}

#[test]
fn utf16_without_a_mark_is_decoded() {
    let dir = TempDir::new().unwrap();
    let text = format!("$env:GITHUB_TOKEN = \"{}\"\r\n", github_token(503));
    write(dir.path(), "profile.ps1", utf16le(&text));
    let (code, findings, stderr) = scan_json(dir.path(), &["."]);
    assert_eq!((code, findings.len()), (1, 1), "{stderr}");
    assert_eq!(findings[0]["column"].as_u64(), Some(22));
}

#[test]
fn utf8_mark_is_not_a_column() {
    let dir = TempDir::new().unwrap();
    let mut b = b"\xEF\xBB\xBF".to_vec();
    b.extend_from_slice(format!("token: {}\n", github_token(504)).as_bytes());
    write(dir.path(), "a.yml", b);
    let (code, findings, _) = scan_json(dir.path(), &["."]);
    assert_eq!((code, findings.len()), (1, 1));
    assert_eq!(findings[0]["column"].as_u64(), Some(8));
}

/// Files over the whole-read limit (16 MiB) are streamed in windows: tokens at every
/// alignment around the first window's edges are each found once, at the right place.
#[test]
fn large_files_are_streamed_without_losing_or_doubling_findings() {
    const LIMIT: usize = 16 * 1024 * 1024;
    let mut text = Vec::with_capacity(LIMIT + 2 * 1024 * 1024);
    let mut expected = Vec::new();
    let mut line = 1u64;
    let mut seed = 0u64;
    while text.len() < LIMIT + 1024 * 1024 {
        // Near the edges a token every few lines, at varying columns; filler elsewhere.
        let near = text.len() + 300 * 1024 > LIMIT;
        if near && line.is_multiple_of(3) {
            seed += 1;
            let pad = "x".repeat((seed % 61) as usize);
            let tok = github_token(1000 + seed);
            text.extend_from_slice(format!("{pad} {tok}\n").as_bytes());
            expected.push((line, pad.len() as u64 + 2, tok));
        } else {
            text.extend_from_slice(b"filler filler filler filler filler filler filler\n");
        }
        line += 1;
    }
    let dir = TempDir::new().unwrap();
    write(dir.path(), "big.log", &text);
    let (code, findings, stderr) = scan_json(dir.path(), &["--show-secrets", "big.log"]);
    assert_eq!(code, 1, "{stderr}");
    let mut got: Vec<(u64, u64, String)> = findings
        .iter()
        .map(|f| {
            (
                f["line"].as_u64().unwrap(),
                f["column"].as_u64().unwrap(),
                f["secret"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    got.sort();
    assert!(expected.len() > 1000, "{}", expected.len());
    assert_eq!(got.len(), expected.len(), "lost or doubled findings");
    assert_eq!(got, expected);
}

/// Every rule's examples, cut by windows of many sizes: the streamed scan reports exactly
/// what the whole-buffer scan reports (position, rule and secret), in text and UTF-16.
#[test]
fn streamed_scan_equals_whole_scan_at_any_window_size() {
    let set = Arc::new(RuleSet::builtin().unwrap());
    let scanner = Scanner::new(
        Engine::new(Arc::clone(&set)).unwrap(),
        ScanOptions::default(),
    );
    let mut text = String::new();
    let mut seed = 7u64;
    for round in 0..3 {
        for rule in set.rules() {
            for ex in &rule.examples {
                seed += 1;
                text.push_str(&"filler line of prose\n".repeat((seed % 9) as usize));
                text.push_str(&" ".repeat((seed as usize * 7 + round) % 23));
                text.push_str(&key(ex, seed));
                text.push('\n');
            }
        }
    }
    let key_of = |f: &keysift::finding::Finding| {
        (
            f.location.line,
            f.location.column,
            f.location.end_line,
            f.location.end_column,
            f.rule.id.clone(),
            f.secret.expose().to_string(),
        )
    };
    let mut scratch = Scratch::default();
    let mut utf16 = b"\xFF\xFE".to_vec();
    utf16.extend(utf16le(&text));
    // Binary (a NUL up front), and UTF-16 followed by the same text in ASCII.
    let binary = [b"\0".as_slice(), text.as_bytes()].concat();
    let mixed = [utf16.as_slice(), text.as_bytes()].concat();
    for bytes in [text.as_bytes().to_vec(), utf16, binary, mixed] {
        let whole: Vec<_> = scanner
            .scan_blob("t.txt", &bytes, &mut scratch)
            .findings
            .iter()
            .map(key_of)
            .collect();
        assert!(whole.len() > 100, "{}", whole.len());
        for window in [4099, 20_000, 65_537] {
            let (found, read) = scanner
                .scan_stream("t.txt", bytes.as_slice(), window, &mut scratch)
                .unwrap();
            assert_eq!(read, bytes.len() as u64);
            let streamed: Vec<_> = found.findings.iter().map(key_of).collect();
            assert_eq!(streamed, whole, "window {window}");
        }
    }
}

/// The binary as a plain process, whose output streams a test can point anywhere.
fn keysift_process() -> std::process::Command {
    let mut c = std::process::Command::new(assert_cmd::cargo::cargo_bin("keysift"));
    c.env_remove("NO_COLOR");
    c
}

fn dev_full() -> std::fs::File {
    std::fs::OpenOptions::new()
        .write(true)
        .open("/dev/full")
        .expect("/dev/full (Linux)")
}

#[test]
fn full_stderr_never_panics_nor_changes_the_exit_status() {
    let dir = TempDir::new().unwrap();
    write(
        dir.path(),
        "s.env",
        format!("GITHUB_TOKEN={}\n", github_token(505)),
    );
    let out = keysift_process()
        .current_dir(dir.path())
        .args(["scan", "s.env", "--verbose"])
        .stderr(dev_full())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stdout).contains("s.env:1:14"));
    // An error message that cannot be written still ends in the error status.
    let out = keysift_process()
        .current_dir(dir.path())
        .args(["scan", "--config", "missing.toml", "s.env"])
        .stderr(dev_full())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn full_stderr_in_the_hook_still_blocks_the_commit() {
    let repo = Repo::new();
    repo.stage("s.env", format!("GITHUB_TOKEN={}\n", github_token(506)));
    let out = repo
        .keysift(&["scan", "--staged", "--verbose"])
        .stderr(dev_full())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
}

#[test]
fn full_stdout_is_an_error_exit_not_a_panic() {
    let dir = TempDir::new().unwrap();
    write(dir.path(), "rules.toml", gitrepo::TEST_RULES);
    let out = keysift_process()
        .current_dir(dir.path())
        .args(["rules", "check", "rules.toml"])
        .stdout(dev_full())
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(stderr.contains("No space left"), "{stderr}");
}

/// A `.env` with one stray NUL: binary by the usual test, yet its keys must not vanish.
fn env_with_nul(github: &str, mistral: &str) -> Vec<u8> {
    format!("# settings\0\nGITHUB_TOKEN={github}\nMISTRAL_API_KEY={mistral}\n").into_bytes()
}

fn mistral_key(seed: u64) -> String {
    key("{{alnum:31}}{{digit:1}}", seed)
}

#[test]
fn binary_files_are_scanned_for_self_identifying_keys() {
    let dir = TempDir::new().unwrap();
    let gh = github_token(507);
    write(
        dir.path(),
        "text/.env",
        env_with_nul(&gh, &mistral_key(508))
            .into_iter()
            .filter(|&b| b != 0)
            .collect::<Vec<u8>>(),
    );
    write(dir.path(), "bin/.env", env_with_nul(&gh, &mistral_key(509)));
    // As text, both keys; as binary, the prefixed one only: context rules need text.
    let (code, findings, stderr) = scan_json(dir.path(), &["text"]);
    assert_eq!(
        (code, rule_ids(&findings)),
        (1, vec!["github-pat".into(), "mistral-api-key".into()]),
        "{stderr}"
    );
    let out = keysift()
        .current_dir(dir.path())
        .args(["scan", "--format", "json", "bin"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let findings = report["findings"].as_array().unwrap();
    assert_eq!(rule_ids(findings), vec!["github-pat".to_string()]);
    assert_eq!(findings[0]["line"].as_u64(), Some(2));
    assert_eq!(report["stats"]["binary_partial"].as_u64(), Some(1));
    assert_eq!(report["stats"]["binary_skipped"].as_u64(), Some(0));
}

#[test]
fn skip_binary_restores_skipping_and_the_summary_says_so() {
    let dir = TempDir::new().unwrap();
    write(
        dir.path(),
        ".env",
        env_with_nul(&github_token(510), &mistral_key(511)),
    );
    let out = keysift()
        .current_dir(dir.path())
        .args(["scan", "--skip-binary", "."])
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{stdout}");
    assert!(stdout.contains("1 binary skipped"), "{stdout}");
    assert!(!stdout.contains("no secrets found"), "{stdout}");
    // Without the flag: found, and the summary says the file was only partly scanned.
    let out = keysift()
        .current_dir(dir.path())
        .args(["scan", "."])
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{stdout}");
    assert!(
        stdout.contains("1 binary (self-identifying keys only)"),
        "{stdout}"
    );
}

#[test]
fn binary_files_are_scanned_staged_and_in_history() {
    let repo = Repo::new();
    repo.stage(".env", env_with_nul(&github_token(512), &mistral_key(513)));
    let (code, findings, stderr) = repo.scan_staged(&[]);
    assert_eq!((code, findings.len()), (1, 1), "staged: {stderr}");
    repo.commit_unchecked("add env");
    let (code, findings, stderr) = repo.scan(&["--git"]);
    assert_eq!((code, findings.len()), (1, 1), "history: {stderr}");
    let (code, findings, stderr) = repo.scan(&["--git", "--skip-binary"]);
    assert_eq!(
        (code, findings.len()),
        (0, 0),
        "history, --skip-binary: {stderr}"
    );
}

/// UTF-16 is decoded, and its raw bytes are scanned too: a mark and UTF-16 text do not hide
/// plain ASCII appended after them.
#[test]
fn ascii_after_utf16_text_is_still_scanned() {
    let dir = TempDir::new().unwrap();
    let mut b = b"\xFF\xFE".to_vec();
    b.extend(utf16le(&"# comment line\r\n".repeat(50)));
    b.extend_from_slice(format!("\nGITHUB_TOKEN={}\n", github_token(514)).as_bytes());
    write(dir.path(), "mixed.ps1", b);
    let (code, findings, stderr) = scan_json(dir.path(), &["."]);
    assert_eq!((code, findings.len()), (1, 1), "{stderr}");
}

/// A lone surrogate past the bytes the encoding is judged on: the rest is still decoded and
/// scanned, and the file is counted and named as not fully scanned.
#[test]
fn malformed_utf16_is_scanned_around_the_bad_unit_and_counted() {
    let dir = TempDir::new().unwrap();
    let mut b = b"\xFF\xFE".to_vec();
    b.extend(utf16le(&"# x\r\n".repeat(20_000)));
    b.extend_from_slice(&0xDC00u16.to_le_bytes());
    b.extend(utf16le(&format!(
        "\r\n$env:GITHUB_TOKEN = \"{}\"\r\n",
        github_token(515)
    )));
    write(dir.path(), "profile.ps1", b);
    let out = keysift()
        .current_dir(dir.path())
        .args(["scan", "."])
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stdout}{stderr}");
    assert!(stdout.contains("profile.ps1:20002:"), "{stdout}");
    assert!(
        stdout.contains("not fully scanned: 1 malformed UTF-16"),
        "{stdout}"
    );
    assert!(stderr.contains("profile.ps1: malformed UTF-16"), "{stderr}");
}

/// A file whose size says less than it holds (a procfs file claims 0 bytes) is read to its
/// end: small files are read without trusting, or asking, their size.
#[test]
fn a_file_whose_size_lies_is_read_to_its_end() {
    let out = keysift().args(["scan", "/proc/version"]).output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let len = std::fs::read("/proc/version").unwrap().len();
    assert!(len > 0);
    let summary = format!("scanned 1 file ({len} B)");
    assert!(
        stdout.contains(&summary) || stderr.contains(&summary),
        "{stdout}{stderr}"
    );
}

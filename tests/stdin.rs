//! Standard input, FIFOs and process substitutions are scanned like files (`keysift scan -`),
//! and a run that could not scan something never says "no secrets found".

mod common;

use std::io::Write;

use common::*;
use predicates::prelude::*;
use tempfile::TempDir;

#[test]
fn dash_reads_standard_input() {
    let k = groq_key(1);
    keysift()
        .args(["scan", "-"])
        .write_stdin(format!("const k = \"{k}\";\n"))
        .assert()
        .code(1)
        .stdout(predicate::str::contains("<stdin>:1:12: Groq API key"))
        .stdout(predicate::str::contains(&k).not());
}

#[test]
fn stdin_name_names_the_stream_and_counts_as_its_path() {
    let k = groq_key(2);
    let dir = TempDir::new().unwrap();
    let (code, findings, _) = {
        let out = keysift()
            .current_dir(dir.path())
            .args([
                "scan",
                "--format",
                "json",
                "--stdin-name",
                "web/app.js",
                "-",
            ])
            .write_stdin(format!("KEY={k}\n"))
            .output()
            .unwrap();
        (out.status.code(), json_findings(&out.stdout), out.stderr)
    };
    assert_eq!(code, Some(1));
    assert_eq!(findings[0]["path"], "web/app.js");
    // The name is a path for the allowlist too: a config that allows web/ silences it.
    write(
        dir.path(),
        ".keysift.toml",
        "[allowlist]\npaths = ['^web/']\n",
    );
    keysift()
        .current_dir(dir.path())
        .args(["scan", "--stdin-name", "web/app.js", "-"])
        .write_stdin(format!("KEY={k}\n"))
        .assert()
        .code(0);
}

#[test]
fn dev_stdin_on_a_pipe_is_read() {
    let k = groq_key(3);
    keysift()
        .args(["scan", "/dev/stdin"])
        .write_stdin(format!("x = '{k}'\n"))
        .assert()
        .code(1)
        .stdout(predicate::str::contains("/dev/stdin:1:6"));
}

#[cfg(unix)]
#[test]
fn fifo_given_as_a_path_is_read() {
    let dir = TempDir::new().unwrap();
    let fifo = dir.path().join("pipe");
    let made = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap();
    assert!(made.success());
    let k = groq_key(4);
    let writer = {
        let fifo = fifo.clone();
        std::thread::spawn(move || {
            let mut f = std::fs::OpenOptions::new().write(true).open(fifo).unwrap();
            writeln!(f, "token: {k}").unwrap();
        })
    };
    keysift()
        .current_dir(dir.path())
        .args(["scan", "pipe"])
        .assert()
        .code(1)
        .stdout(predicate::str::contains("pipe:1:8: Groq API key"));
    writer.join().unwrap();
}

/// A stream larger than the read window: keys in the first and last lines, and one placed to
/// straddle a window boundary, are all found once, at their true lines.
#[test]
fn a_long_stream_is_scanned_in_windows_without_losing_keys() {
    let filler = "lorem ipsum dolor sit amet, consectetur adipiscing elit 0123456789\n";
    let lines_per_8mib = 8 * 1024 * 1024 / filler.len();
    let mut text = String::new();
    text.push_str(&format!("A={}\n", groq_key(5)));
    let mut n = 1;
    while n < lines_per_8mib * 3 {
        if n == lines_per_8mib - 100 {
            text.push_str(&format!("B={}\n", groq_key(6)));
        } else {
            text.push_str(filler);
        }
        n += 1;
    }
    text.push_str(&format!("C={}\n", groq_key(7)));
    n += 1;
    let out = keysift()
        .args(["scan", "--format", "json", "-"])
        .write_stdin(text)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let findings = json_findings(&out.stdout);
    let lines: Vec<u64> = findings
        .iter()
        .map(|f| f["line"].as_u64().unwrap())
        .collect();
    assert_eq!(lines, vec![1, lines_per_8mib as u64 - 99, n as u64]);
    assert!(findings.iter().all(|f| f["column"] == 3));
}

#[test]
fn a_missing_path_is_never_an_all_clear() {
    let dir = TempDir::new().unwrap();
    keysift()
        .current_dir(dir.path())
        .args(["scan", "does-not-exist"])
        .assert()
        .code(2)
        .stdout(predicate::str::contains("no secrets found").not())
        .stdout(predicate::str::contains("not scanned: 1 with errors"))
        .stderr(predicate::str::contains("does-not-exist"));
}

#[test]
fn report_to_a_file_prints_the_summary_on_stderr() {
    let dir = TempDir::new().unwrap();
    write(dir.path(), "a.txt", format!("{}\n", github_token(8)));
    keysift()
        .current_dir(dir.path())
        .args(["scan", "-o", "report.txt", "a.txt"])
        .assert()
        .code(1)
        .stdout(predicate::str::is_empty())
        .stderr(predicate::str::contains(
            "keysift: 1 finding (GitHub 1) in 1 file;",
        ));
}

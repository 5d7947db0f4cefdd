//! Baselines: `keysift baseline create` records current findings without their secrets;
//! `--baseline` suppresses them in scans and in the hook, across line moves and renames;
//! stale entries are harmless; a bad baseline file is an error.

mod common;
mod gitrepo;

use common::{github_token, secret_line};
use gitrepo::{Repo, paths};

const BASELINE: &str = ".keysift-baseline.json";

fn create_baseline(repo: &Repo) -> serde_json::Value {
    let out = repo.keysift(&["baseline", "create"]).output().unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = std::fs::read_to_string(repo.path().join(BASELINE)).unwrap();
    serde_json::from_str(&text).unwrap()
}

#[test]
fn baseline_records_fingerprints_but_never_the_secret() {
    let repo = Repo::new();
    repo.write("tests/fixtures/a.yml", secret_line(1));
    repo.write("b.env", format!("x\n{}", secret_line(2)));
    let b = create_baseline(&repo);
    assert_eq!(b["version"], 1);
    let entries = b["entries"].as_array().unwrap();
    assert_eq!(entries.len(), 2);
    assert_eq!(entries[0]["path"], "b.env");
    assert_eq!(entries[0]["rule"], "testhub-token");
    assert_eq!(
        entries[0]["hint"],
        format!("{}…[40 chars]", &github_token(2)[..4])
    );
    // The fingerprint is the one reports print.
    let (_, findings, _) = repo.scan(&["b.env"]);
    assert_eq!(entries[0]["fingerprint"], findings[0]["fingerprint"]);
    let text = std::fs::read_to_string(repo.path().join(BASELINE)).unwrap();
    assert!(!text.contains(&github_token(1)[4..]));
    assert!(!text.contains(&github_token(2)[4..]));
}

#[test]
fn baseline_suppresses_known_findings_and_reports_new_ones() {
    let repo = Repo::new();
    repo.write("config.yml", secret_line(3));
    create_baseline(&repo);
    let (code, findings, _) = repo.scan(&["--baseline", BASELINE, "."]);
    assert_eq!((code, findings.len()), (0, 0));
    // Lines move, the file is renamed: still known.
    std::fs::remove_file(repo.path().join("config.yml")).unwrap();
    repo.write(
        "conf/renamed.yml",
        format!("a: 1\nb: 2\n{}", secret_line(3)),
    );
    let (code, findings, _) = repo.scan(&["--baseline", BASELINE, "."]);
    assert_eq!((code, findings.len()), (0, 0));
    // A different secret is new.
    repo.write("other.yml", secret_line(4));
    let (code, findings, _) = repo.scan(&["--baseline", BASELINE, "."]);
    assert_eq!((code, paths(&findings)), (1, vec!["other.yml".to_string()]));
}

#[test]
fn stale_entries_are_harmless() {
    let repo = Repo::new();
    repo.write("config.yml", secret_line(5));
    create_baseline(&repo);
    std::fs::remove_file(repo.path().join("config.yml")).unwrap();
    repo.write("clean.txt", "nothing\n");
    let (code, findings, stderr) = repo.scan(&["--baseline", BASELINE, "."]);
    assert_eq!((code, findings.len()), (0, 0), "{stderr}");
}

/// Every built-in rule's examples, expanded: one file each.
fn write_builtin_examples(repo: &Repo) -> usize {
    let out = repo
        .keysift(&["rules", "--format", "json"])
        .output()
        .unwrap();
    let rules: Vec<serde_json::Value> = serde_json::from_slice(&out.stdout).unwrap();
    let mut n = 0;
    for r in &rules {
        for (i, ex) in r["examples"].as_array().unwrap().iter().enumerate() {
            let text = keysift::rules::expand_template(ex.as_str().unwrap(), 1000 + i as u64);
            repo.write(&format!("ex/{}-{i}.txt", r["id"].as_str().unwrap()), text);
            n += 1;
        }
    }
    n
}

#[test]
fn scanning_the_baseline_file_itself_finds_nothing() {
    let repo = Repo::new();
    for i in 0..20 {
        repo.write(&format!("f{i}.txt"), secret_line(100 + i));
    }
    write_builtin_examples(&repo);
    let first = create_baseline(&repo);
    let recorded = first["entries"].as_array().unwrap().len();
    assert!(recorded >= 20);
    let (code, findings, _) = repo.scan(&["--baseline", BASELINE, BASELINE]);
    assert_eq!((code, findings.len()), (0, 0), "{findings:#?}");
    // Staged, through the hook.
    repo.git(&["add", BASELINE]);
    let (code, findings, _) = repo.scan_staged(&["--baseline", BASELINE]);
    assert_eq!((code, findings.len()), (0, 0), "{findings:#?}");
    // Recreating the baseline records the same entries, nothing from the old baseline.
    assert_eq!(create_baseline(&repo), first);
}

#[test]
fn hook_honours_the_baseline() {
    let repo = Repo::new();
    repo.stage("tests/fixture.txt", secret_line(6));
    repo.commit_unchecked("fixture");
    create_baseline(&repo);
    repo.git(&["add", BASELINE]);
    repo.commit_unchecked("baseline");
    // The known fixture key copied into a new file, next to a new secret.
    repo.stage(
        "tests/more.txt",
        format!("{}{}", secret_line(6), secret_line(7)),
    );
    let (code, findings, _) = repo.scan_staged(&["--baseline", BASELINE]);
    assert_eq!(code, 1);
    assert_eq!(findings.len(), 1);
    assert_eq!(findings[0]["line"], 2);
    // Through git commit with the installed hook.
    let rules = repo.rules();
    let out = repo
        .keysift(&[
            "install-hook",
            "--",
            "--rules",
            rules.to_str().unwrap(),
            "--baseline",
            BASELINE,
        ])
        .output()
        .unwrap();
    assert!(out.status.success());
    let blocked = repo.git_output(&["commit", "-q", "-m", "x"]);
    assert!(!blocked.status.success());
    let stderr = String::from_utf8_lossy(&blocked.stderr);
    assert!(stderr.contains("tests/more.txt:2:"), "{stderr}");
    assert!(!stderr.contains("tests/more.txt:1:"), "{stderr}");
    repo.stage("tests/more.txt", secret_line(6));
    let ok = repo.git_output(&["commit", "-q", "-m", "x"]);
    assert!(
        ok.status.success(),
        "{}",
        String::from_utf8_lossy(&ok.stderr)
    );
}

#[test]
fn missing_bad_and_newer_baselines_are_errors() {
    let repo = Repo::new();
    repo.write("a.txt", "clean\n");
    let (code, _, stderr) = repo.scan(&["--baseline", "nope.json", "."]);
    assert_eq!(code, 2);
    assert!(
        stderr.contains("cannot read baseline nope.json"),
        "{stderr}"
    );
    repo.write("bad.json", "{ not json");
    let (code, _, stderr) = repo.scan(&["--baseline", "bad.json", "."]);
    assert_eq!(code, 2);
    assert!(
        stderr.contains("baseline bad.json is not valid"),
        "{stderr}"
    );
    repo.write("new.json", r#"{"version": 99, "entries": []}"#);
    let (code, _, stderr) = repo.scan(&["--baseline", "new.json", "."]);
    assert_eq!(code, 2);
    assert!(stderr.contains("version 99"), "{stderr}");
}

#[test]
fn baseline_create_writes_where_asked() {
    let repo = Repo::new();
    repo.write("a.txt", secret_line(8));
    let out = repo
        .keysift(&["baseline", "create", "-o", "custom.json", "a.txt"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&out.stdout).contains("recorded 1 finding in custom.json"));
    let (code, findings, _) = repo.scan(&["--baseline", "custom.json", "a.txt"]);
    assert_eq!((code, findings.len()), (0, 0));
}

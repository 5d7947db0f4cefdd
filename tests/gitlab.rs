//! `--format gitlab` writes GitLab's secret-detection report: validated against GitLab's own
//! published schema (tests/data/gitlab, see its README), always redacted, with commits for
//! history findings; and the docs/gitlab-ci.yml example wires it up.

mod common;
mod schema;

use std::{path::Path, sync::OnceLock};

use common::*;
use serde_json::Value;
use tempfile::TempDir;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// GitLab's schema 15.0.7, compiled once per test binary.
fn gitlab_schema() -> &'static jsonschema::Validator {
    static SCHEMA: OnceLock<jsonschema::Validator> = OnceLock::new();
    SCHEMA.get_or_init(|| schema::validator("gitlab/secret-detection-report-format-15.0.7.json"))
}

fn assert_schema_valid(report: &Value) {
    schema::assert_valid(gitlab_schema(), report, "the GitLab report");
}

fn gitlab_report(dir: &Path, args: &[&str]) -> (i32, Value) {
    let out = keysift()
        .current_dir(dir)
        .args(["scan", "--format", "gitlab"])
        .args(args)
        .output()
        .unwrap();
    let report = serde_json::from_slice(&out.stdout).expect("the report is JSON");
    (out.status.code().unwrap(), report)
}

#[test]
fn report_validates_and_never_holds_the_secret() {
    let dir = TempDir::new().unwrap();
    let tok = github_token(60);
    let groq = key("gsk_{{alnum:52}}", 61);
    write(
        dir.path(),
        "config/app.env",
        format!("GH={tok}\nGROQ_API_KEY={groq}\n"),
    );
    let (code, report) = gitlab_report(dir.path(), &["--show-secrets", "."]);
    assert_eq!(code, 1);
    assert_schema_valid(&report);
    let raw = report.to_string();
    assert!(
        !raw.contains(&tok) && !raw.contains(&groq),
        "the report leaks a secret"
    );

    assert_eq!(report["version"], "15.0.7");
    assert_eq!(report["scan"]["type"], "secret_detection");
    assert_eq!(report["scan"]["status"], "success");
    let vulns = report["vulnerabilities"].as_array().unwrap();
    assert_eq!(vulns.len(), 2);
    let v = &vulns[0];
    assert_eq!(v["location"]["file"], "config/app.env");
    assert_eq!(v["location"]["start_line"], 1);
    assert_eq!(v["location"]["commit"]["sha"], "0000000");
    assert!(["Critical", "High", "Medium", "Low"].contains(&v["severity"].as_str().unwrap()));
    assert_eq!(v["identifiers"][0]["type"], "keysift_rule_id");
    // Stable ids: a second run names the same vulnerabilities the same way.
    let (_, again) = gitlab_report(dir.path(), &["."]);
    assert_eq!(again["vulnerabilities"][0]["id"], v["id"]);
}

#[test]
fn a_clean_scan_validates_and_lists_what_was_not_scanned() {
    let dir = TempDir::new().unwrap();
    write(dir.path(), "a.txt", "nothing\n");
    let (code, report) = gitlab_report(dir.path(), &[".", "missing.txt"]);
    assert_eq!(code, 2);
    assert_schema_valid(&report);
    assert_eq!(report["vulnerabilities"].as_array().unwrap().len(), 0);
    let messages = report["scan"]["messages"].to_string();
    assert!(messages.contains("missing.txt"), "{messages}");
}

#[test]
fn history_findings_carry_their_commit() {
    let dir = TempDir::new().unwrap();
    let git = |args: &[&str]| {
        let out = std::process::Command::new("git")
            .current_dir(dir.path())
            .env("GIT_CONFIG_GLOBAL", "/dev/null")
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .args(["-c", "user.name=T", "-c", "user.email=t@example.invalid"])
            .args(args)
            .output()
            .unwrap();
        assert_success(&out);
        String::from_utf8_lossy(&out.stdout).trim().to_string()
    };
    git(&["init", "-q"]);
    write(
        dir.path(),
        "deploy.env",
        format!("TOKEN={}\n", github_token(62)),
    );
    git(&["add", "-A"]);
    git(&["commit", "-q", "-m", "deploy settings"]);
    let sha = git(&["rev-parse", "HEAD"]);
    let (code, report) = gitlab_report(dir.path(), &["--git", "."]);
    assert_eq!(code, 1);
    assert_schema_valid(&report);
    let commit = &report["vulnerabilities"][0]["location"]["commit"];
    assert_eq!(commit["sha"], sha.as_str());
    assert_eq!(commit["message"], "deploy settings");
}

/// The example CI file is valid YAML, writes the report where the artifact reads it, and is
/// shown verbatim in the README.
#[test]
fn gitlab_ci_example_wires_the_report_up() {
    let path = root().join("docs/gitlab-ci.yml");
    let doc = schema::yaml_file("docs/gitlab-ci.yml");
    let job = &doc["keysift"];
    let report = job["artifacts"]["reports"]["secret_detection"]
        .as_str()
        .expect("artifacts.reports.secret_detection");
    let script = job["script"].to_string();
    assert!(script.contains("--format gitlab"), "{script}");
    assert!(script.contains(&format!("-o {report}")), "{script}");
    assert_eq!(job["artifacts"]["when"], "always");

    let readme = std::fs::read_to_string(root().join("README.md")).unwrap();
    let example = std::fs::read_to_string(&path).unwrap();
    assert!(
        readme.contains(&format!("```yaml\n{example}```\n")),
        "README.md must show docs/gitlab-ci.yml verbatim"
    );
}

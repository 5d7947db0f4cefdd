//! `--format sarif` end to end: every report the tests make is validated against the OASIS
//! SARIF 2.1.0 schema with its errata (tests/data/sarif-2.1.0.json; tests/data/README.md says
//! where it comes from) and against GitHub code scanning's own rules, and never contains a raw
//! secret.

mod common;
mod schema;

use std::{collections::BTreeSet, path::Path, sync::OnceLock};

use common::*;
use keysift::{
    report::sarif::{FINGERPRINT_KEY, MAX_RESULTS},
    rules::{RuleSet, expand_template},
};
use serde_json::Value;
use tempfile::TempDir;

/// Runs `keysift scan --format sarif ARGS` in `dir`: (exit code, SARIF, stderr).
fn scan_sarif(dir: &Path, args: &[&str]) -> (i32, Value, String) {
    let out = keysift()
        .current_dir(dir)
        .args(["scan", "--format", "sarif"])
        .args(args)
        .output()
        .expect("keysift runs");
    let sarif: Value = serde_json::from_slice(&out.stdout).expect("SARIF is JSON");
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    (out.status.code().expect("exit code"), sarif, stderr)
}

/// The SARIF 2.1.0 schema, compiled once per test binary.
fn sarif_schema() -> &'static jsonschema::Validator {
    static SCHEMA: OnceLock<jsonschema::Validator> = OnceLock::new();
    SCHEMA.get_or_init(|| schema::validator("sarif-2.1.0.json"))
}

/// Validates `sarif` against the SARIF 2.1.0 schema, URI and date-time formats included.
fn assert_schema_valid(sarif: &Value) {
    schema::assert_valid(sarif_schema(), sarif, "SARIF");
}

/// GitHub code scanning's rules beyond the schema, and keysift's own promises.
fn assert_github_rules(sarif: &Value) {
    assert_eq!(sarif["version"], "2.1.0");
    let runs = sarif["runs"].as_array().expect("runs");
    assert_eq!(runs.len(), 1);
    let run = &runs[0];
    let driver = &run["tool"]["driver"];
    assert_eq!(driver["name"], "keysift");
    assert_eq!(driver["version"], env!("CARGO_PKG_VERSION"));
    assert!(
        driver["informationUri"]
            .as_str()
            .unwrap()
            .starts_with("https://")
    );
    let rules = driver["rules"].as_array().expect("rules array");
    let mut ids = BTreeSet::new();
    for r in rules {
        let id = r["id"].as_str().expect("rule id");
        assert!(ids.insert(id), "rule {id} listed twice");
        for field in [
            "name",
            "shortDescription/text",
            "fullDescription/text",
            "help/text",
        ] {
            let v = r.pointer(&format!("/{field}")).and_then(Value::as_str);
            assert!(v.is_some_and(|s| !s.is_empty()), "{id}: missing {field}");
        }
        let md = r["help"]["markdown"].as_str().expect("help markdown");
        assert!(
            md.contains("Revoke or rotate the key"),
            "{id}: help says how to revoke"
        );
        let props = &r["properties"];
        assert!(
            props["tags"]
                .as_array()
                .is_some_and(|t| t.contains(&"security".into()))
        );
        assert!(
            ["very-high", "high", "medium", "low"].contains(&props["precision"].as_str().unwrap())
        );
        let sev: f64 = props["security-severity"]
            .as_str()
            .expect("security-severity is a string")
            .parse()
            .expect("security-severity is a number");
        assert!((0.0..=10.0).contains(&sev), "{id}: severity {sev}");
    }
    let results = run["results"].as_array().expect("results array");
    assert!(results.len() <= MAX_RESULTS);
    for res in results {
        let idx = res["ruleIndex"].as_u64().expect("ruleIndex") as usize;
        assert_eq!(
            rules[idx]["id"], res["ruleId"],
            "ruleIndex points at the rule"
        );
        assert!(["error", "warning", "note"].contains(&res["level"].as_str().unwrap()));
        assert!(!res["message"]["text"].as_str().unwrap().is_empty());
        let pf = res["partialFingerprints"]
            .as_object()
            .expect("partialFingerprints");
        assert!(pf[FINGERPRINT_KEY].as_str().is_some_and(|s| s.len() == 32));
        assert!(
            !pf.contains_key("primaryLocationLineHash"),
            "left to the upload action"
        );
        let locs = res["locations"].as_array().expect("locations");
        assert_eq!(locs.len(), 1);
        let phys = &locs[0]["physicalLocation"];
        let art = &phys["artifactLocation"];
        assert_eq!(art["uriBaseId"], "%SRCROOT%");
        assert_relative_uri(art["uri"].as_str().expect("uri"));
        let region = &phys["region"];
        let n = |k: &str| region[k].as_u64().unwrap_or_else(|| panic!("region.{k}"));
        let (sl, sc, el, ec) = (
            n("startLine"),
            n("startColumn"),
            n("endLine"),
            n("endColumn"),
        );
        assert!(
            sl >= 1 && sc >= 1 && el >= sl && ec >= 1,
            "1-based region {region}"
        );
        assert!(el > sl || ec > sc, "non-empty region {region}");
    }
}

/// A relative reference GitHub maps onto the repository: no scheme, no leading `/` or `./`,
/// no `..`, and only URI characters (spaces and non-ASCII percent-encoded).
fn assert_relative_uri(uri: &str) {
    assert!(!uri.is_empty());
    assert!(!uri.starts_with('/') && !uri.starts_with("./"), "{uri}");
    assert!(
        !uri.split('/')
            .any(|s| s == ".." || s == "." || s.is_empty()),
        "{uri}"
    );
    assert!(
        !uri.split('/').next().unwrap().contains(':'),
        "{uri} looks like a scheme"
    );
    assert!(
        uri.bytes()
            .all(|b| b.is_ascii_graphic() && !b"\\\"<>^`{|}#?[]".contains(&b)),
        "{uri} is not percent-encoded"
    );
}

fn results(sarif: &Value) -> &Vec<Value> {
    sarif["runs"][0]["results"].as_array().expect("results")
}

fn uris(sarif: &Value) -> Vec<String> {
    results(sarif)
        .iter()
        .map(|r| {
            r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
                .as_str()
                .unwrap()
                .to_string()
        })
        .collect()
}

/// The raw secrets in `dir`, learnt from a JSON report with `--show-secrets`.
fn raw_secrets(dir: &Path, args: &[&str]) -> Vec<String> {
    let mut all = vec!["--show-secrets"];
    all.extend_from_slice(args);
    let (_, findings, _) = scan_json(dir, &all);
    findings
        .iter()
        .map(|f| f["secret"].as_str().unwrap().to_string())
        .collect()
}

fn assert_no_raw_secret(sarif: &Value, secrets: &[String]) {
    let text = serde_json::to_string(sarif).unwrap();
    for s in secrets {
        assert!(
            !text.contains(s.as_str()),
            "SARIF leaks a secret of {} chars",
            s.len()
        );
    }
}

/// The seed `rules::check` gives example `index` of `rule`, so these files hold exactly the
/// strings the rule self-test proves each rule finds.
fn example_seed(rule: &str, index: usize) -> u64 {
    rule.bytes().fold(0xcbf2_9ce4_8422_2325u64, |h, b| {
        (h ^ b as u64).wrapping_mul(0x100_0000_01b3)
    }) ^ index as u64
}

#[test]
fn every_builtin_rule_and_provider_yields_valid_sarif_without_secrets() {
    let set = RuleSet::builtin().expect("built-in rules load");
    assert!(!set.is_empty(), "no built-in rules");
    let dir = TempDir::new().unwrap();
    for rule in set.rules() {
        for (i, t) in rule.examples.iter().enumerate() {
            let text = expand_template(t, example_seed(&rule.id, i));
            write(
                dir.path(),
                &format!("examples/{}/{i}.txt", rule.id),
                format!("{text}\n"),
            );
        }
    }
    let (code, sarif, stderr) = scan_sarif(dir.path(), &["."]);
    assert_eq!(code, 1, "{stderr}");
    assert_schema_valid(&sarif);
    assert_github_rules(&sarif);
    assert_no_raw_secret(&sarif, &raw_secrets(dir.path(), &["."]));

    let found: BTreeSet<&str> = results(&sarif)
        .iter()
        .map(|r| r["ruleId"].as_str().unwrap())
        .collect();
    let listed: BTreeSet<&str> = sarif["runs"][0]["tool"]["driver"]["rules"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_str().unwrap())
        .collect();
    assert_eq!(found, listed, "rules[] lists exactly the rules that appear");
    let providers: BTreeSet<&str> = results(&sarif)
        .iter()
        .map(|r| r["properties"]["provider"].as_str().unwrap())
        .collect();
    for rule in set.rules() {
        assert!(
            found.contains(rule.id.as_str()),
            "no SARIF result for rule {}",
            rule.id
        );
        assert!(
            providers.contains(rule.provider.id.as_str()),
            "no result for {}",
            rule.provider.id
        );
    }
}

#[test]
fn json_and_sarif_carry_the_same_findings() {
    let dir = TempDir::new().unwrap();
    write(
        dir.path(),
        "a.env",
        format!(
            "GITHUB_TOKEN={}\nOTHER={}\n",
            github_token(11),
            github_token(12)
        ),
    );
    write(
        dir.path(),
        "sub dir/b.yml",
        format!("x:\n  token: \"{}\"\n", github_token(13)),
    );
    write(dir.path(), "clean.txt", "nothing here\n");
    let (code, findings, _) = scan_json(dir.path(), &["."]);
    assert_eq!(code, 1);
    let (code, sarif, _) = scan_sarif(dir.path(), &["."]);
    assert_eq!(code, 1);
    assert_schema_valid(&sarif);
    assert_github_rules(&sarif);

    let from_json: BTreeSet<(String, String, u64, u64, u64, u64, String)> = findings
        .iter()
        .map(|f| {
            let path = f["path"].as_str().unwrap().replace(' ', "%20");
            let n = |k: &str| f[k].as_u64().unwrap();
            let fp = f["fingerprint"].as_str().unwrap().to_string();
            (
                f["rule"].as_str().unwrap().to_string(),
                path,
                n("line"),
                n("column"),
                n("end_line"),
                n("end_column") + 1,
                fp,
            )
        })
        .collect();
    let from_sarif: BTreeSet<(String, String, u64, u64, u64, u64, String)> = results(&sarif)
        .iter()
        .map(|r| {
            let phys = &r["locations"][0]["physicalLocation"];
            let reg = &phys["region"];
            let n = |k: &str| reg[k].as_u64().unwrap();
            (
                r["ruleId"].as_str().unwrap().to_string(),
                phys["artifactLocation"]["uri"]
                    .as_str()
                    .unwrap()
                    .to_string(),
                n("startLine"),
                n("startColumn"),
                n("endLine"),
                n("endColumn"),
                r["partialFingerprints"][FINGERPRINT_KEY]
                    .as_str()
                    .unwrap()
                    .to_string(),
            )
        })
        .collect();
    assert_eq!(from_json.len(), 3);
    assert_eq!(from_json, from_sarif);
}

#[test]
fn fingerprint_is_stable_when_the_secret_moves_to_another_line() {
    let dir = TempDir::new().unwrap();
    let tok = github_token(21);
    write(dir.path(), "config.py", format!("TOKEN = \"{tok}\"\n"));
    let (_, before, _) = scan_sarif(dir.path(), &["."]);
    write(
        dir.path(),
        "config.py",
        format!("import os\n\n\n# moved\n    TOKEN = \"{tok}\"\n"),
    );
    let (_, after, _) = scan_sarif(dir.path(), &["."]);
    assert_schema_valid(&after);
    let fp = |s: &Value| results(s)[0]["partialFingerprints"][FINGERPRINT_KEY].clone();
    let line = |s: &Value| {
        results(s)[0]["locations"][0]["physicalLocation"]["region"]["startLine"].clone()
    };
    assert_eq!((line(&before), line(&after)), (1.into(), 5.into()));
    assert_eq!(fp(&before), fp(&after));

    write(
        dir.path(),
        "config.py",
        format!("TOKEN = \"{}\"\n", github_token(22)),
    );
    let (_, other, _) = scan_sarif(dir.path(), &["."]);
    assert_ne!(fp(&before), fp(&other), "another secret is another alert");
}

#[test]
fn paths_become_relative_percent_encoded_uris_however_given() {
    let dir = TempDir::new().unwrap();
    write(
        dir.path(),
        "sub dir/ключ #1.txt",
        format!("{}\n", github_token(31)),
    );
    let abs = dir.path().join("sub dir");
    let abs = abs.to_str().unwrap();
    let want = "sub%20dir/%D0%BA%D0%BB%D1%8E%D1%87%20%231.txt";
    for arg in [".", "./sub dir", "sub dir", abs, "./sub dir/../sub dir"] {
        let (code, sarif, stderr) = scan_sarif(dir.path(), &[arg]);
        assert_eq!(code, 1, "{arg}: {stderr}");
        assert_eq!(uris(&sarif), [want], "scan {arg}");
        assert_github_rules(&sarif);
    }
    let (_, sarif, _) = scan_sarif(dir.path(), &[abs]);
    assert_schema_valid(&sarif);
}

#[test]
fn sarif_written_to_a_file_with_nothing_found_is_valid() {
    let dir = TempDir::new().unwrap();
    write(dir.path(), "readme.md", "no keys\n");
    keysift()
        .current_dir(dir.path())
        .args(["scan", "--format", "sarif", "-o", "out.sarif", "."])
        .assert()
        .code(0);
    let sarif: Value =
        serde_json::from_slice(&std::fs::read(dir.path().join("out.sarif")).unwrap()).unwrap();
    assert_schema_valid(&sarif);
    assert_github_rules(&sarif);
    assert!(results(&sarif).is_empty());
    assert_eq!(
        sarif["runs"][0]["invocations"][0]["executionSuccessful"],
        true
    );
}

#[test]
fn show_secrets_does_not_apply_to_sarif() {
    let dir = TempDir::new().unwrap();
    let tok = github_token(41);
    write(dir.path(), "a.txt", format!("t = {tok}\n"));
    let (code, sarif, _) = scan_sarif(dir.path(), &["--show-secrets", "."]);
    assert_eq!(code, 1);
    assert_no_raw_secret(&sarif, std::slice::from_ref(&tok));
    let snippet =
        &results(&sarif)[0]["locations"][0]["physicalLocation"]["contextRegion"]["snippet"]["text"];
    assert_eq!(
        snippet.as_str().unwrap(),
        format!("t = {}…[40 chars]", &tok[..4])
    );
}

#[cfg(unix)]
#[test]
fn scan_problems_become_tool_notifications() {
    let dir = TempDir::new().unwrap();
    write(dir.path(), "a.txt", format!("{}\n", github_token(51)));
    std::os::unix::fs::symlink(dir.path().join("missing"), dir.path().join("broken")).unwrap();
    let (code, sarif, _) = scan_sarif(dir.path(), &["."]);
    assert_eq!(code, 1);
    assert_schema_valid(&sarif);
    assert_github_rules(&sarif);
    let notes = sarif["runs"][0]["invocations"][0]["toolExecutionNotifications"]
        .as_array()
        .expect("notifications");
    assert!(
        notes
            .iter()
            .any(|n| n["message"]["text"].as_str().unwrap().contains("broken")),
        "{notes:?}"
    );
}

/// Past GitHub's 25,000 results a run, SARIF keeps the most severe, warns on stderr and says
/// so in the log; the exit status still reports findings.
#[test]
fn result_limit_keeps_the_most_severe_and_warns() {
    let dir = TempDir::new().unwrap();
    write(
        dir.path(),
        "low.toml",
        r#"
[provider]
id = "lowco"
name = "LowCo"
revoke = "https://lowco.example/keys"

[[rule]]
id = "lowco-key"
name = "LowCo key"
description = "A low-severity test key."
regex = '''\b(lowco_[a-z0-9]{20})\b'''
keywords = ["lowco_"]
severity = "2.0"
precision = "low"
remediation = "Revoke it at https://lowco.example/keys."
examples = ["lowco_{{loweralnum:20}}"]
"#,
    );
    let mut text = format!("{}\n", key("lowco_{{loweralnum:20}}", 1));
    for i in 0..MAX_RESULTS + 50 {
        text.push_str(&github_token(1000 + i as u64));
        text.push('\n');
    }
    write(dir.path(), "many/keys.txt", text);
    let (code, sarif, stderr) = scan_sarif(dir.path(), &["--rules", "low.toml", "many"]);
    assert_eq!(code, 1);
    let res = results(&sarif);
    assert_eq!(res.len(), MAX_RESULTS);
    assert!(
        res.iter().all(|r| r["ruleId"] != "lowco-key"),
        "the least severe is dropped"
    );
    assert_eq!(
        res[0]["locations"][0]["physicalLocation"]["region"]["startLine"],
        2
    );
    assert!(
        stderr.contains("warning") && stderr.contains("25000"),
        "{stderr}"
    );
    let notes = &sarif["runs"][0]["invocations"][0]["toolExecutionNotifications"];
    assert_eq!(notes[0]["descriptor"]["id"], "keysift/result-limit");
    assert_eq!(notes[0]["level"], "warning");
}

/// `--verify` fills `Finding::verification`; its SARIF slot (level `error` and
/// `properties.verification` for a live key) must validate too.
#[test]
fn verified_findings_validate_and_live_ones_are_errors() {
    use keysift::{
        detect::engine::{Engine, Scratch},
        finding::Verification,
        outcome::Outcome,
        report::SarifReporter,
        scan::{ScanOptions, Scanner},
    };
    let set = RuleSet::builtin().expect("built-in rules load");
    let scanner = Scanner::new(
        Engine::new(std::sync::Arc::new(set)).unwrap(),
        ScanOptions::default(),
    );
    let text = format!(
        "a = {}\nb = {}\nc = {}\n",
        github_token(61),
        github_token(62),
        github_token(63)
    );
    let mut findings = scanner.scan_text("src/app.py", text.as_bytes(), &mut Scratch::default());
    assert_eq!(findings.len(), 3);
    findings[0].verification = Some(Verification::Live);
    findings[1].verification = Some(Verification::Invalid);
    findings[2].verification = Some(Verification::Unknown {
        reason: "HTTP 429".into(),
    });
    let outcome = Outcome {
        findings,
        ..Outcome::default()
    };
    let (log, _) = SarifReporter::new(std::env::current_dir().unwrap()).build(&outcome);
    let sarif = serde_json::to_value(&log).unwrap();
    assert_schema_valid(&sarif);
    assert_github_rules(&sarif);
    let res = results(&sarif);
    let states: Vec<(&str, &str)> = res
        .iter()
        .map(|r| {
            (
                r["level"].as_str().unwrap(),
                r["properties"]["verification"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        states,
        [
            ("error", "live"),
            ("error", "invalid"),
            ("error", "unknown")
        ]
    );
    assert_eq!(res[0]["properties"]["live"], true);
    assert_eq!(res[1]["properties"]["live"], false);
    assert_eq!(res[2]["properties"]["verificationReason"], "HTTP 429");
}

/// The schema check itself can fail: a real report passes, and each way of breaking it is
/// caught where it is broken. The URIs fail only because formats are checked, the region
/// without a start only because the schema carries the SARIF errata.
#[test]
fn the_schema_check_rejects_broken_sarif() {
    let dir = TempDir::new().unwrap();
    write(dir.path(), "a.txt", format!("{}\n", github_token(71)));
    let (code, sarif, stderr) = scan_sarif(dir.path(), &["."]);
    assert_eq!(code, 1, "{stderr}");
    assert_schema_valid(&sarif);

    let result = "/runs/0/results/0";
    let phys = &format!("{result}/locations/0/physicalLocation");
    let uri = &format!("{phys}/artifactLocation/uri");
    let region = &format!("{phys}/region");
    let start = &format!("{region}/startLine");
    // (where the schema must complain, what to change: a new value there, or None to remove it)
    let cases: [(&str, &str, Option<Value>); 8] = [
        (uri, uri, Some("sub dir/a b.txt".into())),
        (uri, uri, Some("a%zz.txt".into())),
        ("/$schema", "/$schema", Some("not a uri".into())),
        (start, start, Some(0.into())),
        (
            &format!("{result}/level"),
            &format!("{result}/level"),
            Some("fatal".into()),
        ),
        (region, start, None),
        ("", "/version", None),
        ("", "/keysiftExtra", Some(true.into())),
    ];
    for (error_at, edit_at, value) in cases {
        let mut broken = sarif.clone();
        let (parent, key) = edit_at.rsplit_once('/').expect("a pointer");
        let object = broken
            .pointer_mut(parent)
            .and_then(Value::as_object_mut)
            .unwrap_or_else(|| panic!("no object at {parent:?}"));
        match value {
            Some(v) => object.insert(key.to_string(), v),
            None => object.remove(key),
        };
        let errors = schema::errors(sarif_schema(), &broken);
        assert!(
            errors
                .iter()
                .any(|e| e.starts_with(&format!("{error_at}: "))),
            "{edit_at}: no schema error at {error_at:?}; errors: {errors:?}"
        );
    }
}

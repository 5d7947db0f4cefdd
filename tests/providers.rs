//! Plants one key of every built-in rule in a tree and scans it with the real binary: each
//! must be reported exactly once, with its own rule, redacted, and the run exits 1.

mod common;

use common::*;
use keysift::rules::{RuleSet, expand_template};

use tempfile::TempDir;

#[test]
fn every_planted_key_is_reported_once_with_its_rule() {
    let set = RuleSet::builtin().expect("built-in rules load");
    let dir = TempDir::new().unwrap();
    let mut expected = Vec::new();
    for (i, rule) in set.rules().iter().enumerate() {
        let example = expand_template(&rule.examples[0], 7_000 + i as u64);
        write(
            dir.path(),
            &format!("planted/{}.txt", rule.id),
            format!("{example}\n"),
        );
        expected.push(rule.id.clone());
    }
    expected.sort();
    let (code, findings, stderr) = scan_json(dir.path(), &["."]);
    assert_eq!(code, 1, "{stderr}");
    assert_eq!(rule_ids(&findings), expected);
    for f in &findings {
        let path = f["path"].as_str().unwrap();
        assert_eq!(path, format!("planted/{}.txt", f["rule"].as_str().unwrap()));
        let planted = std::fs::read_to_string(dir.path().join(path)).unwrap();
        let secret = f["secret"].as_str().unwrap();
        assert!(secret.contains("…["), "not redacted: {secret}");
        let shown = secret.split('…').next().unwrap();
        assert!(planted.contains(shown));
    }
    // The same scan with --show-secrets gives the raw secrets: none may appear redacted.
    let (_, shown, _) = scan_json(dir.path(), &["--show-secrets", "."]);
    let redacted = serde_json::to_string(&findings).unwrap();
    for f in &shown {
        let secret = f["secret"].as_str().unwrap();
        assert!(!secret.contains("…["));
        assert!(!redacted.contains(secret), "{} leaks its secret", f["rule"]);
    }
}

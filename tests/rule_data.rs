//! The rule model as data: word lists loaded from rule files (and kept out of `src/`), user
//! word lists good and bad, checksums, categories, aliases and character classes on the
//! random body of a key. Each test drives the real binary except the source scan.

mod common;

use std::collections::BTreeSet;
use std::path::Path;

use common::*;
use keysift::rules::{List, RuleSet};
use tempfile::TempDir;

/// The one file of `src/` that may name providers: the compiled table of where each
/// provider's keys may be sent (`--verify`), reviewed as code.
const HOST_TABLE: &str = "rules/hosts.rs";

/// Files whose unit tests check `[verify]` blocks and requests against that table, so they
/// name its providers (their non-test code may not).
const HOST_TABLE_TESTS: &[&str] = &["rules/verify_spec.rs", "verify/mod.rs"];

/// Words that are also the names of things other than a key's provider: `(file or folder
/// under src/, word, why)`.
const NOT_PROVIDERS: &[(&str, &str, &str)] = &[
    (
        "report/",
        "github",
        "GitHub code scanning and Actions read keysift's reports",
    ),
    (
        "cli.rs",
        "github",
        "the SARIF format's help names GitHub code scanning",
    ),
    ("report/sarif.rs", "segment", "a segment of a path"),
    (
        "report/",
        "gitlab",
        "GitLab's secret-detection report format (`--format gitlab`)",
    ),
    ("cli.rs", "gitlab", "the `--format gitlab` option"),
    ("app.rs", "gitlab", "wiring of `--format gitlab`"),
    (
        "",
        "together",
        "the English word, which is also a provider's id",
    ),
];

/// Rule ids, former ids, provider ids, the `services` word list and every word a provider's
/// file adds to a word list: the names that must live in rule data, not in code.
fn provider_words(set: &RuleSet) -> BTreeSet<String> {
    let shared = set.shared_words();
    let mut words: BTreeSet<String> = shared.get(List::Services).iter().cloned().collect();
    for (rule, lists) in set.rules().iter().zip(set.rule_words()) {
        words.extend(rule.ids().map(str::to_string));
        words.insert(rule.provider.id.clone());
        for l in List::ALL {
            words.extend(lists.set.get(l).difference(shared.get(l)).cloned());
        }
    }
    words
}

/// Tokens of `text` as a reader sees names: runs of letters, digits, `_` and `-`, compared
/// ignoring case (so `azure-openai-api-key` is one token and `npm-shrinkwrap.json` holds no
/// `npm`).
fn tokens(text: &str) -> impl Iterator<Item = (usize, String)> + '_ {
    text.lines().enumerate().flat_map(|(n, line)| {
        line.split(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '-'))
            .filter(|t| !t.is_empty())
            .map(move |t| (n + 1, t.to_ascii_lowercase()))
    })
}

fn rust_files(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            rust_files(&p, out);
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
}

#[test]
fn src_names_no_rule_id_provider_or_service_word() {
    let set = RuleSet::builtin().unwrap();
    let banned = provider_words(&set);
    assert!(banned.len() > 80, "{} words", banned.len());
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    assert!(files.len() > 20);
    let mut found = Vec::new();
    for f in files {
        let rel = f
            .strip_prefix(&src)
            .unwrap()
            .to_string_lossy()
            .replace('\\', "/");
        if rel == HOST_TABLE {
            continue;
        }
        let text = std::fs::read_to_string(&f).unwrap();
        let code = match (
            HOST_TABLE_TESTS.contains(&rel.as_str()),
            text.find("#[cfg(test)]"),
        ) {
            (true, Some(i)) => &text[..i],
            _ => &text[..],
        };
        let excepted = |t: &str| {
            NOT_PROVIDERS
                .iter()
                .any(|(f, w, _)| rel.starts_with(f) && *w == t)
        };
        for (line, t) in tokens(code) {
            if banned.contains(&t) && !excepted(&t) {
                found.push(format!("src/{rel}:{line}: {t}"));
            }
        }
    }
    assert!(
        found.is_empty(),
        "provider words belong in rules/, not in src/:\n{}",
        found.join("\n")
    );
}

#[test]
fn the_source_scan_sees_a_planted_word() {
    let set = RuleSet::builtin().unwrap();
    let banned = provider_words(&set);
    let hits = |s: &str| tokens(s).filter(|(_, t)| banned.contains(t)).count();
    assert_eq!(hits("let x = \"DATADOG\"; // Sentry"), 2);
    assert_eq!(hits("npm-shrinkwrap.json segments"), 0);
    let id = &set.rules()[0].id;
    assert_eq!(hits(&format!("rule: {id},")), 1);
}

/// A context rule for a prefixless 32-hex key of `provider`, named by `word`.
fn hex_context_rule(provider: &str, word: &str) -> String {
    format!(
        r#"
[provider]
id = "{provider}"
name = "{provider}"
revoke = "https://example.com/keys"

[[rule]]
id = "{provider}-api-key"
name = "{provider} API key"
description = "d"
regex = '(?:^|[^A-Za-z0-9_])([0-9a-f]{{32}})(?:[^A-Za-z0-9_]|$)'
entropy = 3.0
severity = "7.0"
precision = "medium"
remediation = "r"
examples = ['{word}_API_KEY={{{{hex:32}}}}']

[rule.context]
keywords = ["{word}", "{lower}"]
"#,
        lower = word.to_ascii_lowercase()
    )
}

#[test]
fn a_users_rule_for_a_service_on_the_not_a_key_list_reports_its_keys() {
    let dir = TempDir::new().unwrap();
    let hex = key("{{hex:32}}", 4);
    write(dir.path(), "app/.env", format!("DATADOG_API_KEY={hex}\n"));
    write(
        dir.path(),
        "dd.toml",
        hex_context_rule("datadog", "DATADOG"),
    );
    let (code, findings, stderr) = scan_json(dir.path(), &["--rules", "dd.toml", "app"]);
    assert_eq!(code, 1, "{stderr}");
    assert_eq!(rule_ids(&findings), ["datadog-api-key"]);

    // Another provider's rule still reads the label as Datadog's and stays quiet.
    write(dir.path(), "other.toml", hex_context_rule("acme", "ACME"));
    write(
        dir.path(),
        "app/.env",
        format!("# acme settings\nDATADOG_API_KEY={hex}\n"),
    );
    let (code, findings, stderr) = scan_json(dir.path(), &["--rules", "other.toml", "app"]);
    assert_eq!((code, findings.len()), (0, 0), "{stderr}");
}

#[test]
fn word_lists_are_listed_and_user_files_extend_or_shrink_them() {
    let out = keysift()
        .args(["rules", "--format", "json"])
        .output()
        .unwrap();
    let rules: Vec<serde_json::Value> = serde_json::from_slice(&out.stdout).unwrap();
    for r in &rules {
        for l in List::ALL {
            assert!(
                r["words"][l.name()]
                    .as_array()
                    .is_some_and(|a| !a.is_empty()),
                "{} lists no {}",
                r["id"],
                l.name()
            );
        }
        assert!(matches!(
            r["category"].as_str(),
            Some("secret" | "identifier")
        ));
    }
    // A provider's own words appear only with its rules.
    let generic = |id: &str| -> Vec<String> {
        let r = rules.iter().find(|r| r["provider"] == id).unwrap();
        serde_json::from_value(r["words"]["generic"].clone()).unwrap()
    };
    let cohere_only: Vec<String> = generic("cohere")
        .into_iter()
        .filter(|w| !generic("github").contains(w))
        .collect();
    assert_eq!(cohere_only, ["co"]);

    // A word-only file changes the shared lists: `dummy` stops marking a placeholder.
    let dir = TempDir::new().unwrap();
    // At the value's end, so it reads as a word (inside a random body it would be chance).
    let token = key("ghp_{{alnum:31}}Dummy", 2);
    write(dir.path(), "app/a.txt", format!("token: {token}\n"));
    let (code, _, _) = scan_json(dir.path(), &["app"]);
    assert_eq!(code, 0, "a placeholder word hides it by default");
    write(
        dir.path(),
        "w.toml",
        "[words.remove]\nplaceholder = ['dummy']\n[words]\ngeneric = ['zz9']\n",
    );
    let (code, findings, stderr) = scan_json(dir.path(), &["--rules", "w.toml", "app"]);
    assert_eq!((code, findings.len()), (1, 1), "{stderr}");
}

#[test]
fn bad_word_lists_get_clear_errors_and_big_or_repeated_ones_work() {
    let dir = TempDir::new().unwrap();
    for (words, expect) in [
        ("generic = ['']", "generic: empty word"),
        ("services = ['d\u{e9}j\u{e0}']", "is not ASCII"),
        ("not_a_key = ['api key']", "is not one word"),
        ("placeholder = ['tab\there']", "space or control"),
        ("colours = ['red']", "colours"),
    ] {
        write(dir.path(), "w.toml", format!("[words]\n{words}\n"));
        let out = keysift()
            .current_dir(dir.path())
            .args(["rules", "--rules", "w.toml"])
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{words}: {stderr}");
        assert!(stderr.contains("w.toml"), "{stderr}");
        assert!(stderr.contains(expect), "{words}: {stderr}");
    }

    // 50,000 words, each listed twice: loads, and the scan still finds a key.
    let mut big = String::from("[words]\nplaceholder = [");
    for i in 0..50_000 {
        big.push_str(&format!("'zq{i:x}zq', 'zq{i:x}zq',"));
    }
    big.push_str("]\ngeneric = ['w', 'w', 'W']\n");
    write(dir.path(), "big.toml", big);
    write(dir.path(), "app/a.txt", github_token(5));
    let (code, findings, stderr) = scan_json(dir.path(), &["--rules", "big.toml", "app"]);
    assert_eq!((code, findings.len()), (1, 1), "{stderr}");
}

/// A rule for `acme_` + 24 alphanumerics under `id`, with `extra` lines.
fn acme_rule(id: &str, extra: &str) -> String {
    format!(
        r#"
[provider]
id = "acme"
name = "Acme"
revoke = "https://example.com/keys"

[[rule]]
id = "{id}"
name = "Acme token"
description = "d"
regex = '\b(acme_[A-Za-z0-9]{{24}})\b'
keywords = ["acme_"]
severity = "7.0"
precision = "high"
remediation = "r"
examples = ['acme_{{{{alnum:24}}}}']
{extra}
"#
    )
}

#[test]
fn a_renamed_rule_keeps_suppressing_through_its_alias() {
    let dir = TempDir::new().unwrap();
    write(
        dir.path(),
        "app/a.txt",
        format!("t = {}\n", key("acme_{{alnum:24}}", 3)),
    );
    write(dir.path(), "r.toml", acme_rule("acme-token", ""));
    let out = keysift()
        .current_dir(dir.path())
        .args([
            "baseline", "create", "--rules", "r.toml", "-o", "b.json", "app",
        ])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        std::fs::read_to_string(dir.path().join("b.json"))
            .unwrap()
            .contains("acme-token")
    );

    // Renamed without an alias: the old baseline entry no longer matches.
    write(dir.path(), "r.toml", acme_rule("acme-api-token", ""));
    let args = ["--rules", "r.toml", "--baseline", "b.json", "app"];
    let (code, findings, _) = scan_json(dir.path(), &args);
    assert_eq!(
        (code, rule_ids(&findings)),
        (1, vec!["acme-api-token".to_string()])
    );

    // Renamed with the old id as an alias: still suppressed, and the allowlist's old id too.
    let renamed = acme_rule("acme-api-token", "aliases = [\"acme-token\"]");
    write(dir.path(), "r.toml", &renamed);
    let (code, findings, stderr) = scan_json(dir.path(), &args);
    assert_eq!((code, findings.len()), (0, 0), "{stderr}");
    write(
        dir.path(),
        "k.toml",
        "[allowlist]\nrules = [\"acme-token\"]\n",
    );
    let (code, findings, stderr) = scan_json(
        dir.path(),
        &["--rules", "r.toml", "--config", "k.toml", "app"],
    );
    assert_eq!((code, findings.len()), (0, 0), "{stderr}");

    // An alias that is another rule's id is refused.
    let clash = format!(
        "{renamed}\n[[rule]]\nid = \"acme-token\"\nname = \"n\"\ndescription = \"d\"\n\
         regex = 'acme_x'\nkeywords = [\"acme_x\"]\nseverity = \"1.0\"\nprecision = \"low\"\n\
         remediation = \"r\"\nexamples = ['acme_x']\n"
    );
    write(dir.path(), "r.toml", clash);
    let out = keysift()
        .current_dir(dir.path())
        .args(["rules", "--rules", "r.toml"])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr.contains("alias `acme-token` is the id of another rule"),
        "{stderr}"
    );
}

#[test]
fn char_classes_apply_to_the_random_body_not_the_prefix() {
    let dir = TempDir::new().unwrap();
    // `acme_` supplies no upper case and no digit: the body must.
    let rule = acme_rule(
        "acme-token",
        "char_classes = [\"upper\", \"lower\", \"digit\"]",
    )
    .replace("acme_", "Acme9_");
    write(dir.path(), "r.toml", rule);
    write(
        dir.path(),
        "app/a.txt",
        format!("t = {}\n", key("Acme9_{{lower:24}}", 1)),
    );
    let (code, findings, stderr) = scan_json(dir.path(), &["--rules", "r.toml", "app"]);
    assert_eq!((code, findings.len()), (0, 0), "{stderr}");
    write(
        dir.path(),
        "app/a.txt",
        format!("t = {}\n", key("Acme9_{{lower:12}}Q7{{lower:10}}", 1)),
    );
    let (code, findings, stderr) = scan_json(dir.path(), &["--rules", "r.toml", "app"]);
    assert_eq!((code, findings.len()), (1, 1), "{stderr}");
}

#[test]
fn checksums_and_categories_show_in_json_and_sarif() {
    let dir = TempDir::new().unwrap();
    let good = key("npm_{{base62-crc32:30}}", 1);
    // The same token with its last character changed.
    let mut bad = good.clone();
    let last = bad.pop().unwrap();
    bad.push(if last == 'A' { 'B' } else { 'A' });
    let id = key("AKIA{{upperalnum:16}}", 2);
    write(dir.path(), "good.txt", format!("NPM_TOKEN={good}\n"));
    write(dir.path(), "bad.txt", format!("NPM_TOKEN={bad}\n"));
    write(dir.path(), "id.txt", format!("aws_access_key_id = {id}\n"));
    let (code, findings, stderr) = scan_json(dir.path(), &["."]);
    assert_eq!((code, findings.len()), (1, 3), "{stderr}");
    let by_path = |p: &str| findings.iter().find(|f| f["path"] == p).unwrap().clone();
    assert_eq!(by_path("good.txt")["checksum"], true);
    assert_eq!(by_path("good.txt")["precision"], "very-high");
    assert_eq!(by_path("bad.txt")["checksum"], false);
    assert_eq!(by_path("bad.txt")["precision"], "low");
    assert!(by_path("id.txt").get("checksum").is_none());
    assert_eq!(by_path("id.txt")["category"], "identifier");
    assert_eq!(by_path("good.txt")["category"], "secret");

    let out = keysift()
        .current_dir(dir.path())
        .args(["scan", "--format", "sarif", "."])
        .output()
        .unwrap();
    let sarif: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let results = sarif["runs"][0]["results"].as_array().unwrap();
    let props = |p: &str| {
        results
            .iter()
            .find(|r| {
                r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
                    .as_str()
                    .is_some_and(|u| u.ends_with(p))
            })
            .unwrap()["properties"]
            .clone()
    };
    assert_eq!(props("bad.txt")["checksum"], false);
    assert_eq!(props("bad.txt")["precision"], "low");
    assert_eq!(props("good.txt")["checksum"], true);
    assert_eq!(props("id.txt")["category"], "identifier");
}

#[test]
fn rules_check_wants_examples_whose_checksum_holds() {
    let dir = TempDir::new().unwrap();
    let rule = |example: &str| {
        format!(
            "[provider]\nid = \"acme\"\nname = \"Acme\"\nrevoke = \"r\"\n\n[[rule]]\n\
             id = \"acme-token\"\nname = \"n\"\ndescription = \"d\"\n\
             regex = '\\b(acme_[A-Za-z0-9]{{36}})\\b'\nkeywords = [\"acme_\"]\n\
             checksum = \"base62-crc32\"\nseverity = \"5.0\"\nprecision = \"high\"\n\
             remediation = \"r\"\nexamples = ['{example}']\n"
        )
    };
    let check = |example: &str| {
        write(dir.path(), "r.toml", rule(example));
        keysift()
            .current_dir(dir.path())
            .args(["rules", "check", "r.toml"])
            .output()
            .unwrap()
    };
    let out = check("t = acme_{{alnum:36}}");
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stdout).contains("the example's checksum fails"));
    let out = check("t = acme_{{base62-crc32:30}}");
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
}

//! What keysift says when it stops something: redacted PEM keys, the blocked-commit text for
//! each kind of check, and error messages that state one cause once.

mod common;
mod gitrepo;

use common::*;
use gitrepo::Repo;
use predicates::prelude::*;
use tempfile::TempDir;

/// An RSA key in PEM form, built at run time.
fn pem_key(seed: u64) -> String {
    let body: Vec<String> = (0..20).map(|i| key("{{b64:64}}", seed * 100 + i)).collect();
    format!(
        "-----BEGIN RSA PRIVATE KEY-----\n{}\n-----END RSA PRIVATE KEY-----\n",
        body.join("\n")
    )
}

#[test]
fn a_pem_key_is_shown_by_its_header_and_length_once() {
    let dir = TempDir::new().unwrap();
    let pem = pem_key(1);
    write(dir.path(), "deploy/id_rsa", &pem);
    let out = keysift()
        .current_dir(dir.path())
        .args(["scan", "."])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{text}");
    let len = pem.trim_end().len();
    let shown = format!("    -----BEGIN RSA PRIVATE KEY-----…[{len} chars]\n");
    assert!(text.contains(&shown), "{text}");
    assert_eq!(text.matches("chars]").count(), 1, "{text}");
    let second_line = pem.lines().nth(1).unwrap();
    assert!(!text.contains(&second_line[..20]), "leaks the key: {text}");
}

#[test]
fn all_files_mode_says_what_was_scanned_not_that_the_commit_adds_it() {
    let repo = Repo::new();
    repo.stage("old.env", format!("token = \"{}\"\n", github_token(2)));
    repo.commit_unchecked("old secret");
    // As `pre-commit run --all-files` calls it: the file has no staged change.
    let out = repo
        .keysift(&["scan", "--staged", "--", "old.env"])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(!stderr.contains("staged changes add"), "{stderr}");
    assert!(!stderr.contains("commit is blocked"), "{stderr}");
    assert!(stderr.contains("scanned in full"), "{stderr}");
    assert!(stderr.contains("so the check fails"), "{stderr}");
}

#[test]
fn blocked_text_gives_the_exact_hook_command_for_a_baseline() {
    let repo = Repo::new();
    repo.stage("a.env", format!("token = \"{}\"\n", github_token(3)));
    let out = repo.keysift(&["scan", "--staged"]).output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("the staged changes add 1 secret"),
        "{stderr}"
    );
    assert!(
        stderr.contains("keysift install-hook -- --baseline .keysift-baseline.json"),
        "{stderr}"
    );
    // The framework's entry ends in `--`, so options given as `args:` would be file names.
    assert!(!stderr.contains("args: [--baseline"), "{stderr}");
    assert!(
        stderr.contains("put `--baseline .keysift-baseline.json` in the keysift hook's"),
        "{stderr}"
    );
    assert!(stderr.contains("`entry:`, before its `--`"), "{stderr}");
}

#[test]
fn errors_state_each_cause_once() {
    let dir = TempDir::new().unwrap();
    keysift()
        .current_dir(dir.path())
        .args(["scan", "--baseline", "nope.json", "."])
        .assert()
        .code(2)
        .stderr(predicate::function(|s: &str| {
            s.matches("No such file or directory").count() == 1
                && s.contains("cannot read baseline nope.json")
        }));
    // install-hook outside a repository talks about install-hook, not --staged.
    keysift()
        .current_dir(dir.path())
        .env("GIT_CEILING_DIRECTORIES", dir.path())
        .arg("install-hook")
        .assert()
        .code(2)
        .stderr(predicate::str::contains("not inside a git repository"))
        .stderr(predicate::str::contains("--staged").not());
    // A bad regex says why.
    write(
        dir.path(),
        "bad.toml",
        "[provider]\nid = \"x\"\nname = \"X\"\nrevoke = \"r\"\n\n[[rule]]\nid = \"x-y\"\n\
         name = \"n\"\ndescription = \"d\"\nregex = '(abc['\nkeywords = [\"abc\"]\n\
         severity = \"5\"\nprecision = \"high\"\nremediation = \"r\"\nexamples = [\"abc\"]\n",
    );
    keysift()
        .current_dir(dir.path())
        .args(["scan", "--rules", "bad.toml", "."])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("unclosed character class"));
}

#[test]
fn help_and_summary_read_well() {
    let out = keysift().args(["scan", "--help"]).output().unwrap();
    let help = String::from_utf8_lossy(&out.stdout);
    let threads = help
        .split("--threads")
        .nth(1)
        .and_then(|h| h.split("\n  -").next())
        .unwrap();
    assert!(threads.contains("one per core"), "{threads}");
    assert!(!threads.contains("[default: 0]"), "{threads}");

    let dir = TempDir::new().unwrap();
    write(dir.path(), "a.txt", "hello\n");
    keysift()
        .current_dir(dir.path())
        .args(["scan", "."])
        .assert()
        .code(0)
        .stdout(predicate::str::contains("scanned 1 file (6 B) in"));
}

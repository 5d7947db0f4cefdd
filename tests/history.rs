//! `keysift scan --git` on real repositories built here with the git CLI: secrets deleted
//! later, the same blob on two branches, a secret only in a tag, `--range`/`--since`,
//! shallow and bare clones, stashes. Every blob must be scanned once (the stats prove it).

mod common;

use std::{
    io::Write,
    path::{Path, PathBuf},
    process::Command,
};

use common::*;
use serde_json::Value;
use tempfile::TempDir;

/// A test-only rule with its own token shape, so built-in rules cannot interfere.
const RULES: &str = r#"[provider]
id = "histtest"
name = "History Test"
revoke = "https://example.test"

[[rule]]
id = "histtest-token"
name = "History test token"
description = "Test-only token shape."
regex = '''htok_[A-Za-z0-9]{32}'''
keywords = ["htok_"]
severity = "5.0"
precision = "high"
remediation = "Rotate it."
examples = ["htok_{{alnum:32}}"]
"#;

fn token(seed: u64) -> String {
    key("htok_{{alnum:32}}", seed)
}

/// A git repository in a temp dir, with a rule file beside it (not inside it). Every git and
/// keysift these tests start clears a parent git's repository variables (`clear_git_env`,
/// `keysift()`), so a hook running `cargo test` cannot point them at its own repository.
struct Repo {
    _dir: TempDir,
    root: PathBuf,
    path: PathBuf,
    clock: u64,
}

impl Repo {
    fn new() -> Repo {
        let dir = TempDir::new().unwrap();
        let root = dir.path().to_path_buf();
        std::fs::write(root.join("rules.toml"), RULES).unwrap();
        let path = root.join("repo");
        std::fs::create_dir(&path).unwrap();
        let mut r = Repo {
            _dir: dir,
            root,
            path,
            clock: 1_700_000_000,
        };
        r.git(&["init", "-q", "-b", "main"]);
        r
    }

    /// Runs git in the repository with a fixed identity, isolated from user config; each
    /// call advances the clock a minute so commit order is well defined.
    fn git(&mut self, args: &[&str]) -> String {
        self.clock += 60;
        git_in(&self.path, args, self.clock)
    }

    fn write(&self, rel: &str, contents: &str) {
        write(&self.path, rel, contents);
    }

    /// Stages everything and commits; returns the new commit id.
    fn commit(&mut self, message: &str) -> String {
        self.git(&["add", "-A"]);
        self.git(&["commit", "-q", "--allow-empty", "-m", message]);
        self.git(&["rev-parse", "HEAD"])
    }

    fn rules(&self) -> PathBuf {
        self.root.join("rules.toml")
    }

    /// `keysift scan --git REPO --format json ARGS` → (exit code, report, stderr).
    fn scan(&self, target: &Path, args: &[&str]) -> (i32, Value, String) {
        let out = keysift()
            .arg("scan")
            .arg("--rules")
            .arg(self.rules())
            .args(["--format", "json", "--git"])
            .args(args)
            .arg(target)
            .output()
            .expect("keysift runs");
        let report = serde_json::from_slice(&out.stdout).unwrap_or(Value::Null);
        (
            out.status.code().expect("exit code"),
            report,
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    }

    /// Distinct blobs reachable from all refs and HEAD, counted by git itself.
    fn git_blob_count(&mut self) -> u64 {
        let objects = self.git(&["rev-list", "--objects", "--all", "HEAD"]);
        let ids: Vec<&str> = objects
            .lines()
            .filter_map(|l| l.split(' ').next())
            .collect();
        let out = clear_git_env(&mut Command::new("git"))
            .current_dir(&self.path)
            .args(["cat-file", "--batch-check=%(objecttype)"])
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .spawn()
            .and_then(|mut child| {
                use std::io::Write;
                child
                    .stdin
                    .take()
                    .expect("stdin")
                    .write_all(ids.join("\n").as_bytes())?;
                child.wait_with_output()
            })
            .expect("git cat-file runs");
        String::from_utf8_lossy(&out.stdout)
            .lines()
            .filter(|l| *l == "blob")
            .count() as u64
    }
}

fn git_in(dir: &Path, args: &[&str], clock: u64) -> String {
    let date = format!("@{clock} +0000");
    let out = clear_git_env(&mut Command::new("git"))
        .current_dir(dir)
        .args(args)
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_AUTHOR_NAME", "Alice Example")
        .env("GIT_AUTHOR_EMAIL", "alice@example.test")
        .env("GIT_COMMITTER_NAME", "Alice Example")
        .env("GIT_COMMITTER_EMAIL", "alice@example.test")
        .env("GIT_AUTHOR_DATE", &date)
        .env("GIT_COMMITTER_DATE", &date)
        .output()
        .expect("git runs");
    assert!(
        out.status.success(),
        "git {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).trim().to_string()
}

fn findings(report: &Value) -> Vec<Value> {
    report["findings"]
        .as_array()
        .expect("findings array")
        .clone()
}

fn history_stats(report: &Value) -> &Value {
    &report["stats"]["history"]
}

/// (path, commit id) of each finding, sorted.
fn places(report: &Value) -> Vec<(String, String)> {
    let mut v: Vec<(String, String)> = findings(report)
        .iter()
        .map(|f| {
            (
                f["path"].as_str().unwrap().to_string(),
                f["commit"]["id"].as_str().unwrap_or("-").to_string(),
            )
        })
        .collect();
    v.sort();
    v
}

#[test]
fn secret_added_then_removed_is_found_at_the_introducing_commit() {
    let mut repo = Repo::new();
    repo.write("README.md", "hello\n");
    repo.commit("initial");
    let tok = token(1);
    repo.write("config/app.yml", &format!("name: app\ntoken: {tok}\n"));
    let added = repo.commit("add app config");
    // Later edits make new blobs that still hold the secret: still one finding.
    repo.write("config/app.yml", &format!("name: app2\ntoken: {tok}\n"));
    repo.commit("rename app");
    repo.git(&["rm", "-q", "config/app.yml"]);
    repo.commit("remove the key");
    assert!(!repo.path.join("config/app.yml").exists());

    let (code, report, stderr) = repo.scan(&repo.path, &[]);
    assert_eq!(code, 1, "{stderr}");
    let f = findings(&report);
    assert_eq!(f.len(), 1, "{report:#}");
    assert_eq!(f[0]["path"], "config/app.yml");
    assert_eq!(
        (f[0]["line"].as_u64(), f[0]["column"].as_u64()),
        (Some(2), Some(8))
    );
    let c = &f[0]["commit"];
    assert_eq!(c["id"], added.as_str());
    assert_eq!(c["author"], "Alice Example");
    assert_eq!(c["email"], "alice@example.test");
    assert_eq!(c["summary"], "add app config");
    assert!(
        c["date"].as_str().unwrap().starts_with("2023-11-14T"),
        "{c}"
    );
    let raw = report.to_string();
    assert!(!raw.contains(&tok), "JSON report leaks the secret");

    // Each distinct blob read once, and git agrees on how many there are.
    let h = history_stats(&report);
    assert_eq!(h["commits"], 4);
    assert_eq!(h["blobs_scanned"], h["distinct_blobs"]);
    assert_eq!(h["distinct_blobs"].as_u64(), Some(repo.git_blob_count()));
}

#[test]
fn text_report_names_commit_and_verbose_stats_count_blobs_once() {
    let mut repo = Repo::new();
    repo.write("a.env", &format!("KEY={}\n", token(2)));
    let id = repo.commit("add env");
    let out = keysift()
        .arg("scan")
        .arg("--rules")
        .arg(repo.rules())
        .args(["--git", "--verbose"])
        .arg(&repo.path)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("a.env:1:5"), "{text}");
    assert!(
        text.contains(&format!(
            "commit {id} by Alice Example <alice@example.test>"
        )),
        "{text}"
    );
    assert!(text.contains(": add env"), "{text}");
    assert!(text.contains("scanned 1 blob from 1 commit"), "{text}");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("1 commits, 1 blob occurrences, 1 distinct blobs, 1 blobs scanned"),
        "{err}"
    );
}

#[test]
fn same_blob_on_two_branches_is_scanned_once_and_reported_once() {
    let mut repo = Repo::new();
    repo.write("README.md", "base\n");
    repo.commit("base");
    let secret_file = format!("API_TOKEN={}\n", token(3));
    repo.git(&["checkout", "-q", "-b", "one"]);
    repo.write("deploy/.env", &secret_file);
    let first = repo.commit("one adds env");
    repo.git(&["checkout", "-q", "main"]);
    repo.git(&["checkout", "-q", "-b", "two"]);
    repo.write("deploy/.env", &secret_file);
    repo.write("other.txt", "x\n");
    let second = repo.commit("two adds the same env");
    // The same bytes at another path: one blob, two places.
    repo.write("copy/.env", &secret_file);
    let copied = repo.commit("copy env");

    let (code, report, _) = repo.scan(&repo.path, &[]);
    assert_eq!(code, 1);
    // One finding per secret and path, at the oldest commit that introduced it there.
    assert_eq!(
        places(&report),
        vec![
            ("copy/.env".to_string(), copied.clone()),
            ("deploy/.env".to_string(), first.clone()),
        ]
    );
    let h = history_stats(&report);
    assert_eq!(h["blob_occurrences"], 5, "{h}");
    assert_eq!(h["distinct_blobs"], 3, "{h}");
    assert_eq!(h["blobs_scanned"], 3, "{h}");
    assert_eq!(h["distinct_blobs"].as_u64(), Some(repo.git_blob_count()));

    let (code, report, _) = repo.scan(&repo.path, &["--all-occurrences"]);
    assert_eq!(code, 1);
    let mut want = vec![
        ("copy/.env".to_string(), copied),
        ("deploy/.env".to_string(), first),
        ("deploy/.env".to_string(), second),
    ];
    want.sort();
    assert_eq!(places(&report), want);
    assert_eq!(history_stats(&report)["blobs_scanned"], 3);
}

#[test]
fn secret_only_in_a_tag_is_found() {
    let mut repo = Repo::new();
    repo.write("README.md", "main line\n");
    repo.commit("main");
    repo.git(&["checkout", "-q", "--orphan", "release-tmp"]);
    repo.git(&["rm", "-rq", "--cached", "."]);
    repo.write("release/keys.txt", &format!("{}\n", token(4)));
    let tagged = repo.commit("release with key");
    repo.git(&["tag", "-a", "v1.0", "-m", "release"]);
    repo.git(&["checkout", "-q", "-f", "main"]);
    repo.git(&["branch", "-D", "release-tmp"]);
    // A tag straight at a blob (as git.git does for its signing key).
    std::fs::write(repo.root.join("loose.txt"), format!("{}\n", token(5))).unwrap();
    let blob = repo.git(&[
        "hash-object",
        "-w",
        repo.root.join("loose.txt").to_str().unwrap(),
    ]);
    repo.git(&["tag", "blobtag", &blob]);

    let (code, report, stderr) = repo.scan(&repo.path, &[]);
    assert_eq!(code, 1, "{stderr}");
    assert_eq!(
        places(&report),
        vec![
            ("refs/tags/blobtag".to_string(), "-".to_string()),
            ("release/keys.txt".to_string(), tagged),
        ]
    );
}

#[test]
fn range_and_since_scan_only_what_the_new_commits_introduced() {
    let mut repo = Repo::new();
    repo.write("old.txt", &format!("{}\n", token(6)));
    repo.commit("old secret on main");
    repo.git(&["checkout", "-q", "-b", "feature"]);
    repo.write(
        "src/new.rs",
        &format!("const K: &str = \"{}\";\n", token(7)),
    );
    let leak = repo.commit("feature leaks");
    // Moving the old file is a change too, but its blob is not new: not introduced here.
    repo.write("notes.md", "clean\n");
    repo.commit("feature clean");

    let (code, report, stderr) = repo.scan(&repo.path, &["--range", "main..feature"]);
    assert_eq!(code, 1, "{stderr}");
    assert_eq!(
        places(&report),
        vec![("src/new.rs".to_string(), leak.clone())]
    );
    assert_eq!(history_stats(&report)["commits"], 2);

    let (code, report, _) = repo.scan(&repo.path, &["--since", "main"]);
    assert_eq!(code, 1);
    assert_eq!(places(&report), vec![("src/new.rs".to_string(), leak)]);

    // Nothing new after the last commit.
    let (code, report, _) = repo.scan(&repo.path, &["--range", "feature..feature"]);
    assert_eq!((code, findings(&report).len()), (0, 0));

    // The whole history still has both.
    let (_, report, _) = repo.scan(&repo.path, &[]);
    assert_eq!(findings(&report).len(), 2);
}

#[test]
fn range_errors_exit_two() {
    let repo = Repo::new();
    let (code, _, stderr) = repo.scan(&repo.path, &["--range", "main...feature"]);
    assert_eq!(code, 2);
    assert!(stderr.contains("invalid range"), "{stderr}");
    let (code, _, stderr) = repo.scan(&repo.path, &["--since", "no-such-branch"]);
    assert_eq!(code, 2);
    assert!(stderr.contains("no-such-branch"), "{stderr}");
}

#[test]
fn shallow_clone_warns_and_attributes_to_the_boundary() {
    let mut repo = Repo::new();
    repo.write("gone.txt", &format!("{}\n", token(8)));
    repo.commit("secret that is removed before the boundary");
    repo.git(&["rm", "-q", "gone.txt"]);
    repo.write("a.txt", &format!("{}\n", token(9)));
    repo.commit("add a");
    repo.write("b.txt", "clean\n");
    repo.commit("add b");
    let url = format!("file://{}", repo.path.display());
    let shallow = repo.root.join("shallow");
    git_in(
        &repo.root,
        &[
            "clone",
            "-q",
            "--depth",
            "1",
            &url,
            shallow.to_str().unwrap(),
        ],
        0,
    );
    let tip = git_in(&shallow, &["rev-parse", "HEAD"], 0);

    let (code, report, stderr) = repo.scan(&shallow, &[]);
    assert_eq!(code, 1, "{stderr}");
    assert!(stderr.contains("shallow clone"), "{stderr}");
    assert!(stderr.contains("not scanned"), "{stderr}");
    // The secret deleted before the boundary is invisible here; a.txt is attributed to the
    // boundary commit, the oldest one the clone has.
    assert_eq!(places(&report), vec![("a.txt".to_string(), tip)]);
    assert_eq!(history_stats(&report)["shallow_boundary"], 1);

    // The full history has both secrets.
    let (_, report, _) = repo.scan(&repo.path, &[]);
    assert_eq!(findings(&report).len(), 2);
}

#[test]
fn bare_repository_is_scanned() {
    let mut repo = Repo::new();
    repo.write("k.txt", &format!("{}\n", token(10)));
    let id = repo.commit("key");
    let bare = repo.root.join("bare.git");
    git_in(
        &repo.root,
        &[
            "clone",
            "-q",
            "--bare",
            repo.path.to_str().unwrap(),
            bare.to_str().unwrap(),
        ],
        0,
    );
    let (code, report, stderr) = repo.scan(&bare, &[]);
    assert_eq!(code, 1, "{stderr}");
    assert_eq!(places(&report), vec![("k.txt".to_string(), id)]);
}

#[test]
fn stashes_are_scanned_only_with_the_flag() {
    let mut repo = Repo::new();
    repo.write("app.cfg", "clean\n");
    repo.commit("base");
    repo.write("app.cfg", &format!("key={}\n", token(11)));
    repo.git(&["stash", "-q"]);
    repo.write("app.cfg", &format!("key={}\n", token(12)));
    repo.git(&["stash", "-q"]);
    let (code, report, _) = repo.scan(&repo.path, &[]);
    assert_eq!((code, findings(&report).len()), (0, 0));
    // Both stashes: the latest (refs/stash) and the older one (only in the reflog).
    let (code, report, _) = repo.scan(&repo.path, &["--stash"]);
    assert_eq!(code, 1);
    assert_eq!(findings(&report).len(), 2, "{report:#}");
}

#[test]
fn fingerprint_matches_a_working_tree_scan_so_baselines_apply() {
    let mut repo = Repo::new();
    repo.write("conf/secrets.ini", &format!("[x]\nkey = {}\n", token(13)));
    repo.commit("add secrets");
    let (_, tree_findings, _) = scan_json(
        &repo.path,
        &["--rules", repo.rules().to_str().unwrap(), "."],
    );
    let (_, report, _) = repo.scan(&repo.path, &[]);
    let history = findings(&report);
    assert_eq!((tree_findings.len(), history.len()), (1, 1));
    assert_eq!(tree_findings[0]["path"], history[0]["path"]);
    assert_eq!(tree_findings[0]["fingerprint"], history[0]["fingerprint"]);
}

#[test]
fn not_a_repository_is_an_error() {
    let dir = TempDir::new().unwrap();
    let out = keysift()
        .args(["scan", "--git"])
        .arg(dir.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("not a git repository"));
}

#[test]
fn history_flags_require_git() {
    keysift()
        .args(["scan", "--range", "a..b", "."])
        .assert()
        .code(2);
}

#[test]
fn repository_allowlist_applies_to_history_paths() {
    let mut repo = Repo::new();
    repo.write(".keysift.toml", "[allowlist]\npaths = ['^fixtures/']\n");
    repo.write("fixtures/sample.env", &format!("KEY={}\n", token(14)));
    repo.write("app.env", &format!("KEY={}\n", token(15)));
    let id = repo.commit("fixtures and app");
    let (code, report, _) = repo.scan(&repo.path, &[]);
    assert_eq!(code, 1);
    assert_eq!(places(&report), vec![("app.env".to_string(), id)]);
}

#[test]
fn sarif_locates_at_the_path_and_carries_the_commit_in_properties() {
    let mut repo = Repo::new();
    repo.write("svc/creds.txt", &format!("{}\n", token(16)));
    let id = repo.commit("creds");
    repo.git(&["rm", "-q", "svc/creds.txt"]);
    repo.commit("drop creds");
    let out = keysift()
        .current_dir(&repo.path)
        .arg("scan")
        .arg("--rules")
        .arg(repo.rules())
        .args(["--git", "--format", "sarif", "."])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let sarif: Value = serde_json::from_slice(&out.stdout).expect("SARIF is JSON");
    let results = sarif["runs"][0]["results"].as_array().expect("results");
    assert_eq!(results.len(), 1);
    let r = &results[0];
    let loc = &r["locations"][0]["physicalLocation"];
    assert_eq!(loc["artifactLocation"]["uri"], "svc/creds.txt");
    assert_eq!(loc["region"]["startLine"], 1);
    assert_eq!(r["properties"]["commit"]["id"], id.as_str());
    assert_eq!(r["properties"]["commit"]["summary"], "creds");
}

#[test]
fn unchanged_entries_are_matched_across_git_tree_ordering() {
    // Git sorts a tree named `a` as `a/`, between `a.c`/`a-b` and `a0`: a diff that gets the
    // order wrong sees unchanged files as new and counts them again.
    let mut repo = Repo::new();
    repo.write("a/x.txt", &format!("{}\n", token(17)));
    repo.write("a-b.txt", "1\n");
    repo.write("a.c", "2\n");
    repo.write("a0.txt", "3\n");
    repo.write("lib", "a file first\n");
    let first = repo.commit("first");
    repo.write("a0.txt", "4\n");
    repo.git(&["rm", "-q", "lib"]);
    repo.write("lib/mod.txt", &format!("{}\n", token(18)));
    let second = repo.commit("second");
    let (code, report, _) = repo.scan(&repo.path, &[]);
    assert_eq!(code, 1);
    assert_eq!(
        places(&report),
        vec![
            ("a/x.txt".to_string(), first),
            ("lib/mod.txt".to_string(), second)
        ]
    );
    // 5 blobs in the first commit, 2 new ones in the second.
    assert_eq!(history_stats(&report)["blob_occurrences"], 7);
}

#[test]
fn thousands_of_refs_packed_and_loose() {
    let mut repo = Repo::new();
    let mut commits = Vec::new();
    for i in 0..20 {
        repo.write(&format!("f{i}.txt"), &format!("{i}\n"));
        commits.push(repo.commit(&format!("c{i}")));
    }
    let refs = |range: std::ops::Range<usize>| -> String {
        range
            .map(|i| format!("create refs/tags/t{i} {}\n", commits[i % commits.len()]))
            .collect()
    };
    let path = repo.path.clone();
    let update = |input: String| {
        let mut child = clear_git_env(&mut Command::new("git"))
            .current_dir(&path)
            .args(["update-ref", "--stdin"])
            .stdin(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        use std::io::Write;
        child
            .stdin
            .take()
            .unwrap()
            .write_all(input.as_bytes())
            .unwrap();
        assert!(child.wait().unwrap().success());
    };
    update(refs(0..2000));
    repo.git(&["pack-refs", "--all"]);
    update(refs(2000..3000));
    // One commit reachable only from one ref among thousands.
    repo.write("hidden.txt", &format!("{}\n", token(19)));
    repo.git(&["add", "hidden.txt"]);
    let tree = repo.git(&["write-tree"]);
    let hidden = repo.git(&["commit-tree", &tree, "-p", &commits[3], "-m", "hidden"]);
    repo.git(&["update-ref", "refs/keep/hidden", &hidden]);
    repo.git(&["rm", "-q", "--cached", "hidden.txt"]);

    let (code, report, stderr) = repo.scan(&repo.path, &[]);
    assert_eq!(code, 1, "{stderr}");
    assert_eq!(places(&report), vec![("hidden.txt".to_string(), hidden)]);
    assert_eq!(history_stats(&report)["commits"], 21);
}

#[test]
fn default_path_is_the_current_repository_and_staged_conflicts() {
    let mut repo = Repo::new();
    repo.write("x.txt", &format!("{}\n", token(20)));
    repo.commit("x");
    let out = keysift()
        .current_dir(&repo.path)
        .arg("scan")
        .arg("--rules")
        .arg(repo.rules())
        .args(["--git", "--format", "json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(json_findings(&out.stdout).len(), 1);
    keysift()
        .current_dir(&repo.path)
        .args(["scan", "--git", "--staged"])
        .assert()
        .code(2);
}

#[test]
fn baseline_from_a_working_tree_scan_suppresses_history_findings() {
    let mut repo = Repo::new();
    repo.write("cfg/a.env", &format!("A={}\n", token(21)));
    repo.commit("a");
    let rules = repo.rules();
    let baseline = repo.root.join("baseline.json");
    keysift()
        .current_dir(&repo.path)
        .arg("baseline")
        .arg("create")
        .arg("--rules")
        .arg(&rules)
        .arg("-o")
        .arg(&baseline)
        .assert()
        .code(0);
    repo.git(&["rm", "-q", "cfg/a.env"]);
    repo.write("cfg/b.env", &format!("B={}\n", token(22)));
    let b = repo.commit("swap a for b");
    let (code, report, stderr) = repo.scan(&repo.path, &["--baseline", baseline.to_str().unwrap()]);
    assert_eq!(code, 1, "{stderr}");
    assert_eq!(places(&report), vec![("cfg/b.env".to_string(), b)]);
}

/// On a terminal, `--git` shows a progress line like the directory scan's. `script` gives the
/// run a pseudo-terminal; the delay override makes the line appear on a short scan.
#[test]
#[ignore = "needs script(1) from util-linux; .ci/run runs them"]
fn git_scan_shows_progress_on_a_terminal_only() {
    let mut repo = Repo::new();
    let mut stream = String::new();
    for i in 0..300 {
        let data = format!("line {i} of notes\n").repeat(20);
        stream.push_str(&format!(
            "commit refs/heads/main\ncommitter T <t@e.invalid> {} +0000\ndata 4\nc{i:03}\n\
             M 644 inline f{i}.txt\ndata {}\n{data}\n",
            1_700_000_000 + i,
            data.len()
        ));
    }
    let mut fi = std::process::Command::new("git")
        .args(["fast-import", "--quiet"])
        .current_dir(&repo.path)
        .stdin(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    fi.stdin
        .take()
        .unwrap()
        .write_all(stream.as_bytes())
        .unwrap();
    assert!(fi.wait().unwrap().success());
    repo.git(&["reset", "-q", "--hard", "main"]);
    let bin = assert_cmd::cargo::cargo_bin("keysift");
    let run = |cmd: String| {
        std::process::Command::new("script")
            .args(["-qec", &cmd, "/dev/null"])
            .current_dir(&repo.path)
            .env("KEYSIFT_PROGRESS_DELAY_MS", "0")
            .output()
            .expect("script (util-linux) runs")
    };
    let out = run(format!("'{}' scan --git .", bin.display()));
    let tty = String::from_utf8_lossy(&out.stdout);
    assert!(tty.contains("history: "), "{tty}");
    assert!(tty.contains("no secrets found; scanned 300 blobs"), "{tty}");
    // Not on a pipe: stderr stays clean for logs.
    let out = run(format!("'{}' scan --git . 2>&1 | cat", bin.display()));
    let piped = String::from_utf8_lossy(&out.stdout);
    assert!(!piped.contains("history: "), "{piped}");
}

/// Lines of text that change a little from one version to the next, so git stores most
/// versions as deltas against others.
fn versioned_text(version: usize) -> String {
    (0..120)
        .map(|line| {
            let edit = if line % 17 == version % 17 {
                version
            } else {
                0
            };
            format!(
                "line {line}: value {} and some words to compress\n",
                line * 7 + edit
            )
        })
        .collect()
}

#[test]
fn a_deltified_pack_gives_the_same_findings_as_loose_objects() {
    let mut repo = Repo::new();
    let (early, kept, other) = (token(30), token(31), token(32));
    let mut expected = Vec::new();
    for v in 0..40 {
        let mut text = versioned_text(v);
        if (5..15).contains(&v) {
            text.insert_str(text.len() / 2, &format!("early = {early}\n"));
        }
        if v >= 20 {
            text.push_str(&format!("kept = {kept}\n"));
        }
        repo.write("src/main.txt", &text);
        if v >= 30 {
            repo.write(
                "etc/other.txt",
                &format!("{}other = {other}\n", versioned_text(v)),
            );
        }
        let id = repo.commit(&format!("version {v}"));
        match v {
            5 => expected.push(("src/main.txt".to_string(), id)),
            20 => expected.push(("src/main.txt".to_string(), id)),
            30 => expected.push(("etc/other.txt".to_string(), id)),
            _ => {}
        }
    }
    let (code, loose, stderr) = repo.scan(&repo.path, &[]);
    assert_eq!(code, 1, "{stderr}");
    expected.sort();
    assert_eq!(places(&loose), expected);

    // Deep delta chains, then one more commit left loose beside the pack.
    repo.git(&["repack", "-adfq", "--depth=50", "--window=50"]);
    repo.git(&["prune-packed"]);
    let pack = repo.git(&["count-objects", "-v"]);
    assert!(pack.starts_with("count: 0\n"), "{pack}");
    let chains = repo.git(&["verify-pack", "-v", &pack_index(&repo.path)]);
    assert!(chains.contains("chain length = 2"), "{chains}");
    let (code, packed, stderr) = repo.scan(&repo.path, &[]);
    assert_eq!(code, 1, "{stderr}");
    assert_eq!(findings(&packed), findings(&loose));
    let h = history_stats(&packed);
    assert_eq!(h["blobs_scanned"], h["distinct_blobs"]);
    assert_eq!(h["distinct_blobs"].as_u64(), Some(repo.git_blob_count()));

    repo.write("late.txt", &format!("{}\n", token(33)));
    let late = repo.commit("late");
    let (code, mixed, stderr) = repo.scan(&repo.path, &[]);
    assert_eq!(code, 1, "{stderr}");
    expected.push(("late.txt".to_string(), late));
    expected.sort();
    assert_eq!(places(&mixed), expected);
    assert_eq!(mixed["stats"]["errors"], 0);
}

/// The `.idx` file of the repository's only pack.
fn pack_index(repo: &Path) -> String {
    let dir = repo.join(".git/objects/pack");
    let idx: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "idx"))
        .collect();
    assert_eq!(idx.len(), 1, "{idx:?}");
    idx[0].to_str().unwrap().to_string()
}

/// A repository with one commit of two blobs, packed; `corrupt` edits the pack bytes of the
/// first blob, a whole (not deltified) object, given its text, where its zlib stream starts and
/// where its entry ends. The scan must report that blob unreadable, not scan it.
fn scan_with_a_corrupt_blob(corrupt: impl Fn(&mut [u8], &str, usize, usize)) {
    let mut repo = Repo::new();
    // Letters from a simple generator: text no other blob resembles, so it is stored whole.
    let mut x: u64 = 7;
    let noise: String = (0..4000)
        .map(|_| {
            x = x
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            char::from(b'a' + (x >> 59) as u8 % 26)
        })
        .collect();
    repo.write("noise.txt", &noise);
    repo.write("other.txt", "nothing here\n");
    repo.commit("noise");
    repo.git(&["repack", "-adq"]);
    repo.git(&["prune-packed"]);
    let blob = repo.git(&["rev-parse", "HEAD:noise.txt"]);
    let idx = pack_index(&repo.path);
    let listing = repo.git(&["verify-pack", "-v", &idx]);
    // `id type size size-in-pack offset`, with no delta base: a whole object.
    let fields: Vec<usize> = listing
        .lines()
        .find(|l| l.starts_with(&blob))
        .map(|l| {
            l.split_whitespace()
                .skip(2)
                .map(|f| f.parse().unwrap())
                .collect()
        })
        .unwrap();
    assert_eq!(fields.len(), 3, "{listing}");
    let (start, end) = (fields[2], fields[2] + fields[1]);
    let pack = PathBuf::from(idx.replace(".idx", ".pack"));
    let mut bytes = std::fs::read(&pack).unwrap();
    // The entry header: type and size, 7 bits a byte while the high bit is set.
    let header = bytes[start..].iter().position(|b| b & 0x80 == 0).unwrap() + 1;
    corrupt(&mut bytes[..end], &noise, start + header, end);
    let mut perms = std::fs::metadata(&pack).unwrap().permissions();
    #[allow(clippy::permissions_set_readonly_false)]
    perms.set_readonly(false);
    std::fs::set_permissions(&pack, perms).unwrap();
    std::fs::write(&pack, bytes).unwrap();

    let (code, report, stderr) = repo.scan(&repo.path, &[]);
    assert_eq!(code, 2, "{stderr}");
    assert_eq!(report["stats"]["errors"], 1, "{report:#}");
    assert!(
        stderr.contains(&format!("cannot read blob {blob}")),
        "{stderr}"
    );
    let h = history_stats(&report);
    assert_eq!(
        (h["distinct_blobs"].as_u64(), h["blobs_scanned"].as_u64()),
        (Some(2), Some(1))
    );
}

#[test]
fn a_blob_whose_zlib_checksum_is_broken_in_the_pack_is_an_error_not_clean() {
    // The last byte of the stream is the Adler-32 checksum's.
    scan_with_a_corrupt_blob(|bytes, _, _, end| bytes[end - 1] ^= 0x55);
}

#[test]
fn a_blob_whose_zlib_stream_ends_early_in_the_pack_is_an_error_not_clean() {
    // A well-formed stream of the first 3000 bytes where the header promises 4000: a decoder
    // that trusted the header would scan 1000 zero bytes as the rest of the file.
    scan_with_a_corrupt_blob(|bytes, text, data, end| {
        use std::io::Write as _;
        let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::best());
        z.write_all(&text.as_bytes()[..3000]).unwrap();
        let short = z.finish().unwrap();
        assert!(data + short.len() <= end);
        bytes[data..data + short.len()].copy_from_slice(&short);
    });
}

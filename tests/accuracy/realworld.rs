//! The real-world set: `tests/data/realworld/`, files shaped like real projects' files (.env
//! files, docker-compose, Kubernetes manifests and Secrets, CI workflows and logs, notebooks,
//! SDK code in five languages, READMEs, lock files, bundles, fixtures, key files), each
//! labelled by reading it. `expectations.txt` lists every expected finding as `PATH:LINE RULE`
//! and every file where nothing may be reported as `PATH clean`; the gate asserts them exactly.
//!
//! A line may carry a status after the rule. `known-miss`: the finding is right but keysift
//! misses it today (the README lists them as weaknesses); `known-false-positive`: keysift
//! reports something the reader says is not that secret. Either status fails the gate once
//! keysift's behaviour changes, so fixed weaknesses get their line updated.
//!
//! The repository holds no key-shaped string (keysift scans its own tree clean, and push
//! protection stays quiet), so random material is written as markers and drawn at test time
//! from a seed of the file's path: `{{class:N}}` (N random characters of `class`, see
//! `rng::alphabet`), `{{uuid}}`, `{{key:RULE}}` (a key of the rule's shape from `shapes.rs`;
//! `{{key:RULE#tag}}` repeats the same key within a file), `{{sa:google-service-account-key}}`
//! (a service-account key file on one line), and `{{base64:X}}` (X, one of the above or
//! `text:STRING` or `dockerauth:RULE`, base64-encoded). Any other `{{...}}` (Helm, GitHub
//! Actions expressions) is left as written. Markers never span lines, so line numbers are the
//! file's own.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};

use base64::Engine as _;
use keysift::detect::engine::Scratch;

use super::rng::Rng;
use super::shapes;

pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/realworld")
}

const EXPECTATIONS: &str = "expectations.txt";

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Status {
    Expected,
    KnownMiss,
    KnownFalsePositive,
}

/// `expectations.txt`: per file, its (line, rule) → status, empty for a clean file.
pub fn expectations() -> BTreeMap<String, BTreeMap<(usize, String), Status>> {
    let text = std::fs::read_to_string(root().join(EXPECTATIONS)).expect("expectations.txt");
    let mut out: BTreeMap<String, BTreeMap<(usize, String), Status>> = BTreeMap::new();
    for (n, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let fields: Vec<&str> = line.split_whitespace().collect();
        let bad = || panic!("expectations.txt:{}: cannot read {line:?}", n + 1);
        match fields.as_slice() {
            [path, "clean"] => {
                out.entry(path.to_string()).or_default();
            }
            [at, rule, rest @ ..] => {
                let Some((path, l)) = at.rsplit_once(':') else {
                    bad()
                };
                let Ok(l) = l.parse() else { bad() };
                let status = match rest {
                    [] => Status::Expected,
                    ["known-miss"] => Status::KnownMiss,
                    ["known-false-positive"] => Status::KnownFalsePositive,
                    _ => bad(),
                };
                out.entry(path.to_string())
                    .or_default()
                    .insert((l, rule.to_string()), status);
            }
            _ => bad(),
        }
    }
    out
}

/// Every file of the set, relative to its root, `/`-separated.
pub fn files() -> Vec<String> {
    fn walk(dir: &Path, root: &Path, out: &mut Vec<String>) {
        for e in std::fs::read_dir(dir).expect("read realworld dir") {
            let p = e.expect("dir entry").path();
            if p.is_dir() {
                walk(&p, root, out);
            } else {
                let rel = p.strip_prefix(root).expect("under root");
                out.push(rel.to_string_lossy().replace('\\', "/"));
            }
        }
    }
    let mut out = Vec::new();
    walk(&root(), &root(), &mut out);
    out.retain(|f| f != EXPECTATIONS);
    out.sort();
    out
}

fn path_seed(path: &str) -> u64 {
    // FNV-1a: a stable seed per file, so a file's keys do not change when others are added.
    path.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

/// One marker's value, or None for a `{{...}}` that is not a marker.
fn marker(rng: &mut Rng, inner: &str, tags: &mut HashMap<String, String>) -> Option<String> {
    if let Some(rest) = inner.strip_prefix("base64:") {
        let plain = match rest.split_once(':') {
            Some(("text", s)) => s.to_string(),
            Some(("dockerauth", rule)) => {
                let key = marker(rng, &format!("key:{rule}"), tags)?;
                let auth = base64::engine::general_purpose::STANDARD.encode(format!("bot:{key}"));
                format!(
                    "{{\"auths\":{{\"ghcr.io\":{{\"username\":\"bot\",\"password\":\"{key}\",\"auth\":\"{auth}\"}}}}}}"
                )
            }
            _ => marker(rng, rest, tags)?,
        };
        return Some(base64::engine::general_purpose::STANDARD.encode(plain));
    }
    if inner == "uuid" {
        return Some(rng.fill("{{hex:8}}-{{hex:4}}-4{{hex:3}}-a{{hex:3}}-{{hex:12}}"));
    }
    let (kind, arg) = inner.split_once(':')?;
    match kind {
        "key" | "sa" => {
            if let Some(v) = tags.get(inner) {
                return Some(v.clone());
            }
            let rule = arg.split('#').next().unwrap_or(arg);
            let shape = shapes::shape(rule)
                .unwrap_or_else(|| panic!("realworld marker names unknown rule {rule}"));
            let (value, _) = shapes::make(rng, shape);
            assert!(
                !value.contains('\n'),
                "{{{{{inner}}}}}: multi-line values are written out in the file"
            );
            if arg.contains('#') {
                tags.insert(inner.to_string(), value.clone());
            }
            Some(value)
        }
        class => {
            let n: usize = arg.parse().ok()?;
            super::rng::alphabet(class);
            Some(rng.chars(class, n))
        }
    }
}

/// The file's text with its markers drawn.
pub fn expand(path: &str, text: &str) -> String {
    let mut rng = Rng::new(path_seed(path) ^ 0x7265_616c);
    let mut tags = HashMap::new();
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find("{{") {
        let (before, from) = rest.split_at(start);
        out.push_str(before);
        // `{{{x:1}}` is a literal brace before a marker.
        if from[2..].starts_with('{') {
            out.push('{');
            rest = &from[1..];
            continue;
        }
        let Some(end) = from[2..]
            .find("}}")
            .filter(|&e| !from[2..2 + e].contains('\n'))
        else {
            out.push_str("{{");
            rest = &from[2..];
            continue;
        };
        let inner = &from[2..2 + end];
        match marker(&mut rng, inner, &mut tags) {
            Some(v) => out.push_str(&v),
            None => out.push_str(&from[..end + 4]),
        }
        rest = &from[end + 4..];
    }
    out.push_str(rest);
    out
}

/// Every file of the set, expanded: (path, text).
pub fn corpus() -> Vec<(String, String)> {
    files()
        .into_iter()
        .map(|f| {
            let bytes = std::fs::read(root().join(&f)).expect("read realworld file");
            let text = String::from_utf8(bytes).expect("realworld files are UTF-8");
            let expanded = expand(&f, &text);
            (f, expanded)
        })
        .collect()
}

/// What keysift reports on the set: per file, (line, rule).
pub fn scan(corpus: &[(String, String)]) -> BTreeMap<String, BTreeSet<(usize, String)>> {
    let scanner = super::scanner(true);
    let mut scratch = Scratch::default();
    corpus
        .iter()
        .map(|(path, text)| {
            let found = scanner
                .scan_text(path, text.as_bytes(), &mut scratch)
                .into_iter()
                .map(|f| (f.location.line, f.rule.id.clone()))
                .collect();
            (path.clone(), found)
        })
        .collect()
}

/// Counts of the set for the README: (files, clean files, expected findings, known misses,
/// known false positives).
pub fn counts() -> (usize, usize, usize, usize, usize) {
    let exp = expectations();
    let all: Vec<&Status> = exp.values().flat_map(|m| m.values()).collect();
    let n = |s: Status| all.iter().filter(|&&&x| x == s).count();
    (
        exp.len(),
        exp.values().filter(|m| m.is_empty()).count(),
        n(Status::Expected) + n(Status::KnownMiss),
        n(Status::KnownMiss),
        n(Status::KnownFalsePositive),
    )
}

#[test]
fn realworld_set_matches_its_expectations_exactly() {
    let exp = expectations();
    let corpus = corpus();
    let files: BTreeSet<&String> = corpus.iter().map(|(f, _)| f).collect();
    assert!(
        files.len() >= 200,
        "the real-world set needs at least 200 files"
    );
    let mut diff = Vec::new();
    for f in &files {
        if !exp.contains_key(*f) {
            diff.push(format!(
                "  {f}: not in expectations.txt (add `{f} clean` or its findings)"
            ));
        }
    }
    for f in exp.keys() {
        if !files.contains(f) {
            diff.push(format!("  {f}: in expectations.txt but no such file"));
        }
    }
    let found = scan(&corpus);
    for (path, labels) in &exp {
        let Some(got) = found.get(path) else { continue };
        for ((line, rule), status) in labels {
            let hit = got.contains(&(*line, rule.clone()));
            match (status, hit) {
                (Status::Expected, false) => diff.push(format!("- {path}:{line} {rule} (missed)")),
                (Status::KnownMiss, true) => diff.push(format!(
                    "  {path}:{line} {rule}: now found, drop `known-miss`"
                )),
                (Status::KnownFalsePositive, false) => diff.push(format!(
                    "  {path}:{line} {rule}: no longer reported, drop the line"
                )),
                _ => {}
            }
        }
        for (line, rule) in got {
            if !labels.contains_key(&(*line, rule.clone())) {
                diff.push(format!("+ {path}:{line} {rule} (unexpected)"));
            }
        }
    }
    let (n, clean, expected, misses, fps) = counts();
    println!(
        "real-world set: {n} files, {clean} expected clean, {expected} expected findings ({misses} known misses), {fps} known false positives"
    );
    assert!(
        diff.is_empty(),
        "the real-world set differs from tests/data/realworld/expectations.txt\n(- expected, not reported; + reported, not expected):\n{}",
        diff.join("\n")
    );
}

/// Markers expand the same way every run, and a file's keys depend only on its own path.
#[test]
fn realworld_markers_are_deterministic() {
    let a = expand(
        "x/.env",
        "K={{key:github-pat}} L={{key:github-pat#t}} M={{key:github-pat#t}} {{ .Values.x }} ${{ secrets.Y }}",
    );
    assert_eq!(
        a,
        expand(
            "x/.env",
            "K={{key:github-pat}} L={{key:github-pat#t}} M={{key:github-pat#t}} {{ .Values.x }} ${{ secrets.Y }}"
        )
    );
    let parts: Vec<&str> = a.split(' ').collect();
    assert_ne!(parts[0][2..], parts[1][2..]);
    assert_eq!(parts[1][2..], parts[2][2..]);
    assert!(a.ends_with("{{ .Values.x }} ${{ secrets.Y }}"));
    assert!(!a.contains("{{key"));
}

/// Writes the expanded set and its expectations to `$KEYSIFT_ACCURACY_DIR/realworld`, to read
/// the files as scanned or to run another scanner on them: `KEYSIFT_ACCURACY_DIR=/tmp/c cargo
/// test --test accuracy write_realworld -- --ignored`. Without the variable (as in `.ci/run`,
/// which includes ignored tests) it writes to a temporary directory and reads every file back.
#[test]
#[ignore = "writes the real-world set to $KEYSIFT_ACCURACY_DIR for inspection"]
fn write_realworld() {
    let scratch = tempfile::TempDir::new().expect("temp dir");
    let dir = std::env::var_os("KEYSIFT_ACCURACY_DIR")
        .map_or_else(|| scratch.path().to_path_buf(), PathBuf::from)
        .join("realworld");
    let corpus = corpus();
    for (path, text) in &corpus {
        super::common::write(&dir, path, text);
    }
    std::fs::copy(root().join(EXPECTATIONS), dir.join(EXPECTATIONS)).expect("copy expectations");
    assert!(!corpus.is_empty(), "no files");
    for (path, text) in &corpus {
        let written = std::fs::read_to_string(dir.join(path)).expect("file written");
        assert!(&written == text, "{path} differs from its expansion");
    }
}

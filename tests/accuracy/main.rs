//! The labelled accuracy suite: a seeded generator writes positives (every provider in every
//! kind of file people keep keys in) and hard negatives (placeholders, hashes, lock files,
//! notebook images, minified code, prose...); keysift scans them and the test prints precision
//! and recall per provider and asserts the floors of issue 3: recall >= 95% for every
//! provider, precision >= 98% overall.
//!
//! `cargo test --test accuracy -- --nocapture` prints the table. Findings are matched to labels
//! by (file, provider, secret).

mod carriers;
mod negatives;
mod positives;
mod providers;
mod regressions;
mod rng;
mod tree;

#[path = "../common/mod.rs"]
mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use keysift::detect::engine::{Engine, Scratch};
use keysift::rules::RuleSet;
use keysift::scan::{ScanOptions, Scanner};

const SEED: u64 = 0x6b65_7973_6966_7433;

/// The generator's seed: fixed, or `KEYSIFT_ACCURACY_SEED` to try another draw of the corpus
/// (a check that tuning generalises beyond one sample).
fn seed() -> u64 {
    std::env::var("KEYSIFT_ACCURACY_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(SEED)
}
const RECALL_FLOOR: f64 = 0.95;
const PRECISION_FLOOR: f64 = 0.98;

#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Expected {
    pub provider: String,
    pub secret: String,
}

impl Expected {
    pub fn new(provider: &str, secret: &str) -> Expected {
        Expected {
            provider: provider.to_string(),
            secret: secret.to_string(),
        }
    }
}

/// One generated file and what keysift should report in it.
#[derive(Clone, Debug)]
pub struct Case {
    pub path: String,
    pub text: String,
    pub expected: Vec<Expected>,
    /// Keys on lines with an inline allow comment: reported only with `--no-inline-allow`.
    pub allowed: Vec<Expected>,
    /// Which generator branch made it, for failure messages.
    pub why: String,
}

impl Case {
    pub fn new(path: String, text: String, expected: Vec<Expected>, why: String) -> Case {
        let expected = expected
            .into_iter()
            .map(|e| Expected {
                secret: as_rendered(&text, &e.secret),
                ..e
            })
            .collect();
        Case {
            path,
            text,
            expected,
            allowed: Vec::new(),
            why,
        }
    }
}

/// A PEM key as it appears in the file (indented in YAML, `\n`-escaped in JSON or `.env`):
/// the bytes from its BEGIN line to its END line.
fn as_rendered(text: &str, secret: &str) -> String {
    if text.contains(secret) || !secret.starts_with("-----BEGIN ") {
        return secret.to_string();
    }
    let head = secret.lines().next().unwrap_or_default();
    let foot = secret.lines().last().unwrap_or_default();
    let Some(start) = text.find(head) else {
        return secret.to_string();
    };
    match text[start..].find(foot) {
        Some(end) => text[start..start + end + foot.len()].to_string(),
        None => secret.to_string(),
    }
}

pub struct Corpus {
    pub positives: Vec<Case>,
    pub negatives: Vec<Case>,
    pub regressions: Vec<Case>,
}

impl Corpus {
    pub fn generate() -> Corpus {
        let number = |prefix: &str, cases: Vec<Case>| -> Vec<Case> {
            cases
                .into_iter()
                .enumerate()
                .map(|(i, c)| Case {
                    path: format!("{prefix}/{i:04}/{}", c.path),
                    ..c
                })
                .collect()
        };
        Corpus {
            positives: number("pos", positives::generate(&mut rng::Rng::new(seed()))),
            negatives: number(
                "neg",
                negatives::generate(&mut rng::Rng::new(seed() ^ 0xA5)),
            ),
            regressions: number("reg", regressions::cases()),
        }
    }

    pub fn all(&self) -> impl Iterator<Item = &Case> {
        self.positives
            .iter()
            .chain(&self.negatives)
            .chain(&self.regressions)
    }
}

fn scanner(inline_allow: bool) -> Scanner {
    let rules = Arc::new(RuleSet::builtin().expect("built-in rules load"));
    let engine = Engine::new(rules).expect("engine builds");
    Scanner::new(
        engine,
        ScanOptions {
            inline_allow,
            ..ScanOptions::default()
        },
    )
}

/// What keysift reports for each case: (provider, secret) pairs, through the library.
fn scan_cases<'c>(
    cases: impl Iterator<Item = &'c Case>,
    inline_allow: bool,
) -> Vec<(&'c Case, BTreeSet<Expected>)> {
    let scanner = scanner(inline_allow);
    let mut scratch = Scratch::default();
    cases
        .map(|c| {
            let found = scanner
                .scan_text(&c.path, c.text.as_bytes(), &mut scratch)
                .into_iter()
                .map(|f| Expected::new(&f.rule.provider.id, f.secret.expose()))
                .collect();
            (c, found)
        })
        .collect()
}

#[derive(Default, Clone, Copy)]
struct Tally {
    tp: usize,
    fp: usize,
    fn_: usize,
}

impl Tally {
    fn recall(&self) -> f64 {
        ratio(self.tp, self.tp + self.fn_)
    }
    fn precision(&self) -> f64 {
        ratio(self.tp, self.tp + self.fp)
    }
}

fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 { 1.0 } else { a as f64 / b as f64 }
}

struct Report {
    per_provider: BTreeMap<String, Tally>,
    misses: Vec<String>,
    false_positives: Vec<String>,
}

impl Report {
    fn overall(&self) -> Tally {
        self.per_provider
            .values()
            .fold(Tally::default(), |a, t| Tally {
                tp: a.tp + t.tp,
                fp: a.fp + t.fp,
                fn_: a.fn_ + t.fn_,
            })
    }

    fn table(&self) -> String {
        let mut s = String::from(
            "| provider | keys | found | missed | false pos. | recall | precision |\n|---|---:|---:|---:|---:|---:|---:|\n",
        );
        let row = |name: &str, t: &Tally| {
            format!(
                "| {name} | {} | {} | {} | {} | {:.1}% | {:.1}% |\n",
                t.tp + t.fn_,
                t.tp,
                t.fn_,
                t.fp,
                100.0 * t.recall(),
                100.0 * t.precision()
            )
        };
        for (p, t) in &self.per_provider {
            s.push_str(&row(p, t));
        }
        s.push_str(&row("**overall**", &self.overall()));
        s
    }
}

fn short(s: &str) -> String {
    if s.len() > 60 {
        format!("{}…({} chars)", &s[..40], s.len())
    } else {
        s.to_string()
    }
}

fn evaluate(results: &[(&Case, BTreeSet<Expected>)]) -> Report {
    let mut report = Report {
        per_provider: BTreeMap::new(),
        misses: Vec::new(),
        false_positives: Vec::new(),
    };
    for p in providers::PROVIDERS {
        report
            .per_provider
            .insert(p.id.to_string(), Tally::default());
    }
    for (case, found) in results {
        let expected: BTreeSet<Expected> = case.expected.iter().cloned().collect();
        for e in &expected {
            let t = report.per_provider.entry(e.provider.clone()).or_default();
            if found.contains(e) {
                t.tp += 1;
            } else {
                t.fn_ += 1;
                report.misses.push(format!(
                    "MISS {} {} [{}] {}",
                    e.provider,
                    case.path,
                    case.why,
                    short(&e.secret)
                ));
            }
        }
        for f in found.difference(&expected) {
            report
                .per_provider
                .entry(f.provider.clone())
                .or_default()
                .fp += 1;
            report.false_positives.push(format!(
                "FP {} {} [{}] {}",
                f.provider,
                case.path,
                case.why,
                short(&f.secret)
            ));
        }
    }
    report
}

fn print_details(report: &Report) {
    for m in report.misses.iter().chain(&report.false_positives) {
        eprintln!("{m}");
    }
}

#[test]
fn accuracy_meets_the_floors() {
    let corpus = Corpus::generate();
    let positives: usize = corpus.positives.iter().map(|c| c.expected.len()).sum();
    let results = scan_cases(corpus.all(), true);
    let report = evaluate(&results);
    println!(
        "accuracy corpus: {} positive files with {positives} keys, {} negative files, {} regression cases\n",
        corpus.positives.len(),
        corpus.negatives.len(),
        corpus.regressions.len()
    );
    println!("{}", report.table());
    if std::env::var_os("KEYSIFT_ACCURACY_DETAILS").is_some() {
        print_details(&report);
    }
    assert!(positives >= 300, "the suite needs at least 300 positives");
    assert!(
        corpus.negatives.len() >= 1000,
        "the suite needs at least 1000 hard negatives"
    );
    let mut failures = Vec::new();
    for (p, t) in &report.per_provider {
        if t.recall() < RECALL_FLOOR {
            failures.push(format!("{p}: recall {:.1}%", 100.0 * t.recall()));
        }
    }
    let overall = report.overall();
    if overall.precision() < PRECISION_FLOOR {
        failures.push(format!(
            "overall precision {:.1}%",
            100.0 * overall.precision()
        ));
    }
    if !failures.is_empty() {
        print_details(&report);
        eprintln!("{}", report.table());
        panic!("below the floors: {}", failures.join(", "));
    }
}

#[test]
fn regression_cases_are_exact() {
    let corpus = Corpus::generate();
    let results = scan_cases(corpus.regressions.iter(), true);
    let report = evaluate(&results);
    if !report.misses.is_empty() || !report.false_positives.is_empty() {
        print_details(&report);
        panic!(
            "{} misses and {} false positives in the regression cases",
            report.misses.len(),
            report.false_positives.len()
        );
    }
}

#[test]
fn generator_is_deterministic_and_labels_are_in_their_files() {
    let a = Corpus::generate();
    let b = Corpus::generate();
    let texts = |c: &Corpus| c.all().map(|x| x.text.clone()).collect::<Vec<_>>();
    assert_eq!(texts(&a), texts(&b));
    let mut paths = BTreeSet::new();
    for c in a.all() {
        assert!(paths.insert(c.path.clone()), "duplicate path {}", c.path);
        for e in c.expected.iter().chain(&c.allowed) {
            assert!(
                c.text.contains(&e.secret),
                "{} [{}]: label not in the file",
                c.path,
                c.why
            );
        }
    }
}

#[test]
fn no_inline_allow_reports_the_allowed_keys() {
    let corpus = Corpus::generate();
    let allowed: Vec<&Case> = corpus.all().filter(|c| !c.allowed.is_empty()).collect();
    assert!(!allowed.is_empty());
    for (case, found) in scan_cases(allowed.iter().copied(), false) {
        for e in &case.allowed {
            assert!(
                found.contains(e),
                "{} [{}]: {} key not reported with inline allow off",
                case.path,
                case.why,
                e.provider
            );
        }
    }
    for (case, found) in scan_cases(allowed.iter().copied(), true) {
        assert!(found.is_empty(), "{}: allow comment ignored", case.path);
    }
}

/// The binary, run on the corpus written to disk, reports exactly what the library reports.
#[test]
fn binary_agrees_with_the_library_on_the_corpus() {
    let corpus = Corpus::generate();
    let dir = tempfile::TempDir::new().expect("temp dir");
    for c in corpus.all() {
        common::write(dir.path(), &c.path, &c.text);
    }
    let (code, findings, stderr) = common::scan_json(dir.path(), &["--show-secrets", "."]);
    assert_eq!(code, 1, "{stderr}");
    let from_binary: BTreeSet<(String, String, String)> = findings
        .iter()
        .map(|f| {
            (
                f["path"].as_str().expect("path").to_string(),
                f["provider"].as_str().expect("provider").to_string(),
                f["secret"].as_str().expect("secret").to_string(),
            )
        })
        .collect();
    let from_library: BTreeSet<(String, String, String)> = scan_cases(corpus.all(), true)
        .into_iter()
        .flat_map(|(c, found)| {
            found
                .into_iter()
                .map(move |e| (c.path.clone(), e.provider, e.secret))
        })
        .collect();
    assert_eq!(from_binary.len(), from_library.len());
    assert!(from_binary == from_library, "binary and library disagree");
}

/// Writes the corpus and its labels to `$KEYSIFT_ACCURACY_DIR`, to inspect a case or to run
/// another scanner on the same files: `KEYSIFT_ACCURACY_DIR=/tmp/corpus cargo test --test
/// accuracy write_corpus -- --ignored`.
#[test]
#[ignore]
fn write_corpus() {
    let Some(dir) = std::env::var_os("KEYSIFT_ACCURACY_DIR") else {
        panic!("set KEYSIFT_ACCURACY_DIR");
    };
    let dir = std::path::PathBuf::from(dir);
    let corpus = Corpus::generate();
    let mut labels = String::new();
    for c in corpus.all() {
        common::write(&dir, &c.path, &c.text);
        for e in &c.expected {
            labels.push_str(&format!("{}\t{}\t{}\n", c.path, e.provider, e.secret));
        }
    }
    common::write(&dir, "labels.tsv", labels);
}

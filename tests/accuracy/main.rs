//! The labelled accuracy suite. Two parts grade keysift:
//!
//! - **Generated**: a seeded generator writes positives (every rule's keys in every kind of file
//!   people keep keys in) and hard negatives (placeholders, other services' secrets, ids and
//!   hashes, lock files, notebook images, minified code, prose...). Its vocabulary (`vocab.rs`)
//!   and key shapes (`shapes.rs`) come from public documentation, never from the detector's
//!   stop-lists, rule examples or template expander. Recall is gated per rule and per provider,
//!   precision overall, on the [`GATE_SEEDS`]; rule thresholds and context windows were tuned
//!   on [`TUNING_SEED`], which the gate never uses.
//! - **Real-world set** (`tests/data/realworld/`, `realworld.rs`): hand-written files shaped like
//!   real projects' files, labelled by reading them; the gate asserts their exact expectations.
//!
//! **Adding a rule**: add one line for its id to `shapes::SHAPES` (the test
//! `every_rule_has_a_positive_generator` fails until you do); give its provider an entry in
//! `providers.rs` for code snippets and mentions if it has a distinctive SDK; add real-world
//! files for it under `tests/data/realworld/` with their lines in `expectations.txt`.
//!
//! `cargo test --test accuracy -- --nocapture` prints the tables. `KEYSIFT_ACCURACY_SEED=N`
//! (or `tuning`) runs the generated gate on that one seed instead; `KEYSIFT_ACCURACY_DETAILS=1`
//! lists every miss and false positive. Findings are matched to labels by (provider, secret).

mod carriers;
mod negatives;
mod positives;
mod providers;
mod realworld;
mod regressions;
mod rng;
mod shapes;
mod tree;
mod vocab;

#[path = "../common/mod.rs"]
mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use keysift::detect::engine::{Engine, Scratch};
use keysift::rules::RuleSet;
use keysift::scan::{ScanOptions, Scanner};

/// The seed the rules' thresholds and context windows were tuned on (the suite's only seed
/// before the gate moved to [`GATE_SEEDS`]). Numbers measured on it flatter the detector.
const TUNING_SEED: u64 = 0x6b65_7973_6966_7433;

/// The seeds the gate runs on: corpora the detector was never tuned on.
const GATE_SEEDS: &[u64] = &[1, 2, 3];

/// The generator's seeds: [`GATE_SEEDS`], or the one `KEYSIFT_ACCURACY_SEED` names (a number
/// or `tuning`).
fn seeds() -> Vec<u64> {
    match std::env::var("KEYSIFT_ACCURACY_SEED").ok().as_deref() {
        Some("tuning") => vec![TUNING_SEED],
        Some(s) => vec![
            s.parse()
                .expect("KEYSIFT_ACCURACY_SEED is a number or `tuning`"),
        ],
        None => GATE_SEEDS.to_vec(),
    }
}

/// Recall floor of every provider and of every rule: a few points under what keysift measured
/// on the gate seeds (most rules 100%); the rules and providers measured lower have their own
/// floor in [`WEAK`]. Overall precision measured 99.7%.
const RECALL_FLOOR: f64 = 0.95;
const PRECISION_FLOOR: f64 = 0.98;
/// Where keysift is measurably weaker (README, "Accuracy"): (rule or provider id, floor), the
/// measurement on the gate seeds in the comment.
/// Adding rules redraws the corpus (one random stream), so a measurement moves by a point or
/// two when the rule set changes: Mistral measured 92.0% with the 54 rules of main and 89.5%
/// once the rules of branch `providers` were merged in for a trial.
const WEAK: &[(&str, f64)] = &[
    ("mistral", 0.87),              // 92.0% (89.5% with branch providers)
    ("mistral-api-key", 0.87),      // 92.0% (89.5%)
    ("cohere", 0.94),               // 97.0% (97.5%)
    ("cohere-api-key", 0.94),       // 97.0% (97.5%)
    ("azure-openai-api-key", 0.94), // 97.3% (97.7%)
    ("twilio-auth-token", 0.94),    // 98.0% (98.4%)
    // Rules of branch `providers`. ElevenLabs' older 32-hex keys count only a mention on their
    // line or above (a mention below is usually the next, current key's name).
    ("elevenlabs", 0.89),                // 92.3%
    ("elevenlabs-api-key-legacy", 0.84), // 87.0%
    ("exa", 0.91),                       // 94.2%
    ("exa-api-key", 0.91),               // 94.2%
];

fn floor(id: &str) -> f64 {
    WEAK.iter()
        .find(|(w, _)| *w == id)
        .map_or(RECALL_FLOOR, |&(_, f)| f)
}

/// A key keysift should report: matched to findings by (provider, secret); `rule` is the rule
/// whose shape made it, for the per-rule table.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Expected {
    pub provider: String,
    pub rule: String,
    pub secret: String,
}

impl Expected {
    pub fn new(provider: &str, rule: &str, secret: &str) -> Expected {
        Expected {
            provider: provider.to_string(),
            rule: rule.to_string(),
            secret: secret.to_string(),
        }
    }

    fn key(&self) -> (String, String) {
        (self.provider.clone(), self.secret.clone())
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
    pub fn generate(seed: u64) -> Corpus {
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
            positives: number("pos", positives::generate(&mut rng::Rng::new(seed))),
            negatives: number("neg", negatives::generate(&mut rng::Rng::new(seed ^ 0xA5))),
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

/// What keysift reports for each case, through the library.
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
                .map(|f| Expected::new(&f.rule.provider.id, &f.rule.id, f.secret.expose()))
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
    fn add(&mut self, t: &Tally) {
        self.tp += t.tp;
        self.fp += t.fp;
        self.fn_ += t.fn_;
    }
}

fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 { 1.0 } else { a as f64 / b as f64 }
}

#[derive(Default)]
struct Report {
    per_provider: BTreeMap<String, Tally>,
    /// By the rule whose shape made the key (misses) or that reported it (false positives).
    per_rule: BTreeMap<String, Tally>,
    /// Misses by the kind of file (`Terraform`, `Notebook`...) the generator wrote.
    misses_by_carrier: BTreeMap<String, usize>,
    misses: Vec<String>,
    false_positives: Vec<String>,
}

impl Report {
    fn overall(&self) -> Tally {
        let mut all = Tally::default();
        for t in self.per_provider.values() {
            all.add(t);
        }
        all
    }

    fn merge(&mut self, other: Report) {
        for (k, t) in other.per_provider {
            self.per_provider.entry(k).or_default().add(&t);
        }
        for (k, t) in other.per_rule {
            self.per_rule.entry(k).or_default().add(&t);
        }
        for (k, n) in other.misses_by_carrier {
            *self.misses_by_carrier.entry(k).or_default() += n;
        }
        self.misses.extend(other.misses);
        self.false_positives.extend(other.false_positives);
    }

    fn table(&self, what: &str, rows: &BTreeMap<String, Tally>) -> String {
        let mut s = format!(
            "| {what} | keys | found | missed | false pos. | recall | precision |\n|---|---:|---:|---:|---:|---:|---:|\n"
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
        for (p, t) in rows {
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
    let mut report = Report::default();
    for p in providers::PROVIDERS {
        report
            .per_provider
            .insert(p.id.to_string(), Tally::default());
    }
    for (case, found) in results {
        let found_keys: BTreeSet<(String, String)> = found.iter().map(Expected::key).collect();
        let expected_keys: BTreeSet<(String, String)> =
            case.expected.iter().map(Expected::key).collect();
        let mut seen = BTreeSet::new();
        for e in &case.expected {
            if !seen.insert(e.key()) {
                continue;
            }
            let hit = found_keys.contains(&e.key());
            for t in [
                report.per_provider.entry(e.provider.clone()).or_default(),
                report.per_rule.entry(e.rule.clone()).or_default(),
            ] {
                if hit {
                    t.tp += 1;
                } else {
                    t.fn_ += 1;
                }
            }
            if !hit {
                let carrier = case.why.rsplit('/').next().unwrap_or_default();
                *report
                    .misses_by_carrier
                    .entry(carrier.to_string())
                    .or_default() += 1;
                report.misses.push(format!(
                    "MISS {} {} [{}] {}",
                    e.rule,
                    case.path,
                    case.why,
                    short(&e.secret)
                ));
            }
        }
        for f in found {
            if expected_keys.contains(&f.key()) {
                continue;
            }
            report
                .per_provider
                .entry(f.provider.clone())
                .or_default()
                .fp += 1;
            report.per_rule.entry(f.rule.clone()).or_default().fp += 1;
            report.false_positives.push(format!(
                "FP {} {} [{}] {}",
                f.rule,
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
    let seeds = seeds();
    let mut report = Report::default();
    for &seed in &seeds {
        let corpus = Corpus::generate(seed);
        let positives: usize = corpus.positives.iter().map(|c| c.expected.len()).sum();
        println!(
            "seed {seed:#x}: {} positive files with {positives} keys, {} negative files",
            corpus.positives.len(),
            corpus.negatives.len(),
        );
        assert!(positives >= 1000, "the suite needs at least 1000 positives");
        assert!(
            corpus.negatives.len() >= 1000,
            "the suite needs at least 1000 hard negatives"
        );
        // Regression cases have their own exact test.
        let results = scan_cases(corpus.positives.iter().chain(&corpus.negatives), true);
        report.merge(evaluate(&results));
    }
    println!();
    println!("{}", report.table("provider", &report.per_provider));
    println!("{}", report.table("rule", &report.per_rule));
    let mut by_carrier: Vec<_> = report.misses_by_carrier.iter().collect();
    by_carrier.sort_by(|a, b| b.1.cmp(a.1));
    println!(
        "misses by kind of file: {}\n",
        by_carrier
            .iter()
            .map(|(c, n)| format!("{c} {n}"))
            .collect::<Vec<_>>()
            .join(", ")
    );
    if std::env::var_os("KEYSIFT_ACCURACY_DETAILS").is_some() {
        print_details(&report);
    }
    let mut failures = Vec::new();
    for (id, t) in report.per_provider.iter().chain(&report.per_rule) {
        if t.recall() < floor(id) {
            failures.push(format!(
                "{id}: recall {:.1}% < {:.0}%",
                100.0 * t.recall(),
                100.0 * floor(id)
            ));
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
        panic!("below the floors: {}", failures.join(", "));
    }
}

/// Every built-in rule has a shape in the suite's own table and generated positives; a rule
/// added without one fails here (see the module doc: one line in `shapes::SHAPES`).
#[test]
fn every_rule_has_a_positive_generator() {
    let rules = RuleSet::builtin().expect("built-in rules load");
    let corpus = Corpus::generate(GATE_SEEDS[0]);
    let generated: BTreeMap<&str, usize> =
        corpus
            .positives
            .iter()
            .flat_map(|c| &c.expected)
            .fold(BTreeMap::new(), |mut m, e| {
                *m.entry(e.rule.as_str()).or_default() += 1;
                m
            });
    let mut missing = Vec::new();
    for rule in rules.rules() {
        match shapes::shape(&rule.id) {
            None => missing.push(format!("{}: no line in shapes::SHAPES", rule.id)),
            Some(s) if s.provider != rule.provider.id => missing.push(format!(
                "{}: shape says provider {}, the rule says {}",
                rule.id, s.provider, rule.provider.id
            )),
            Some(_) if generated.get(rule.id.as_str()).copied().unwrap_or(0) < 20 => {
                missing.push(format!("{}: fewer than 20 generated positives", rule.id));
            }
            Some(_) => {}
        }
    }
    for s in shapes::SHAPES {
        if !shapes::builtin_rules().contains(s.rule) {
            println!("{}: shape kept for a rule not built in yet", s.rule);
        }
    }
    assert!(missing.is_empty(), "{}", missing.join("\n"));
}

#[test]
fn regression_cases_are_exact() {
    let corpus = Corpus::generate(GATE_SEEDS[0]);
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
    let a = Corpus::generate(GATE_SEEDS[0]);
    let b = Corpus::generate(GATE_SEEDS[0]);
    let texts = |c: &Corpus| c.all().map(|x| x.text.clone()).collect::<Vec<_>>();
    assert_eq!(texts(&a), texts(&b));
    assert_ne!(texts(&a), texts(&Corpus::generate(GATE_SEEDS[1])));
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
    let corpus = Corpus::generate(GATE_SEEDS[0]);
    let allowed: Vec<&Case> = corpus.all().filter(|c| !c.allowed.is_empty()).collect();
    assert!(!allowed.is_empty());
    for (case, found) in scan_cases(allowed.iter().copied(), false) {
        let found: BTreeSet<_> = found.iter().map(Expected::key).collect();
        for e in &case.allowed {
            assert!(
                found.contains(&e.key()),
                "{} [{}]: {} key not reported with inline allow off",
                case.path,
                case.why,
                e.rule
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
    let corpus = Corpus::generate(GATE_SEEDS[0]);
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
                f["rule"].as_str().expect("rule").to_string(),
                f["secret"].as_str().expect("secret").to_string(),
            )
        })
        .collect();
    let from_library: BTreeSet<(String, String, String)> = scan_cases(corpus.all(), true)
        .into_iter()
        .flat_map(|(c, found)| {
            found
                .into_iter()
                .map(move |e| (c.path.clone(), e.rule, e.secret))
        })
        .collect();
    assert_eq!(from_binary.len(), from_library.len());
    assert!(from_binary == from_library, "binary and library disagree");
}

/// Writes the corpus of the first seed and its labels to `$KEYSIFT_ACCURACY_DIR`, to inspect a
/// case or to run another scanner on the same files: `KEYSIFT_ACCURACY_DIR=/tmp/corpus cargo
/// test --test accuracy write_corpus -- --ignored`. Without the variable (as in `.ci/run`, which
/// includes ignored tests) it writes to a temporary directory and reads every file back.
#[test]
#[ignore = "writes the corpus to $KEYSIFT_ACCURACY_DIR for inspection"]
fn write_corpus() {
    let scratch = tempfile::TempDir::new().expect("temp dir");
    let dir = std::env::var_os("KEYSIFT_ACCURACY_DIR")
        .map_or_else(|| scratch.path().to_path_buf(), std::path::PathBuf::from);
    let corpus = Corpus::generate(seeds()[0]);
    let mut labels = String::new();
    for c in corpus.all() {
        common::write(&dir, &c.path, &c.text);
        for e in &c.expected {
            labels.push_str(&format!("{}\t{}\t{}\n", c.path, e.rule, e.secret));
        }
    }
    common::write(&dir, "labels.tsv", &labels);
    for c in corpus.all() {
        let text = std::fs::read_to_string(dir.join(&c.path)).expect("case written");
        assert!(text == c.text, "{} differs from its case", c.path);
    }
    assert!(!labels.is_empty(), "no labels");
    let read = std::fs::read_to_string(dir.join("labels.tsv")).expect("labels written");
    assert!(read == labels, "labels.tsv differs from the labels");
}

//! `--format sarif`: SARIF 2.1.0 as GitHub code scanning reads it.
//!
//! GitHub's rules (docs "SARIF support for code scanning"): one `tool.driver.rules[]` entry per
//! rule, referenced by `ruleId` and `ruleIndex`; `properties.security-severity` as a string;
//! locations as URIs relative to `%SRCROOT%` with 1-based lines and columns; at most 25,000
//! results a run. The upload action computes `primaryLocationLineHash` itself, so keysift puts
//! its own content-based fingerprint under another `partialFingerprints` key.
//!
//! SARIF goes to a shared dashboard, so it is always redacted: `--show-secrets` does not apply,
//! messages never contain the secret, and snippets show it redacted.

use std::{
    cmp::Reverse,
    collections::{BTreeMap, HashMap},
    io::{self, Write},
    path::{Component, Path, PathBuf},
};

use serde_json::{Value, json};
use serde_sarif::sarif::{
    ArtifactContent, ArtifactLocation, Invocation, Location, Message, MultiformatMessageString,
    Notification, PhysicalLocation, PropertyBag, Region, ReportingConfiguration,
    ReportingDescriptor, ReportingDescriptorReference, Result as SarifResult, ResultLevel, Run,
    Sarif, Tool, ToolComponent,
};

use super::{ReportContext, Reporter};
use crate::{
    diagnostic::{Diagnostic, Severity},
    finding::{Finding, Secret, Verification},
    outcome::Outcome,
    rules::Rule,
};

/// GitHub code scanning rejects a run with more results than this.
pub const MAX_RESULTS: usize = 25_000;

/// Key of keysift's fingerprint in `partialFingerprints`: a hash of rule id, secret and path,
/// so an alert keeps its identity when the secret moves to another line.
pub const FINGERPRINT_KEY: &str = "keysift/secret/v1";

/// Security severity at or above which a result is an `error`; at or above
/// [`WARNING_SEVERITY`] a `warning`; below, a `note`. 7.0 is where GitHub starts calling a
/// security severity "high". A key verified live is always an `error`.
pub const ERROR_SEVERITY: f64 = 7.0;
pub const WARNING_SEVERITY: f64 = 4.0;

const SCHEMA_URI: &str = "https://json.schemastore.org/sarif-2.1.0.json";
const SRCROOT: &str = "%SRCROOT%";
const FALLBACK_INFORMATION_URI: &str = "https://crates.io/crates/keysift";

pub struct SarifReporter {
    /// The directory `%SRCROOT%` stands for: the repository root, where the scan runs.
    src_root: PathBuf,
    max_results: usize,
}

impl SarifReporter {
    /// Paths are made relative to `src_root` (normally the current directory).
    pub fn new(src_root: PathBuf) -> SarifReporter {
        SarifReporter {
            src_root: normalize(&src_root),
            max_results: MAX_RESULTS,
        }
    }

    /// Lowers the result limit; for tests, which cannot cheaply make 25,000 findings.
    pub fn with_max_results(mut self, max_results: usize) -> SarifReporter {
        self.max_results = max_results;
        self
    }

    /// The SARIF log for `outcome`, and a warning when results had to be dropped.
    pub fn build(&self, outcome: &Outcome) -> (Sarif, Option<String>) {
        let kept = most_severe(&outcome.findings, self.max_results);
        let warning = (kept.len() < outcome.findings.len()).then(|| {
            format!(
                "{} findings, but GitHub code scanning accepts at most {} results a run: the SARIF \
                 report keeps the {} most severe; use --format json to see them all",
                outcome.findings.len(),
                self.max_results,
                kept.len()
            )
        });

        let mut rules: Vec<&Rule> = Vec::new();
        let mut rule_index: HashMap<&str, usize> = HashMap::new();
        let mut sorted: Vec<&Rule> = kept.iter().map(|f| &*f.rule).collect();
        sorted.sort_by(|a, b| a.id.cmp(&b.id));
        sorted.dedup_by(|a, b| a.id == b.id);
        for r in sorted {
            rule_index.insert(&r.id, rules.len());
            rules.push(r);
        }

        let by_line = secrets_by_line(&outcome.findings);
        let results: Vec<SarifResult> = kept
            .iter()
            .map(|f| self.result(f, rule_index[f.rule.id.as_str()], &by_line))
            .collect();

        let mut notifications: Vec<Notification> = outcome
            .diagnostics
            .iter()
            .filter(|d| d.severity != Severity::Note)
            .map(|d| self.notification(d))
            .collect();
        if let Some(w) = &warning {
            notifications.push(
                Notification::builder()
                    .level(json!("warning"))
                    .descriptor(
                        ReportingDescriptorReference::builder()
                            .id("keysift/result-limit")
                            .build(),
                    )
                    .message(Message::builder().text(w.clone()).build())
                    .build(),
            );
        }
        let mut invocation = Invocation::builder()
            .execution_successful(!outcome.has_errors())
            .build();
        if !notifications.is_empty() {
            invocation.tool_execution_notifications = Some(notifications);
        }

        let driver = ToolComponent::builder()
            .name("keysift")
            .version(env!("CARGO_PKG_VERSION"))
            .semantic_version(env!("CARGO_PKG_VERSION"))
            .information_uri(information_uri())
            .rules(rules.iter().map(|r| descriptor(r)).collect::<Vec<_>>())
            .build();
        let run = Run::builder()
            .tool(Tool::builder().driver(driver).build())
            .column_kind(json!("unicodeCodePoints"))
            .invocations(vec![invocation])
            .results(results)
            .build();
        let log = Sarif::builder()
            .schema(SCHEMA_URI)
            .version(json!("2.1.0"))
            .runs(vec![run])
            .build();
        (log, warning)
    }

    fn result(&self, f: &Finding, rule_index: usize, by_line: &SecretsByLine<'_>) -> SarifResult {
        let rule = &f.rule;
        let live = f.verification == Some(Verification::Live);
        let mut text = format!(
            "{} ({}) found in {}.",
            rule.name, rule.provider.name, f.path
        );
        if live {
            text.push_str(" The key was verified live: revoke it now.");
        }
        text.push_str(&format!(" {}", rule.remediation));

        let loc = &f.location;
        let region = Region::builder()
            .start_line(loc.line as i64)
            .start_column(loc.column as i64)
            .end_line(loc.end_line as i64)
            // SARIF's endColumn is the column after the region; keysift's is the last column.
            .end_column(loc.end_column as i64 + 1)
            .build();
        let context = Region::builder()
            .start_line(loc.line as i64)
            .end_line(loc.end_line as i64)
            .snippet(
                ArtifactContent::builder()
                    .text(redacted_snippet(f, by_line))
                    .build(),
            )
            .build();
        let location = Location::builder()
            .physical_location(
                PhysicalLocation::builder()
                    .artifact_location(self.artifact(&f.path))
                    .region(region)
                    .context_region(context)
                    .build(),
            )
            .build();

        let mut props = BTreeMap::new();
        props.insert("provider".to_string(), json!(rule.provider.id));
        props.insert("contextSeen".to_string(), json!(f.context_seen));
        props.insert("category".to_string(), json!(rule.category.as_str()));
        props.insert("precision".to_string(), json!(f.precision().as_str()));
        if let Some(ok) = f.checksum {
            props.insert("checksum".to_string(), json!(ok));
        }
        if !f.decoded.is_empty() {
            props.insert("decoded".to_string(), json!(f.decoded));
        }
        if let Some(v) = &f.verification {
            props.insert("verification".to_string(), verification(v));
            props.insert("live".to_string(), json!(live));
            if let Verification::Unknown { reason } = v {
                props.insert("verificationReason".to_string(), json!(reason));
            }
        }
        if let Some(c) = f.commit.as_deref() {
            props.insert("commit".to_string(), json!(c));
        }

        SarifResult::builder()
            .rule_id(rule.id.clone())
            .rule_index(rule_index as i64)
            .level(level(f))
            .message(Message::builder().text(text).build())
            .locations(vec![location])
            .partial_fingerprints(BTreeMap::from([(
                FINGERPRINT_KEY.to_string(),
                f.fingerprint.to_string(),
            )]))
            .properties(PropertyBag::builder().additional_properties(props).build())
            .build()
    }

    fn notification(&self, d: &Diagnostic) -> Notification {
        let level = match d.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Note => "note",
        };
        let location = Location::builder()
            .physical_location(
                PhysicalLocation::builder()
                    .artifact_location(self.artifact(&d.path))
                    .build(),
            )
            .build();
        Notification::builder()
            .level(json!(level))
            .message(
                Message::builder()
                    .text(format!("{}: {}", d.path, d.message))
                    .build(),
            )
            .locations(vec![location])
            .build()
    }

    fn artifact(&self, path: &str) -> ArtifactLocation {
        match artifact_uri(path, &self.src_root) {
            Uri::Relative(uri) => ArtifactLocation::builder()
                .uri(uri)
                .uri_base_id(SRCROOT)
                .build(),
            Uri::Absolute(uri) => ArtifactLocation::builder().uri(uri).build(),
        }
    }
}

impl Reporter for SarifReporter {
    fn is_json(&self) -> bool {
        true
    }

    /// Writes the log; when results were dropped, also warns on stderr (the log itself carries
    /// the same warning as a tool execution notification).
    fn report(
        &self,
        outcome: &Outcome,
        _ctx: &ReportContext<'_>,
        out: &mut dyn Write,
    ) -> io::Result<()> {
        let (log, warning) = self.build(outcome);
        if let Some(w) = warning {
            crate::diagnostic::to_stderr(format_args!("keysift: warning: {w}"));
        }
        serde_json::to_writer_pretty(&mut *out, &log)?;
        writeln!(out)
    }
}

/// `tool.driver.informationUri`: the package homepage when Cargo.toml names one.
fn information_uri() -> &'static str {
    let homepage = env!("CARGO_PKG_HOMEPAGE");
    if homepage.is_empty() {
        FALLBACK_INFORMATION_URI
    } else {
        homepage
    }
}

/// The numeric security severity of a rule (rule files hold it as a string, as SARIF does).
fn security_severity(rule: &Rule) -> f64 {
    rule.severity.parse().unwrap_or(0.0)
}

fn level_of_severity(severity: f64) -> ResultLevel {
    if severity >= ERROR_SEVERITY {
        ResultLevel::Error
    } else if severity >= WARNING_SEVERITY {
        ResultLevel::Warning
    } else {
        ResultLevel::Note
    }
}

fn level_name(level: &ResultLevel) -> &'static str {
    match level {
        ResultLevel::Error => "error",
        ResultLevel::Warning => "warning",
        ResultLevel::Note => "note",
        ResultLevel::None => "none",
    }
}

/// A finding's level: `error` when verified live, otherwise from its rule's severity.
pub fn level(f: &Finding) -> ResultLevel {
    if f.verification == Some(Verification::Live) {
        ResultLevel::Error
    } else {
        level_of_severity(security_severity(&f.rule))
    }
}

fn verification(v: &Verification) -> Value {
    match v {
        Verification::Live => json!("live"),
        Verification::Invalid => json!("invalid"),
        Verification::Unknown { .. } => json!("unknown"),
    }
}

/// The `max` most severe findings, in their original order: live keys first, then by level,
/// security severity and precision. Ties keep the earlier finding.
fn most_severe(findings: &[Finding], max: usize) -> Vec<&Finding> {
    if findings.len() <= max {
        return findings.iter().collect();
    }
    let rank = |f: &Finding| {
        let lvl = match level(f) {
            ResultLevel::Error => 3,
            ResultLevel::Warning => 2,
            ResultLevel::Note => 1,
            ResultLevel::None => 0,
        };
        let precision = match f.precision() {
            crate::rules::Precision::VeryHigh => 3,
            crate::rules::Precision::High => 2,
            crate::rules::Precision::Medium => 1,
            crate::rules::Precision::Low => 0,
        };
        // Severities have one decimal; tenths make them totally ordered integers.
        let severity = (security_severity(&f.rule) * 10.0).round() as i64;
        (
            f.verification == Some(Verification::Live),
            lvl,
            severity,
            precision,
        )
    };
    let mut order: Vec<usize> = (0..findings.len()).collect();
    order.sort_by_key(|&i| Reverse(rank(&findings[i])));
    order.truncate(max);
    order.sort_unstable();
    order.into_iter().map(|i| &findings[i]).collect()
}

/// One `rules[]` entry, with how to revoke and rotate the key in `help`.
fn descriptor(rule: &Rule) -> ReportingDescriptor {
    let provider = &rule.provider;
    let revoke = &provider.revoke;
    let is_url = revoke.starts_with("https://") || revoke.starts_with("http://");
    let (revoke_text, revoke_md) = if is_url {
        (format!(" at {revoke}"), format!(" at <{revoke}>"))
    } else {
        let prose = revoke.trim_end_matches('.');
        (format!(": {prose}"), format!(": {prose}"))
    };
    let env = if provider.env_vars.is_empty() {
        String::new()
    } else {
        format!(" such as {}", provider.env_vars.join(", "))
    };
    let env_md = if provider.env_vars.is_empty() {
        String::new()
    } else {
        let vars: Vec<String> = provider.env_vars.iter().map(|v| format!("`{v}`")).collect();
        format!(" such as {}", vars.join(", "))
    };
    let text = format!(
        "{description}\n\n{remediation}\n\nWhat to do:\n\
         1. Revoke or rotate the key now{revoke_text}. Deleting it from the code is not enough: it \
         stays in git history, forks and clones.\n\
         2. Create a new key and keep it out of the repository: store it in your CI's secret \
         store or a secrets manager and read it from an environment variable{env}.\n\
         3. Check the provider's usage logs for use of the old key since it was committed.\n\
         4. Remove the key from the code. Rewriting history (git filter-repo) is optional once \
         the key is revoked.",
        description = rule.description,
        remediation = rule.remediation,
    );
    let markdown = format!(
        "{description}\n\n**Remediation:** {remediation}\n\n**What to do**\n\n\
         1. **Revoke or rotate the key now**{revoke_md}. Deleting it from the code is not \
         enough: it stays in git history, forks and clones.\n\
         2. Create a new key and keep it out of the repository: store it in your CI's secret \
         store (for GitHub Actions, an encrypted secret) or a secrets manager and read it from \
         an environment variable{env_md}.\n\
         3. Check the provider's usage logs for use of the old key since it was committed.\n\
         4. Remove the key from the code. Rewriting history (`git filter-repo`) is optional once \
         the key is revoked.",
        description = rule.description,
        remediation = rule.remediation,
    );

    let mut tags = vec![
        "security".to_string(),
        "secret".to_string(),
        "external/cwe/cwe-798".to_string(),
        provider.id.clone(),
    ];
    for t in &rule.tags {
        if !tags.contains(t) {
            tags.push(t.clone());
        }
    }
    let props = BTreeMap::from([
        ("precision".to_string(), json!(rule.precision.as_str())),
        ("category".to_string(), json!(rule.category.as_str())),
        ("security-severity".to_string(), json!(rule.severity)),
        ("provider".to_string(), json!(provider.name)),
    ]);

    let mut d = ReportingDescriptor::builder()
        .id(rule.id.clone())
        .name(rule.name.clone())
        .short_description(
            MultiformatMessageString::builder()
                .text(rule.name.clone())
                .build(),
        )
        .full_description(
            MultiformatMessageString::builder()
                .text(rule.description.clone())
                .build(),
        )
        .help(
            MultiformatMessageString::builder()
                .text(text)
                .markdown(markdown)
                .build(),
        )
        .default_configuration(
            ReportingConfiguration::builder()
                .level(json!(level_name(&level_of_severity(security_severity(
                    rule
                )))))
                .build(),
        )
        .properties(
            PropertyBag::builder()
                .tags(tags)
                .additional_properties(props)
                .build(),
        )
        .build();
    if is_url {
        d.help_uri = Some(revoke.clone());
    }
    d
}

/// The raw secrets found on each line of each file, by column, so a snippet can hide every
/// secret on its line (a line may hold two keys, such as an access key id and its secret).
/// Only one-line secrets are listed: a snippet is one line, so it cannot hold a longer one.
type SecretsByLine<'a> = HashMap<(&'a str, usize), Vec<(usize, &'a Secret)>>;

fn secrets_by_line(findings: &[Finding]) -> SecretsByLine<'_> {
    let mut map: SecretsByLine<'_> = HashMap::new();
    for f in findings
        .iter()
        .filter(|f| f.location.end_line == f.location.line)
    {
        map.entry((f.path.as_str(), f.location.line))
            .or_default()
            .push((f.location.column, &f.secret));
    }
    for secrets in map.values_mut() {
        secrets.sort_by_key(|(column, _)| *column);
    }
    map
}

/// Characters a snippet shows around its secret, at most (see [`crate::finding::snippet`],
/// which clips by bytes: never fewer characters), so only the secrets starting that near can
/// be in it. A line of a million keys then costs each finding a few, not a million.
const SNIPPET_REACH: usize = 256;

/// The finding's snippet with its own secret and every other secret on its line redacted.
fn redacted_snippet(f: &Finding, by_line: &SecretsByLine<'_>) -> String {
    let mut text = f.snippet.render(&f.secret, false);
    let on_line = by_line
        .get(&(f.path.as_str(), f.location.line))
        .map_or(&[][..], Vec::as_slice);
    let from = on_line.partition_point(|(c, _)| *c + SNIPPET_REACH < f.location.column);
    let near = on_line[from..]
        .iter()
        .take_while(|(c, _)| *c <= f.location.column.max(f.location.end_column) + SNIPPET_REACH);
    for (_, other) in near {
        let raw = other.expose();
        if *other != &f.secret && !raw.is_empty() && text.contains(raw) {
            text = text.replace(raw, &other.redacted());
        }
    }
    text
}

/// Where an artifact is, as SARIF wants it.
#[derive(Debug, PartialEq, Eq)]
enum Uri {
    /// Relative to `%SRCROOT%`, percent-encoded.
    Relative(String),
    /// A `file://` URI for a path outside the source root (GitHub cannot map it to the repo).
    Absolute(String),
}

/// Makes `path` (as reports show it: relative to the current directory, or absolute) a URI
/// relative to `root`. `root` must be absolute and normalized.
fn artifact_uri(path: &str, root: &Path) -> Uri {
    let p = Path::new(path);
    let abs = normalize(&if p.is_absolute() {
        p.to_path_buf()
    } else {
        root.join(p)
    });
    // A symlinked working directory (macOS /tmp) may make the two spellings differ.
    let rel = abs
        .strip_prefix(root)
        .map(Path::to_path_buf)
        .ok()
        .or_else(|| {
            let canonical = abs.canonicalize().ok()?;
            let root = root.canonicalize().ok()?;
            canonical.strip_prefix(root).map(Path::to_path_buf).ok()
        });
    match rel {
        Some(rel) if rel.components().next().is_some() => Uri::Relative(encode_components(&rel)),
        _ => {
            let mut uri = String::from("file://");
            if !abs.to_string_lossy().starts_with('/') {
                uri.push('/');
            }
            for c in abs.components() {
                match c {
                    Component::RootDir => {}
                    Component::Prefix(p) => uri.push_str(&encode(&p.as_os_str().to_string_lossy())),
                    other => {
                        uri.push('/');
                        uri.push_str(&encode(&other.as_os_str().to_string_lossy()));
                    }
                }
            }
            Uri::Absolute(uri)
        }
    }
}

fn encode_components(rel: &Path) -> String {
    let parts: Vec<String> = rel
        .components()
        .map(|c| encode(&c.as_os_str().to_string_lossy()))
        .collect();
    parts.join("/")
}

/// Resolves `.` and `..` without touching the file system.
fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                if !out.pop() {
                    out.push("..");
                }
            }
            other => out.push(other.as_os_str()),
        }
    }
    out
}

/// Percent-encodes one path segment (RFC 3986 `pchar`). `:` is encoded too, so a first
/// segment such as `C:` or `a:b` is not read as a URI scheme.
fn encode(segment: &str) -> String {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    let mut out = String::with_capacity(segment.len());
    for &b in segment.as_bytes() {
        if b.is_ascii_alphanumeric() || b"-._~!$&'()*+,;=@".contains(&b) {
            out.push(b as char);
        } else {
            out.push('%');
            out.push(HEX[(b >> 4) as usize] as char);
            out.push(HEX[(b & 15) as usize] as char);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;
    use crate::{
        detect::engine::{Engine, Scratch},
        rules::RuleSet,
        scan::{ScanOptions, Scanner},
    };

    const RULES: &str = r#"
[provider]
id = "acme"
name = "Acme"
env_vars = ["ACME_KEY"]
revoke = "https://acme.example/keys"

[[rule]]
id = "acme-token"
name = "Acme token"
description = "An Acme token."
regex = '''\b(acme_[a-z0-9]{16})\b'''
keywords = ["acme_"]
severity = "9.0"
precision = "high"
remediation = "Revoke it at https://acme.example/keys."
examples = ["acme_{{loweralnum:16}}"]

[[rule]]
id = "acme-weak"
name = "Acme weak token"
description = "A low-severity Acme token."
regex = '''\b(acmw_[a-z0-9]{16})\b'''
keywords = ["acmw_"]
severity = "5.0"
precision = "medium"
remediation = "Revoke it at https://acme.example/keys."
examples = ["acmw_{{loweralnum:16}}"]
"#;

    fn scan(path: &str, text: &str) -> Vec<Finding> {
        let mut set = RuleSet::default();
        set.add_source("t.toml", RULES).unwrap();
        let engine = Engine::new(Arc::new(set)).unwrap();
        let scanner = Scanner::new(engine, ScanOptions::default());
        scanner.scan_text(path, text.as_bytes(), &mut Scratch::default())
    }

    fn outcome(findings: Vec<Finding>) -> Outcome {
        Outcome {
            findings,
            ..Outcome::default()
        }
    }

    fn to_json(log: &Sarif) -> Value {
        serde_json::to_value(log).unwrap()
    }

    const TOKEN: &str = "acme_k3x9q2w7e5r1t8y4";
    const WEAK: &str = "acmw_p0o9i8u7y6t5r4e3";

    #[test]
    fn live_finding_is_an_error_with_a_property() {
        let mut findings = scan("a.txt", &format!("x = {WEAK}\n"));
        let reporter = SarifReporter::new(PathBuf::from("/repo"));
        let v = to_json(&reporter.build(&outcome(findings.clone())).0);
        assert_eq!(v["runs"][0]["results"][0]["level"], "warning");
        assert!(v["runs"][0]["results"][0]["properties"]["live"].is_null());

        findings[0].verification = Some(Verification::Live);
        let v = to_json(&reporter.build(&outcome(findings.clone())).0);
        let r = &v["runs"][0]["results"][0];
        assert_eq!(r["level"], "error");
        assert_eq!(r["properties"]["verification"], "live");
        assert_eq!(r["properties"]["live"], true);
        assert!(
            r["message"]["text"]
                .as_str()
                .unwrap()
                .contains("verified live")
        );

        findings[0].verification = Some(Verification::Unknown {
            reason: "rate limited".into(),
        });
        let v = to_json(&reporter.build(&outcome(findings)).0);
        let r = &v["runs"][0]["results"][0];
        assert_eq!(r["level"], "warning");
        assert_eq!(r["properties"]["verification"], "unknown");
        assert_eq!(r["properties"]["verificationReason"], "rate limited");
        assert_eq!(r["properties"]["live"], false);
    }

    #[test]
    fn severity_maps_to_level() {
        assert!(matches!(level_of_severity(9.0), ResultLevel::Error));
        assert!(matches!(level_of_severity(7.0), ResultLevel::Error));
        assert!(matches!(level_of_severity(6.9), ResultLevel::Warning));
        assert!(matches!(level_of_severity(4.0), ResultLevel::Warning));
        assert!(matches!(level_of_severity(3.9), ResultLevel::Note));
    }

    #[test]
    fn truncation_keeps_the_most_severe_in_order_and_says_so() {
        let text = format!("{WEAK}\n{TOKEN}\n{WEAK}\n{TOKEN}\n");
        let findings = scan("a.txt", &text);
        assert_eq!(findings.len(), 4);
        let reporter = SarifReporter::new(PathBuf::from("/repo")).with_max_results(2);
        let (log, warning) = reporter.build(&outcome(findings));
        let v = to_json(&log);
        let results = v["runs"][0]["results"].as_array().unwrap();
        let lines: Vec<i64> = results
            .iter()
            .map(|r| {
                r["locations"][0]["physicalLocation"]["region"]["startLine"]
                    .as_i64()
                    .unwrap()
            })
            .collect();
        assert_eq!(lines, [2, 4]);
        assert!(results.iter().all(|r| r["ruleId"] == "acme-token"));
        assert_eq!(
            v["runs"][0]["tool"]["driver"]["rules"]
                .as_array()
                .unwrap()
                .len(),
            1
        );
        let w = warning.expect("a warning");
        assert!(w.contains("4 findings") && w.contains("at most 2"), "{w}");
        let notes = &v["runs"][0]["invocations"][0]["toolExecutionNotifications"];
        assert_eq!(notes[0]["descriptor"]["id"], "keysift/result-limit");
    }

    #[test]
    fn no_warning_at_the_limit() {
        let findings = scan("a.txt", &format!("{TOKEN}\n{WEAK}\n"));
        let (_, warning) = SarifReporter::new(PathBuf::from("/repo"))
            .with_max_results(2)
            .build(&outcome(findings));
        assert!(warning.is_none());
    }

    #[test]
    fn other_secrets_on_the_line_are_redacted_in_the_snippet() {
        let findings = scan("a.txt", &format!("pair = {TOKEN}:{WEAK}\n"));
        assert_eq!(findings.len(), 2);
        let log = SarifReporter::new(PathBuf::from("/repo")).build(&outcome(findings));
        let raw = serde_json::to_string(&log).unwrap();
        assert!(!raw.contains(TOKEN) && !raw.contains(WEAK), "{raw}");
    }

    #[test]
    fn end_column_is_exclusive() {
        let findings = scan("a.txt", &format!("k: {TOKEN}\n"));
        let v = to_json(
            &SarifReporter::new(PathBuf::from("/repo"))
                .build(&outcome(findings))
                .0,
        );
        let region = &v["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"];
        assert_eq!(region["startColumn"], 4);
        assert_eq!(region["endColumn"], 4 + TOKEN.len() as i64);
    }

    #[test]
    fn uris_are_relative_and_encoded() {
        let root = Path::new("/repo");
        let rel = |p: &str| artifact_uri(p, root);
        assert_eq!(rel("a/b.txt"), Uri::Relative("a/b.txt".into()));
        assert_eq!(rel("./a/b.txt"), Uri::Relative("a/b.txt".into()));
        assert_eq!(rel("/repo/a/b.txt"), Uri::Relative("a/b.txt".into()));
        assert_eq!(
            rel("/repo/./x/../a b.txt"),
            Uri::Relative("a%20b.txt".into())
        );
        assert_eq!(
            rel("dir/é#1?.txt"),
            Uri::Relative("dir/%C3%A9%231%3F.txt".into())
        );
        assert_eq!(rel("a:b"), Uri::Relative("a%3Ab".into()));
        assert_eq!(rel("50%.txt"), Uri::Relative("50%25.txt".into()));
        assert_eq!(
            rel("/elsewhere/a b"),
            Uri::Absolute("file:///elsewhere/a%20b".into())
        );
        assert_eq!(rel("../up.txt"), Uri::Absolute("file:///up.txt".into()));
    }
}

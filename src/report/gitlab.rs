//! `--format gitlab`: GitLab's secret-detection report (`gl-secret-detection-report.json`,
//! schema 15.0.7), so findings appear in merge requests and the vulnerability report. Always
//! redacted: the report is stored as a pipeline artifact anyone with access can download.

use std::{
    io::{self, Write},
    time::{Duration, SystemTime},
};

use serde::Serialize;

use super::{ReportContext, Reporter};
use crate::{
    diagnostic::Severity,
    finding::{Finding, Verification},
    outcome::Outcome,
};

/// The schema version the report declares (and the tests validate against).
pub const SCHEMA_VERSION: &str = "15.0.7";

/// A commit id for findings outside any commit (files, standard input): GitLab's own secrets
/// analyzer writes the same placeholder.
const NO_COMMIT: &str = "0000000";

pub struct GitlabReporter;

#[derive(Serialize)]
struct Report<'a> {
    version: &'static str,
    schema: String,
    scan: Scan,
    vulnerabilities: Vec<Vulnerability<'a>>,
}

#[derive(Serialize)]
struct Scan {
    analyzer: Tool,
    scanner: Tool,
    #[serde(rename = "type")]
    kind: &'static str,
    start_time: String,
    end_time: String,
    status: &'static str,
    messages: Vec<Message>,
}

#[derive(Serialize)]
struct Tool {
    id: &'static str,
    name: &'static str,
    version: &'static str,
    vendor: Vendor,
}

#[derive(Serialize)]
struct Vendor {
    name: &'static str,
}

#[derive(Serialize)]
struct Message {
    level: &'static str,
    value: String,
}

#[derive(Serialize)]
struct Vulnerability<'a> {
    id: String,
    name: &'a str,
    description: String,
    severity: &'static str,
    solution: &'a str,
    identifiers: Vec<Identifier<'a>>,
    location: Location<'a>,
}

#[derive(Serialize)]
struct Identifier<'a> {
    #[serde(rename = "type")]
    kind: &'static str,
    name: String,
    value: &'a str,
}

#[derive(Serialize)]
struct Location<'a> {
    file: &'a str,
    start_line: usize,
    end_line: usize,
    commit: CommitRef<'a>,
}

#[derive(Serialize)]
struct CommitRef<'a> {
    sha: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    author: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    date: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    message: Option<&'a str>,
}

impl Reporter for GitlabReporter {
    fn is_json(&self) -> bool {
        true
    }

    fn report(
        &self,
        outcome: &Outcome,
        _ctx: &ReportContext<'_>,
        out: &mut dyn Write,
    ) -> io::Result<()> {
        let end = SystemTime::now();
        let start = end.checked_sub(outcome.stats.elapsed).unwrap_or(end);
        let tool = || Tool {
            id: "keysift",
            name: "keysift",
            version: env!("CARGO_PKG_VERSION"),
            vendor: Vendor { name: "keysift" },
        };
        let messages = outcome
            .diagnostics
            .iter()
            .filter(|d| d.severity != Severity::Note)
            .map(|d| Message {
                level: "warn",
                value: format!("{}: {}", d.path, d.message),
            })
            .collect();
        let report = Report {
            version: SCHEMA_VERSION,
            schema: format!(
                "https://gitlab.com/gitlab-org/security-products/security-report-schemas/-/raw/v{SCHEMA_VERSION}/dist/secret-detection-report-format.json"
            ),
            scan: Scan {
                analyzer: tool(),
                scanner: tool(),
                kind: "secret_detection",
                start_time: utc(start),
                end_time: utc(end),
                // The scan ran to the end; what it could not read is in `messages`.
                status: "success",
                messages,
            },
            vulnerabilities: outcome.findings.iter().map(vulnerability).collect(),
        };
        serde_json::to_writer_pretty(&mut *out, &report)?;
        writeln!(out)
    }
}

fn vulnerability(f: &Finding) -> Vulnerability<'_> {
    let live = match &f.verification {
        Some(Verification::Live) => " The provider confirmed the key is live.",
        _ => "",
    };
    Vulnerability {
        id: uuid_from(&f.fingerprint.to_string()),
        name: &f.rule.name,
        description: format!(
            "{} ({}) in {} at line {}: {}.{live}",
            f.rule.name,
            f.rule.provider.name,
            f.path,
            f.location.line,
            f.secret.redacted()
        ),
        severity: severity(&f.rule.severity),
        solution: &f.rule.remediation,
        identifiers: vec![Identifier {
            kind: "keysift_rule_id",
            name: format!("keysift rule {}", f.rule.id),
            value: &f.rule.id,
        }],
        location: Location {
            file: &f.path,
            start_line: f.location.line,
            end_line: f.location.end_line,
            commit: match &f.commit {
                Some(c) => CommitRef {
                    sha: &c.id,
                    author: Some(format!("{} <{}>", c.author, c.email)),
                    date: Some(&c.date),
                    message: Some(&c.summary),
                },
                None => CommitRef {
                    sha: NO_COMMIT,
                    author: None,
                    date: None,
                    message: None,
                },
            },
        },
    }
}

/// A rule's numeric severity (a CVSS-like score) as GitLab's level.
fn severity(score: &str) -> &'static str {
    match score.parse::<f64>() {
        Ok(s) if s >= 9.0 => "Critical",
        Ok(s) if s >= 7.0 => "High",
        Ok(s) if s >= 4.0 => "Medium",
        Ok(s) if s > 0.0 => "Low",
        _ => "Unknown",
    }
}

/// The fingerprint (32 hex digits) laid out as a UUID: stable across runs, so GitLab tracks
/// the same finding as the same vulnerability.
fn uuid_from(fingerprint: &str) -> String {
    let h: String = fingerprint
        .chars()
        .filter(char::is_ascii_hexdigit)
        .chain(std::iter::repeat('0'))
        .take(32)
        .collect();
    format!(
        "{}-{}-{}-{}-{}",
        &h[..8],
        &h[8..12],
        &h[12..16],
        &h[16..20],
        &h[20..]
    )
}

/// `yyyy-mm-ddThh:mm:ss` in UTC, the form the schema demands.
fn utc(t: SystemTime) -> String {
    let secs = t
        .duration_since(SystemTime::UNIX_EPOCH)
        .unwrap_or(Duration::ZERO)
        .as_secs();
    let (days, rem) = (secs / 86_400, secs % 86_400);
    let (y, m, d) = civil_from_days(days as i64);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    )
}

/// Days since 1970-01-01 to a (year, month, day) date, after Howard Hinnant's algorithm.
fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (yoe + era * 400 + i64::from(m <= 2), m, d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_utc_calendar_dates() {
        let at = |s| SystemTime::UNIX_EPOCH + Duration::from_secs(s);
        assert_eq!(utc(at(0)), "1970-01-01T00:00:00");
        assert_eq!(utc(at(951_782_400)), "2000-02-29T00:00:00");
        assert_eq!(utc(at(1_767_225_599)), "2025-12-31T23:59:59");
    }

    #[test]
    fn severities_and_ids() {
        assert_eq!(severity("9.1"), "Critical");
        assert_eq!(severity("8.0"), "High");
        assert_eq!(severity("x"), "Unknown");
        assert_eq!(
            uuid_from("0123456789abcdef0123456789abcdef"),
            "01234567-89ab-cdef-0123-456789abcdef"
        );
    }
}

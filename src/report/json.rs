//! `--format json`: a stable, documented schema (see README "JSON output"). Field names only
//! ever get added, never renamed, so tools can rely on them.

use std::io::{self, Write};

use serde::Serialize;

use super::{ReportContext, Reporter};
use crate::{
    diagnostic::Diagnostic,
    finding::{Commit, Finding, Fingerprint, Verification},
    outcome::{Outcome, Stats},
};

/// Version of the JSON schema; bumped only on an incompatible change.
pub const SCHEMA_VERSION: u32 = 1;

pub struct JsonReporter;

#[derive(Serialize)]
struct Document<'a> {
    schema_version: u32,
    tool: Tool,
    findings: Findings<'a>,
    diagnostics: &'a [Diagnostic],
    stats: JsonStats<'a>,
}

/// The findings, each turned into a [`JsonFinding`] only as it is written: a report of a
/// million findings holds no second copy of them.
struct Findings<'a> {
    all: &'a [Finding],
    show: bool,
}

impl Serialize for Findings<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.all.iter().map(|f| JsonFinding::new(f, self.show)))
    }
}

#[derive(Serialize)]
struct Tool {
    name: &'static str,
    version: &'static str,
}

#[derive(Serialize)]
struct JsonStats<'a> {
    #[serde(flatten)]
    stats: &'a Stats,
    elapsed_ms: u128,
}

/// One finding as JSON. `secret` is redacted unless `--show-secrets`.
#[derive(Serialize)]
pub struct JsonFinding<'a> {
    pub rule: &'a str,
    pub rule_name: &'a str,
    pub provider: &'a str,
    pub provider_name: &'a str,
    pub path: &'a str,
    pub line: usize,
    pub column: usize,
    pub end_line: usize,
    pub end_column: usize,
    pub secret: String,
    pub snippet: String,
    pub fingerprint: &'a Fingerprint,
    pub context_seen: bool,
    /// Whether the key's checksum holds; absent when the rule's keys carry none.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub checksum: Option<bool>,
    /// `secret` or `identifier` (an id that grants nothing alone, such as an access key id).
    pub category: &'a str,
    /// Encodings the secret was found under, outermost first; empty when written as is.
    pub decoded: &'a [&'static str],
    pub severity: &'a str,
    /// The rule's precision, or `low` when the checksum fails.
    pub precision: &'a str,
    pub remediation: &'a str,
    pub commit: Option<&'a Commit>,
    pub verification: Option<&'a Verification>,
}

impl<'a> JsonFinding<'a> {
    pub fn new(f: &'a Finding, show: bool) -> JsonFinding<'a> {
        JsonFinding {
            rule: &f.rule.id,
            rule_name: &f.rule.name,
            provider: &f.rule.provider.id,
            provider_name: &f.rule.provider.name,
            path: &f.path,
            line: f.location.line,
            column: f.location.column,
            end_line: f.location.end_line,
            end_column: f.location.end_column,
            secret: if show {
                f.secret.expose().to_string()
            } else {
                f.secret.redacted()
            },
            snippet: f.snippet.render(&f.secret, show),
            fingerprint: &f.fingerprint,
            context_seen: f.context_seen,
            checksum: f.checksum,
            category: f.rule.category.as_str(),
            decoded: &f.decoded,
            severity: &f.rule.severity,
            precision: f.precision().as_str(),
            remediation: &f.rule.remediation,
            commit: f.commit.as_deref(),
            verification: f.verification.as_ref(),
        }
    }
}

impl Reporter for JsonReporter {
    fn is_json(&self) -> bool {
        true
    }

    fn report(
        &self,
        outcome: &Outcome,
        ctx: &ReportContext<'_>,
        out: &mut dyn Write,
    ) -> io::Result<()> {
        let doc = Document {
            schema_version: SCHEMA_VERSION,
            tool: Tool {
                name: "keysift",
                version: env!("CARGO_PKG_VERSION"),
            },
            findings: Findings {
                all: &outcome.findings,
                show: ctx.show_secrets,
            },
            diagnostics: &outcome.diagnostics,
            stats: JsonStats {
                stats: &outcome.stats,
                elapsed_ms: outcome.stats.elapsed.as_millis(),
            },
        };
        serde_json::to_writer_pretty(&mut *out, &doc)?;
        writeln!(out)
    }
}

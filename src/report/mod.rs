//! Reports: one module per output format, all fed the same [`Outcome`]. Secrets are redacted
//! unless `show_secrets` is set (SARIF and GitLab reports, which go to shared dashboards, are
//! always redacted). Every format goes out through [`write()`], which masks every copy of every
//! secret and neutralises terminal and CI-log escapes in whatever the format printed.

pub mod escape;
pub mod gitlab;
mod json;
mod redact;
pub mod sarif;
mod text;

use std::io::{self, Write};

use crate::{outcome::Outcome, rules::RuleSet};

pub use gitlab::GitlabReporter;
pub use json::JsonReporter;
pub use redact::Redactor;
pub use sarif::SarifReporter;
pub use text::{TextReporter, plural, summary};

/// What every reporter may need beyond the findings.
pub struct ReportContext<'a> {
    pub rules: &'a RuleSet,
    pub show_secrets: bool,
}

pub trait Reporter {
    fn report(
        &self,
        outcome: &Outcome,
        ctx: &ReportContext<'_>,
        out: &mut dyn Write,
    ) -> io::Result<()>;
}

/// Renders `outcome` with `reporter` and writes it to `out`, after masking every occurrence of
/// `redactor`'s secrets (pass [`Redactor::default`] to mask nothing, as `--show-secrets`
/// does) and making the text safe for terminals and CI logs. A report that is one JSON
/// document is edited inside its strings only, so it stays valid; any other is text.
pub fn write(
    reporter: &dyn Reporter,
    outcome: &Outcome,
    ctx: &ReportContext<'_>,
    redactor: &Redactor,
    out: &mut dyn Write,
) -> io::Result<()> {
    let mut buf = Vec::new();
    reporter.report(outcome, ctx, &mut buf)?;
    if serde_json::from_slice::<serde::de::IgnoredAny>(&buf).is_ok() {
        let masked = redactor.json(&buf);
        out.write_all(&escape::json(&masked))
    } else {
        let masked = redactor.text(&String::from_utf8_lossy(&buf));
        out.write_all(escape::lines(&masked).as_bytes())
    }
}

/// Colour, when wanted, as ANSI styles; plain text otherwise.
#[derive(Clone, Copy)]
pub struct Palette {
    on: bool,
}

impl Palette {
    pub fn new(on: bool) -> Palette {
        Palette { on }
    }

    pub fn paint(&self, style: anstyle::Style, text: &str) -> String {
        if self.on {
            format!("{}{text}{}", style.render(), style.render_reset())
        } else {
            text.to_string()
        }
    }
}

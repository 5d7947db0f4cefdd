//! Reports: one module per output format, all fed the same [`Outcome`]. Secrets are redacted
//! unless `show_secrets` is set (SARIF, which goes to shared dashboards, is always redacted).

mod json;
pub mod sarif;
mod text;

use std::io::{self, Write};

use crate::{outcome::Outcome, rules::RuleSet};

pub use json::JsonReporter;
pub use sarif::SarifReporter;
pub use text::{TextReporter, summary};

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

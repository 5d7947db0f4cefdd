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
pub use redact::{Redactor, Secrets};
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

    /// Whether the report is one JSON document, masked inside its strings only.
    fn is_json(&self) -> bool {
        false
    }
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
    let mut masking = Masking {
        out,
        redactor,
        json: reporter.is_json(),
        pending: Vec::new(),
    };
    // Reporters write a token at a time: buffered, each write is a copy, not a masking call.
    let mut buffered = io::BufWriter::with_capacity(MASK_CHUNK, &mut masking);
    reporter.report(outcome, ctx, &mut buffered)?;
    buffered.flush()?;
    drop(buffered);
    masking.finish()
}

/// Bytes a [`Masking`] writer gathers before it masks and passes on what it has.
const MASK_CHUNK: usize = 1 << 16;

/// Masks and escapes a report on its way out, a chunk at a time, so a report of a million
/// findings is never held whole. Chunks end after a line break: pretty-printed JSON breaks
/// lines only between values (serde escapes a line break inside a string), and text output
/// only between lines it wrote itself (fields are escaped onto one line), so no secret, no
/// JSON string and no line checked for workflow commands spans two chunks. A report without
/// line breaks is masked whole at the end, as before.
struct Masking<'a> {
    out: &'a mut dyn Write,
    redactor: &'a Redactor,
    json: bool,
    pending: Vec<u8>,
}

impl Masking<'_> {
    /// Masks, escapes and writes `chunk`, which ends at a line break or the end.
    fn emit(&mut self, chunk: &[u8]) -> io::Result<()> {
        if self.json {
            let masked = self.redactor.json(chunk);
            self.out.write_all(&escape::json(&masked))
        } else {
            let text = String::from_utf8_lossy(chunk);
            let masked = self.redactor.text(&text);
            self.out.write_all(escape::lines(&masked).as_bytes())
        }
    }

    fn finish(mut self) -> io::Result<()> {
        let rest = std::mem::take(&mut self.pending);
        self.emit(&rest)
    }
}

impl Write for Masking<'_> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.pending.extend_from_slice(buf);
        if self.pending.len() >= MASK_CHUNK
            && let Some(nl) = memchr::memrchr(b'\n', &self.pending)
        {
            let rest = self.pending.split_off(nl + 1);
            let chunk = std::mem::replace(&mut self.pending, rest);
            self.emit(&chunk)?;
        }
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// Calls `f` with every text a report of `outcome` may print that keysift did not write
/// itself (and rule texts, which a rule file may set), for [`Redactor::for_texts`]: paths,
/// snippets as rendered (each finding's own secret redacted, as every reporter prints it),
/// commits, verification reasons, diagnostics, ignore files, and each text also as text
/// output escapes it. `extra` adds what the caller knows of (the working directory SARIF
/// reports against).
pub fn printed_texts(outcome: &Outcome, rules: &RuleSet, extra: &[&str], f: &mut dyn FnMut(&str)) {
    let mut both = |t: &str| {
        f(t);
        if let std::borrow::Cow::Owned(e) = escape::field(t) {
            f(&e);
        }
    };
    for t in extra {
        both(t);
    }
    for r in rules.rules() {
        if let Ok(json) = serde_json::to_string(&**r) {
            both(&json);
        }
        for t in [&r.provider.id, &r.provider.name, &r.provider.revoke] {
            both(t);
        }
    }
    let mut last_path: Option<&str> = None;
    for finding in &outcome.findings {
        if last_path != Some(finding.path.as_str()) {
            both(&finding.path);
            last_path = Some(&finding.path);
        }
        both(&finding.snippet.render(&finding.secret, false));
        if let Some(c) = &finding.commit {
            for t in [&c.id, &c.author, &c.email, &c.date, &c.summary] {
                both(t);
            }
        }
        if let Some(crate::finding::Verification::Unknown { reason }) = &finding.verification {
            both(reason);
        }
    }
    for d in &outcome.diagnostics {
        both(&d.path);
        both(&d.message);
    }
    for t in &outcome.ignore_files {
        both(t);
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

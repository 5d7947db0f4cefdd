//! A progress line on stderr for long scans on a terminal. It appears only after a second,
//! so quick scans (and the pre-commit hook) print nothing extra.

use std::{
    io::IsTerminal,
    time::{Duration, Instant},
};

use indicatif::{HumanBytes, ProgressBar, ProgressDrawTarget, ProgressStyle};

use crate::outcome::Stats;

const DELAY: Duration = Duration::from_secs(1);

/// Overrides `DELAY` in milliseconds, so tests (under a pseudo-terminal) and screencasts see
/// the line on a short scan.
pub const DELAY_ENV: &str = "KEYSIFT_PROGRESS_DELAY_MS";

pub struct Progress {
    enabled: bool,
    started: Instant,
    delay: Duration,
    bar: Option<ProgressBar>,
}

impl Progress {
    /// `wanted` is false for machine output to stdout and for `--quiet`.
    pub fn new(wanted: bool) -> Progress {
        Progress {
            enabled: wanted && std::io::stderr().is_terminal(),
            started: Instant::now(),
            delay: std::env::var(DELAY_ENV)
                .ok()
                .and_then(|v| v.parse().ok())
                .map_or(DELAY, Duration::from_millis),
            bar: None,
        }
    }

    pub fn tick(&mut self, stats: &Stats, findings: usize) {
        self.tick_with(|| {
            format!(
                "{} files, {} scanned, {} findings",
                stats.files,
                HumanBytes(stats.bytes),
                findings
            )
        });
    }

    /// Shows `message()` (built only when the line is shown) for scans without [`Stats`].
    pub fn tick_with(&mut self, message: impl FnOnce() -> String) {
        if !self.enabled || self.started.elapsed() < self.delay {
            return;
        }
        let bar = self.bar.get_or_insert_with(|| {
            let b = ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr());
            if let Ok(style) = ProgressStyle::with_template("{spinner} {msg}") {
                b.set_style(style);
            }
            b
        });
        bar.set_message(message());
        bar.tick();
    }

    pub fn finish(&mut self) {
        if let Some(b) = self.bar.take() {
            b.finish_and_clear();
        }
    }
}

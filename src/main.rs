//! The `keysift` binary: parse arguments, run, map the outcome to an exit status.

/// `eprintln!` that cannot panic: see [`keysift::diagnostic::to_stderr`].
macro_rules! stderr_line {
    ($($arg:tt)*) => {
        keysift::diagnostic::to_stderr(format_args!($($arg)*))
    };
}

mod app;
mod cli;

use std::process::ExitCode;

use clap::Parser;
use keysift::exit::ExitStatus;

fn main() -> ExitCode {
    let cli = match cli::Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return if e.use_stderr() {
                ExitStatus::Error.into()
            } else {
                ExitStatus::Clean.into()
            };
        }
    };
    match app::run(cli) {
        Ok(status) => status.into(),
        Err(e) => {
            if is_broken_pipe(&e) {
                return ExitStatus::Clean.into();
            }
            stderr_line!("keysift: error: {}", printable(&message(&e)));
            ExitStatus::Error.into()
        }
    }
}

/// An error may quote the scanned tree (a config file's line, a file name): its lines keep
/// their breaks, everything else unsafe for a terminal or a CI log is escaped.
fn printable(message: &str) -> String {
    use keysift::report::escape;
    let lines: Vec<_> = message.split('\n').map(escape::field).collect();
    escape::lines(&lines.join("\n")).into_owned()
}

/// The error and its causes, `: `-separated, leaving out a cause the message before it already
/// quotes (library errors often say `cannot read X: {source}` and keep the source too).
fn message(e: &anyhow::Error) -> String {
    let mut text = String::new();
    for cause in e.chain() {
        let part = cause.to_string();
        if text.contains(&part) {
            continue;
        }
        if !text.is_empty() {
            text.push_str(": ");
        }
        text.push_str(&part);
    }
    text
}

/// `keysift scan | head` must end quietly when `head` closes the pipe.
pub(crate) fn is_broken_pipe(e: &anyhow::Error) -> bool {
    e.chain().any(|c| {
        c.downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
    })
}

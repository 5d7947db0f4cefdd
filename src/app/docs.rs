//! `keysift completions SHELL` and `keysift man`: both generated from the one clap
//! definition in `cli`, so they never disagree with `--help`.

use std::io::{self, Write};

use anyhow::{Context, Result, bail};
use clap::CommandFactory;
use keysift::exit::ExitStatus;

use crate::cli::Cli;

pub fn completions(shell: clap_complete::Shell) -> Result<ExitStatus> {
    let mut cmd = Cli::command();
    // Into memory first: the generator panics on a write error (`| head` closing the pipe).
    let mut script = Vec::new();
    clap_complete::generate(shell, &mut cmd, "keysift", &mut script);
    let mut out = io::stdout().lock();
    out.write_all(&script)?;
    out.flush()?;
    Ok(ExitStatus::Clean)
}

pub fn man(subcommand: Option<&str>) -> Result<ExitStatus> {
    let mut cmd = Cli::command();
    cmd.build();
    let page = match subcommand {
        None => cmd,
        Some(name) => match cmd.find_subcommand(name) {
            Some(sub) => sub.clone(),
            None => bail!("no subcommand `{name}` (see `keysift --help`)"),
        },
    };
    let mut out = io::stdout().lock();
    // The footer names the program and its version on every page; a subcommand carries none.
    clap_mangen::Man::new(page)
        .source(format!("keysift {}", env!("CARGO_PKG_VERSION")))
        .render(&mut out)
        .context("cannot write the man page")?;
    out.flush()?;
    Ok(ExitStatus::Clean)
}

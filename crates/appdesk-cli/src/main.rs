//! `appdesk`: the command-line program over `appdesk-core`.
//!
//! This file only wires the parts: parse the command line ([`cli`]), run one
//! command ([`commands`]), print what it returns, and turn a [`failure::Failure`]
//! into an exit code and one line on stderr (JSON with `--json`).
//!
//! Exit codes: 0 success, 1 the command failed (bad input, not found, not
//! allowed, …), 2 the command line itself is wrong (clap's usage errors).

mod cli;
mod commands;
mod failure;
mod output;

use std::io::{ErrorKind, Write};
use std::process::ExitCode;

use clap::Parser;

use crate::cli::Cli;
use crate::failure::Failure;

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) if e.use_stderr() && json_requested() => {
            eprintln!("{}", Failure::usage(&e).json());
            return ExitCode::from(2);
        }
        Err(e) => e.exit(),
    };
    let json = cli.global.json;
    // Text output is escaped value by value as it is rendered; `shown_lines`
    // is the last guard, so that no control character but a line break reaches
    // the terminal by any path. (JSON escapes control characters itself.)
    match commands::run(cli) {
        Ok(text) if json => print(&text),
        Ok(text) => print(&output::shown_lines(&text)),
        Err(failure) => {
            eprintln!(
                "{}",
                if json {
                    failure.json()
                } else {
                    output::shown_lines(&failure.human()).into_owned()
                }
            );
            ExitCode::FAILURE
        }
    }
}

/// Whether `--json` is on the command line, for errors found before it is parsed.
fn json_requested() -> bool {
    std::env::args_os()
        .skip(1)
        .take_while(|a| a != "--")
        .any(|a| a == "--json")
}

/// Prints to stdout; a closed pipe (`appdesk app list | head`) is not a failure.
fn print(text: &str) -> ExitCode {
    match std::io::stdout().lock().write_all(text.as_bytes()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) if e.kind() == ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: stdout: {e}");
            ExitCode::FAILURE
        }
    }
}

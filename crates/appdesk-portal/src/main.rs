//! `appdesk-portal`: parses the command line and runs one command.

use appdesk_portal::config::Cli;
use clap::Parser;

fn main() -> std::process::ExitCode {
    let cli = Cli::parse();
    eprintln!("appdesk-portal: {:?} is not implemented yet", cli.command);
    std::process::ExitCode::FAILURE
}

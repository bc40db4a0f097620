//! A child process run to its end with its own peak resident memory, as the
//! kernel counted it: the oracle for "the client stays under 100 MB whatever
//! the portal sends". Not a sampled reading, so a peak just before the
//! process exits is not missed.
//!
//! The command runs under GNU `time` (`/usr/bin/time -f %M`), which waits for
//! that one process and prints its `ru_maxrss`. `getrusage(RUSAGE_CHILDREN)`
//! in the test process would count every child it ever waited for, and their
//! own children (initdb's bootstrap PostgreSQL among them); `wait4` on the
//! child needs `unsafe`, which the workspace denies.

use std::process::{Command, Output};

/// GNU time, from Debian's `time` package.
const TIME: &str = "/usr/bin/time";

/// Runs `cmd` to its end: its output, and its peak resident set in KiB.
pub fn run_with_peak_rss(cmd: Command) -> (Output, u64) {
    let dir = tempfile::tempdir().expect("a temp dir");
    let figure = dir.path().join("maxrss");
    let mut timed = Command::new(TIME);
    timed.arg("-f").arg("%M").arg("-o").arg(&figure);
    timed.arg(cmd.get_program()).args(cmd.get_args());
    for (name, value) in cmd.get_envs() {
        match value {
            Some(value) => timed.env(name, value),
            None => timed.env_remove(name),
        };
    }
    if let Some(dir) = cmd.get_current_dir() {
        timed.current_dir(dir);
    }
    let output = timed
        .output()
        .unwrap_or_else(|e| panic!("run {TIME} (apt-get install time): {e}"));
    let text = std::fs::read_to_string(&figure).expect("GNU time wrote its figure");
    // On a failure GNU time writes "Command exited with non-zero status N"
    // first; the figure is the last line.
    let kib = text
        .lines()
        .last()
        .and_then(|l| l.trim().parse().ok())
        .unwrap_or_else(|| panic!("not a figure from {TIME}: {text:?}"));
    (output, kib)
}

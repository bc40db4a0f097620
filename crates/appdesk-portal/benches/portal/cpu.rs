//! CPU time from /proc, to say what bounds a phase of the benchmark: the server's
//! process, PostgreSQL's (the postmaster and its backends), and the whole machine.
//! When neither is near the machine's capacity, the time goes to waits: fsync at
//! commit, or locks.

use std::time::Instant;

/// Clock ticks per second of /proc's CPU times (USER_HZ, 100 on Linux).
const TICKS: f64 = 100.0;

pub fn cores() -> usize {
    std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(1)
}

#[derive(Debug)]
pub struct Usage {
    server: u32,
    postmaster: u32,
}

#[derive(Debug)]
pub struct Sample {
    at: Instant,
    server: u64,
    postgres: u64,
    machine_busy: u64,
}

/// utime + stime of a process, in ticks (0 when it is gone).
fn process_ticks(pid: u32) -> u64 {
    let Ok(stat) = std::fs::read_to_string(format!("/proc/{pid}/stat")) else {
        return 0;
    };
    // The command name may hold spaces: fields are counted after its ')'.
    let fields: Vec<&str> = stat
        .rsplit_once(')')
        .map(|(_, rest)| rest)
        .unwrap_or("")
        .split_whitespace()
        .collect();
    let field = |i: usize| {
        fields
            .get(i)
            .and_then(|f| f.parse::<u64>().ok())
            .unwrap_or(0)
    };
    // After ')': state is field 0, utime field 11, stime field 12.
    field(11) + field(12)
}

/// The parent of a process.
fn parent(pid: u32) -> Option<u32> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    stat.rsplit_once(')')?
        .1
        .split_whitespace()
        .nth(1)?
        .parse()
        .ok()
}

/// Busy ticks of the whole machine (all but idle and iowait).
fn machine_busy() -> u64 {
    let stat = std::fs::read_to_string("/proc/stat").unwrap_or_default();
    let cpu = stat.lines().next().unwrap_or("");
    let ticks: Vec<u64> = cpu
        .split_whitespace()
        .skip(1)
        .filter_map(|f| f.parse().ok())
        .collect();
    let total: u64 = ticks.iter().sum();
    total - ticks.get(3).copied().unwrap_or(0) - ticks.get(4).copied().unwrap_or(0)
}

impl Usage {
    pub fn new(server: u32, postmaster: u32) -> Usage {
        Usage { server, postmaster }
    }

    pub fn sample(&self) -> Sample {
        let mut postgres = process_ticks(self.postmaster);
        for entry in std::fs::read_dir("/proc").into_iter().flatten().flatten() {
            let Some(pid) = entry
                .file_name()
                .to_str()
                .and_then(|n| n.parse::<u32>().ok())
            else {
                continue;
            };
            if parent(pid) == Some(self.postmaster) {
                postgres += process_ticks(pid);
            }
        }
        Sample {
            at: Instant::now(),
            server: process_ticks(self.server),
            postgres,
            machine_busy: machine_busy(),
        }
    }

    /// The share of one core each used since `before`, and the machine's.
    pub fn since(&self, before: &Sample) -> String {
        let now = self.sample();
        let seconds = now.at.duration_since(before.at).as_secs_f64();
        let share = |ticks: u64| ticks as f64 / TICKS / seconds * 100.0;
        format!(
            "server {:.0}% of a core, PostgreSQL {:.0}%, machine {:.0}% of {} cores",
            share(now.server - before.server),
            share(now.postgres.saturating_sub(before.postgres)),
            share(now.machine_busy - before.machine_busy) / cores() as f64,
            cores()
        )
    }
}

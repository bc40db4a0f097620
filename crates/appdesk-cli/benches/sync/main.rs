//! The sync benchmarks (issue 10, "Performance"), with the real `appdesk` binary
//! of this build against the real portal on its own PostgreSQL cluster (default
//! durability), over loopback:
//!
//! 1. the first sync of a portal with 10k apps into an empty database (target
//!    < 10 s), and the CLI's peak resident memory during it (target < 100 MB);
//! 2. a sync with nothing to do (target < 200 ms);
//! 3. a sync that pushes one changed app (target < 300 ms).
//!
//! Each time is the wall clock of a whole `appdesk sync` process, as a user
//! waits for it. The peak memory is the child's `ru_maxrss` (getrusage of the
//! children), taken in a helper process of this binary that runs nothing but
//! the one `appdesk` (so no other child's peak can count). A bench binary, not
//! a timed test: nothing here fails on a slow machine.
//!
//! `cargo bench -p appdesk-cli --bench sync [-- --apps N] [--runs N]`

use std::process::Command;
use std::time::{Duration, Instant};

use appdesk_testkit::cluster::Cluster;
use appdesk_testkit::{Client, Portal};
use serde_json::{Value, json};

/// What the helper mode prints: `elapsed_ms peak_kib exit_code`.
const MEASURE: &str = "--measure-child";

#[derive(Debug)]
struct Options {
    apps: usize,
    runs: usize,
}

fn options() -> Options {
    let mut options = Options {
        apps: 10_000,
        runs: 10,
    };
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let mut number = |flag: &str| {
            args.next()
                .and_then(|v| v.parse().ok())
                .unwrap_or_else(|| panic!("{flag} N"))
        };
        match arg.as_str() {
            "--apps" => options.apps = number("--apps"),
            "--runs" => options.runs = number("--runs"),
            // cargo bench passes --bench; a filter or other flags mean nothing here.
            _ => {}
        }
    }
    options
}

/// Helper mode: runs the command after [`MEASURE`], waits for it, and prints its
/// wall time, its peak RSS and its exit code.
fn measure_child(command: &[String]) -> ! {
    let started = Instant::now();
    let status = Command::new(&command[0])
        .args(&command[1..])
        .stdout(std::process::Stdio::null())
        .status()
        .expect("run the measured command");
    let elapsed = started.elapsed();
    let usage = nix::sys::resource::getrusage(nix::sys::resource::UsageWho::RUSAGE_CHILDREN)
        .expect("getrusage");
    // On Linux ru_maxrss is in KiB.
    println!(
        "{} {} {}",
        elapsed.as_micros(),
        usage.max_rss(),
        status.code().unwrap_or(-1)
    );
    std::process::exit(0)
}

/// One measured run of `appdesk ARGS` for `client`: wall time and peak RSS (KiB).
fn measured(client: &Client, args: &[&str]) -> (Duration, u64) {
    let cmd = client.cmd();
    let mut helper = Command::new(std::env::current_exe().expect("this bench binary"));
    helper
        .arg(MEASURE)
        .arg(cmd.get_program())
        .args(cmd.get_args());
    for (key, value) in cmd.get_envs() {
        match value {
            Some(value) => helper.env(key, value),
            None => helper.env_remove(key),
        };
    }
    helper.args(args);
    let out = helper.output().expect("run the measuring helper");
    let text = String::from_utf8_lossy(&out.stdout);
    let fields: Vec<u64> = text
        .split_whitespace()
        .map(|f| f.parse().expect("a number"))
        .collect();
    assert_eq!(fields.len(), 3, "the helper printed {text:?}");
    assert_eq!(fields[2], 0, "appdesk {args:?} failed");
    (Duration::from_micros(fields[0]), fields[1])
}

fn app_body(n: usize) -> Value {
    json!({
        "name": format!("Bench app {n}"),
        "organization": "Bench Co",
        "homepageUrl": "https://bench.example",
        "scopes": ["tn.crm.customers:r", "tn.jpm.jobs:r"],
        "tenants": [{"id": "1234567", "note": ""}, {"id": format!("{}", 1_000_000 + n), "note": "branch"}],
    })
}

/// `count` apps on the portal, created by 16 concurrent clients over HTTP.
fn seed(portal: &Portal, count: usize) {
    const CLIENTS: usize = 16;
    appdesk_testkit::block_on(async {
        let tasks: Vec<_> = (0..CLIENTS)
            .map(|c| {
                let api = portal.dev.clone();
                appdesk_testkit::runtime().spawn(async move {
                    for n in (c..count).step_by(CLIENTS) {
                        api.create_ok(&app_body(n)).await;
                    }
                })
            })
            .collect();
        for task in tasks {
            task.await.expect("a seeding client");
        }
    });
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// p50 and max of a set of timings, in milliseconds.
fn summary(mut samples: Vec<Duration>) -> String {
    samples.sort();
    let p50 = samples[samples.len() / 2];
    let max = samples[samples.len() - 1];
    format!("p50 {:.0} ms, max {:.0} ms", ms(p50), ms(max))
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if let Some(at) = args.iter().position(|a| a == MEASURE) {
        measure_child(&args[at + 1..]);
    }
    let options = options();
    // Default durability: a push commits as a real portal's would.
    let cluster: &'static Cluster = Box::leak(Box::new(Cluster::start(&[])));
    let portal = Portal::start_on(cluster);

    let started = Instant::now();
    seed(&portal, options.apps);
    println!(
        "seeded {} apps over HTTP in {:.1} s",
        options.apps,
        started.elapsed().as_secs_f64()
    );

    let client = Client::new("bench");
    client.link(&portal.base_url(), &portal.dev_token);
    let (first, peak_kib) = measured(&client, &["sync"]);
    let pulled = client.apps().len();
    assert_eq!(pulled, options.apps, "the first sync pulled every app");
    println!(
        "first sync of {} apps into an empty database: {:.2} s (target < 10 s)",
        options.apps,
        first.as_secs_f64()
    );
    println!(
        "peak RSS of appdesk during it: {:.1} MiB (target < 100 MB)",
        peak_kib as f64 / 1024.0
    );

    let noop: Vec<Duration> = (0..options.runs)
        .map(|_| measured(&client, &["sync"]).0)
        .collect();
    println!(
        "sync with nothing to do: {} (target < 200 ms)",
        summary(noop)
    );

    let apps = client.apps();
    let changed: Vec<Duration> = (0..options.runs)
        .map(|run| {
            let id = apps[run * 7 % apps.len()]["id"].as_str().expect("an id");
            client.json(&["app", "scopes", id, "--add", "tn.dis.capacity:w"]);
            let (took, _) = measured(&client, &["sync"]);
            assert_eq!(client.pending(), 0, "the change was pushed");
            took
        })
        .collect();
    println!(
        "sync pushing one changed app: {} (target < 300 ms)",
        summary(changed)
    );
    cluster.stop();
}

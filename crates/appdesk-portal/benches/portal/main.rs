//! The portal's benchmark (issue §6), on its own PostgreSQL cluster with default
//! durability and the real `appdesk-portal` binary of this build, over HTTP:
//!
//! 1. scope changes/s with 16 clients, each on its own app (target ≥ 500/s);
//! 2. latency of `GET /v1/apps/{id}` with 16 clients (target p99 < 50 ms);
//! 3. a full read of `GET /v1/changes` in a workspace of 10k apps (target < 3 s).
//!
//! It prints the figures, and the CPU the server and PostgreSQL used in each phase
//! beside the machine's, to tell CPU from fsync and lock waits. A bench binary,
//! not a timed test: nothing here fails on a slow machine.
//!
//! `cargo bench -p appdesk-portal --bench portal [-- --seconds N] [--apps N]
//! [--synchronous-commit-off]`

mod cpu;

use std::time::{Duration, Instant};

use serde_json::{Value, json};

use appdesk_testkit::cluster::Cluster;
use appdesk_testkit::http::Api;
use appdesk_testkit::server::{Server, run_command};

const CLIENTS: usize = 16;

#[derive(Debug)]
struct Options {
    seconds: u64,
    apps: usize,
    synchronous_commit_off: bool,
}

fn options() -> Options {
    let mut options = Options {
        seconds: 10,
        apps: 10_000,
        synchronous_commit_off: false,
    };
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--seconds" => {
                options.seconds = args
                    .next()
                    .and_then(|v| v.parse().ok())
                    .expect("--seconds N")
            }
            "--apps" => options.apps = args.next().and_then(|v| v.parse().ok()).expect("--apps N"),
            "--synchronous-commit-off" => options.synchronous_commit_off = true,
            // cargo bench passes --bench; a filter or other flags mean nothing here.
            _ => {}
        }
    }
    options
}

fn app_body(name: &str, scope: &str) -> Value {
    json!({
        "name": name,
        "organization": "Bench Co",
        "homepageUrl": "https://bench.example",
        "scopes": [scope],
        "tenants": [{"id": "1234567", "note": ""}],
    })
}

/// p50, p99 and max of a set of latencies, in milliseconds.
fn percentiles(mut samples: Vec<Duration>) -> String {
    samples.sort();
    let at = |q: f64| samples[((samples.len() as f64 * q) as usize).min(samples.len() - 1)];
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    format!(
        "p50 {:.1} ms, p99 {:.1} ms, max {:.1} ms ({} requests)",
        ms(at(0.50)),
        ms(at(0.99)),
        ms(*samples.last().unwrap()),
        samples.len()
    )
}

/// Phase 1: each client toggles a scope on its own app for `seconds`.
async fn scope_changes(api: &Api, apps: &[Value], seconds: u64) -> (usize, Vec<Duration>) {
    let deadline = Instant::now() + Duration::from_secs(seconds);
    let tasks: Vec<_> = apps
        .iter()
        .map(|app| {
            let api = api.clone();
            let id = app["id"].as_str().unwrap().to_owned();
            let mut revision = app["revision"].as_i64().unwrap();
            tokio::spawn(async move {
                let mut latencies = Vec::new();
                let mut add = true;
                while Instant::now() < deadline {
                    let change = if add { "add" } else { "remove" };
                    let body = json!({"scopes": {change: ["tn.jpm.jobs:r"]}});
                    let started = Instant::now();
                    let after = api.patch(&id, revision, &body).await.ok();
                    latencies.push(started.elapsed());
                    revision = after["revision"].as_i64().unwrap();
                    add = !add;
                }
                latencies
            })
        })
        .collect();
    let mut all = Vec::new();
    for task in tasks {
        all.extend(task.await.expect("a client"));
    }
    (all.len(), all)
}

/// Phase 2: each client reads apps for `seconds`.
async fn reads(api: &Api, apps: &[Value], seconds: u64) -> Vec<Duration> {
    let deadline = Instant::now() + Duration::from_secs(seconds);
    let ids: Vec<String> = apps
        .iter()
        .map(|a| a["id"].as_str().unwrap().to_owned())
        .collect();
    let tasks: Vec<_> = (0..CLIENTS)
        .map(|c| {
            let (api, ids) = (api.clone(), ids.clone());
            tokio::spawn(async move {
                let mut latencies = Vec::new();
                let mut i = c;
                while Instant::now() < deadline {
                    let started = Instant::now();
                    api.get(&format!("/v1/apps/{}", ids[i % ids.len()]))
                        .await
                        .expect(200);
                    latencies.push(started.elapsed());
                    i += 1;
                }
                latencies
            })
        })
        .collect();
    let mut all = Vec::new();
    for task in tasks {
        all.extend(task.await.expect("a client"));
    }
    all
}

/// Phase 3 set-up: `count` apps created by 16 clients.
async fn create_apps(api: &Api, count: usize) {
    let tasks: Vec<_> = (0..CLIENTS)
        .map(|c| {
            let api = api.clone();
            tokio::spawn(async move {
                for i in (c..count).step_by(CLIENTS) {
                    api.create_ok(&app_body(&format!("Bulk {i}"), "tn.crm.customers:r"))
                        .await;
                }
            })
        })
        .collect();
    for task in tasks {
        task.await.expect("a creator");
    }
}

/// Phase 3: every change from the beginning, page after page: the changes, and
/// the time each page took.
async fn read_whole_feed(api: &Api) -> (usize, Vec<Duration>) {
    let (mut cursor, mut total, mut pages) = (None::<String>, 0, Vec::new());
    loop {
        let path = match &cursor {
            Some(c) => format!("/v1/changes?since={c}&limit=1000"),
            None => "/v1/changes?limit=1000".to_owned(),
        };
        let started = Instant::now();
        let body = api.get(&path).await.ok();
        pages.push(started.elapsed());
        let n = body["changes"].as_array().expect("changes").len();
        if n == 0 {
            return (total, pages);
        }
        total += n;
        cursor = Some(match &body["next"] {
            Value::String(s) => s.clone(),
            other => other.to_string(),
        });
    }
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let options = options();
    let settings: &[&str] = if options.synchronous_commit_off {
        &["synchronous_commit=off"]
    } else {
        &[]
    };
    let cluster = Cluster::start(settings);
    let db = cluster.create_database();
    let database = cluster.url(&db);
    run_command(&database, &["workspace", "create", "bench"]);
    run_command(&database, &["workspace", "create", "bulk"]);
    let token = run_command(
        &database,
        &["token", "create", "--workspace", "bench", "--user", "bench"],
    );
    let bulk_token = run_command(
        &database,
        &["token", "create", "--workspace", "bulk", "--user", "bulk"],
    );
    let server = Server::start(&database, &cluster.dir().join("portal.key"));
    let api = Api::new(&server.base_url(), Some(&token));
    let usage = cpu::Usage::new(server.pid(), cluster.postmaster_pid());
    println!(
        "portal benchmark: {} cores, PostgreSQL {} (synchronous_commit {}), {CLIENTS} clients",
        cpu::cores(),
        cluster.psql(&db, "SHOW server_version").trim(),
        cluster.psql(&db, "SHOW synchronous_commit").trim(),
    );

    let mut apps = Vec::new();
    for c in 0..CLIENTS {
        apps.push(
            api.create_ok(&app_body(&format!("Bench {c}"), "tn.crm.customers:r"))
                .await,
        );
    }

    let before = usage.sample();
    let started = Instant::now();
    let (changes, latencies) = scope_changes(&api, &apps, options.seconds).await;
    let elapsed = started.elapsed().as_secs_f64();
    println!(
        "1. scope changes: {:.0}/s ({changes} in {elapsed:.1} s); {}",
        changes as f64 / elapsed,
        percentiles(latencies)
    );
    println!("   CPU: {}", usage.since(&before));

    let before = usage.sample();
    let latencies = reads(&api, &apps, options.seconds).await;
    println!(
        "2. GET /v1/apps/{{id}}: {:.0}/s; {}",
        latencies.len() as f64 / options.seconds as f64,
        percentiles(latencies)
    );
    println!("   CPU: {}", usage.since(&before));

    let bulk = Api::new(&server.base_url(), Some(&bulk_token));
    let started = Instant::now();
    create_apps(&bulk, options.apps).await;
    println!(
        "   (set-up: {} apps created in {:.1} s)",
        options.apps,
        started.elapsed().as_secs_f64()
    );
    let before = usage.sample();
    let started = Instant::now();
    let (total, pages) = read_whole_feed(&bulk).await;
    println!(
        "3. full GET /v1/changes of {} apps: {total} changes in {} pages, {:.2} s; pages: {}",
        options.apps,
        pages.len(),
        started.elapsed().as_secs_f64(),
        percentiles(pages)
    );
    println!("   CPU: {}", usage.since(&before));
    drop(server);
}

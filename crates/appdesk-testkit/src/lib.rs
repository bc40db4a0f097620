//! What Appdesk's integration tests and benches stand on when they need the real
//! parts a user would have: a throwaway PostgreSQL cluster ([`cluster`]), the real
//! `appdesk-portal` server on it ([`server`], [`portal`]), plain HTTP to it
//! ([`http`]), row locks held from `psql` to stop a request mid-way ([`locks`]),
//! what the sync tests compare ([`oracle`]), clients that run the real `appdesk` binary on a database of their
//! own ([`client`]), and a TCP proxy that injects network faults between the two
//! ([`proxy`]).
//!
//! It is a crate of its own (never published) so that the portal's tests, the
//! CLI's sync tests and the sync benchmarks share one harness instead of copies.
//! It holds no rule of Appdesk: oracles read the portal over HTTP and the client
//! through its own commands.

pub mod binaries;
pub mod client;
pub mod cluster;
pub mod http;
pub mod locks;
pub mod oracle;
pub mod peak;
pub mod portal;
pub mod proxy;
pub mod server;

use std::future::Future;
use std::sync::OnceLock;
use std::time::{Duration, Instant};

pub use client::{Client, Failure};
pub use cluster::Cluster;
pub use http::{Api, Reply, if_match, new_key};
pub use portal::{Portal, TENANT};
pub use proxy::{Fault, Proxy, Rule};
pub use server::{Server, run_command, run_quiet};

/// The one tokio runtime of the test process for the proxy and for blocking
/// callers of [`Api`] (two worker threads, on a shared 2-core machine).
pub fn runtime() -> &'static tokio::runtime::Runtime {
    static RUNTIME: OnceLock<tokio::runtime::Runtime> = OnceLock::new();
    RUNTIME.get_or_init(|| {
        tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .thread_name("testkit")
            .enable_all()
            .build()
            .expect("a tokio runtime")
    })
}

/// Runs an async helper (e.g. an [`Api`] call) from a plain `#[test]`. Not for
/// use inside a tokio runtime.
pub fn block_on<F: Future>(future: F) -> F::Output {
    runtime().block_on(future)
}

/// Polls `done` every 20 ms until it holds; fails the test naming `what` after
/// `limit`. For states another process reaches (a lock waited on, a request
/// held), never for a fixed sleep.
#[track_caller]
pub fn wait_until(what: &str, limit: Duration, mut done: impl FnMut() -> bool) {
    let started = Instant::now();
    while !done() {
        assert!(
            started.elapsed() < limit,
            "waited {limit:?} in vain for {what}"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// Every View scope of the catalog that ships with Appdesk, read from the JSON
/// file itself (not through the code under test): plenty of distinct valid
/// scopes.
pub fn catalog_view_scopes() -> Vec<String> {
    let catalog: serde_json::Value = serde_json::from_str(include_str!(
        "../../appdesk-core/catalog/scope-catalog.json"
    ))
    .expect("the catalog is JSON");
    let mut scopes = Vec::new();
    for module in catalog["modules"].as_array().expect("modules") {
        for resource in module["scopes"].as_array().expect("scopes") {
            if resource["view"] == true {
                scopes.push(format!("{}:r", resource["name"].as_str().expect("a name")));
            }
        }
    }
    scopes
}

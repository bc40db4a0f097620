//! What every portal test stands on: a database of its own in the test binary's
//! PostgreSQL cluster, the real `appdesk-portal` server on it, a workspace, a
//! developer token and a tenant-admin token (all from `appdesk-testkit`), and
//! valid request bodies.

// Each test module uses only some of these helpers.
#![allow(dead_code)]

// The harness itself lives in appdesk-testkit, shared with the sync tests and
// benches; these paths keep the portal tests' names.
pub use appdesk_testkit::oracle::sorted_strings as strings;
pub use appdesk_testkit::portal::{Portal, TENANT, token};
pub use appdesk_testkit::{catalog_view_scopes, cluster, http, locks, server};

use serde_json::{Value, json};

pub use cluster::Cluster;
pub use http::{Api, Reply, if_match, new_key};
pub use server::{Server, run_command, run_quiet};

pub const CUSTOMERS_R: &str = "tn.crm.customers:r";
pub const JOBS_R: &str = "tn.jpm.jobs:r";

/// A valid create body: every R1 field, one tenant ([`TENANT`]), one scope.
pub fn sample_app(name: &str) -> Value {
    json!({
        "name": name,
        "organization": "Acme HVAC",
        "homepageUrl": "https://acme.example",
        "audience": "private",
        "credentials": "tenant",
        "scopes": [CUSTOMERS_R],
        "tenants": [{"id": TENANT, "note": "Acme HQ"}],
    })
}

/// Another session holding an app's row lock (`SELECT … FOR UPDATE`) for a
/// while: a request that needs the row waits for it. Released on drop.
pub struct RowLock<'a> {
    portal: &'a Portal,
    child: std::process::Child,
    marker: String,
}

impl<'a> RowLock<'a> {
    /// Takes the lock for `seconds` and returns once it is held.
    pub async fn hold(portal: &'a Portal, app_id: &str, seconds: u32) -> RowLock<'a> {
        // Unique in the cluster: tests run at once in one process.
        static NEXT: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(1);
        let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let marker = format!("pg_sleep({seconds}.{}{n:04})", std::process::id());
        let child = portal
            .cluster
            .psql_command(&portal.db)
            .arg("-c")
            .arg(format!(
                "BEGIN; SELECT id FROM apps WHERE id = '{app_id}' FOR UPDATE; \
                 SELECT {marker}; COMMIT;"
            ))
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .expect("spawn psql");
        let lock = RowLock {
            portal,
            child,
            marker,
        };
        let started = std::time::Instant::now();
        while lock.count_sessions() == 0 {
            assert!(started.elapsed().as_secs() < 10, "psql took the lock");
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
        lock
    }

    fn count_sessions(&self) -> u32 {
        let sql = format!(
            "SELECT count(*) FROM pg_stat_activity WHERE query LIKE '%{}%' \
             AND state = 'active' AND pid <> pg_backend_pid()",
            self.marker
        );
        self.portal.psql(&sql).trim().parse().unwrap_or(0)
    }

    /// Whether the lock is still held.
    pub fn is_held(&mut self) -> bool {
        self.child.try_wait().unwrap().is_none()
    }
}

impl Drop for RowLock<'_> {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        self.portal.psql(&format!(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity \
             WHERE query LIKE '%{}%' AND pid <> pg_backend_pid()",
            self.marker
        ));
    }
}

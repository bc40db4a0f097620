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

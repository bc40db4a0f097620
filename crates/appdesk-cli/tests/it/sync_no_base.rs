//! No base is never "take theirs" (issue 18, item 2): an app this database
//! has but never synced (imported from a file, or made before linking) while
//! the portal has it too. Nothing says which side changed what, so every
//! difference is listed as a conflict, mine kept, until the user resolves it;
//! the portal's values never come back silently.
//!
//! The real `appdesk` on two databases and the real portal on PostgreSQL; the
//! oracle is the portal's own API and `appdesk conflicts list`.

use appdesk_testkit::oracle::{portal_apps, sorted_strings};
use appdesk_testkit::{Client, Portal, TENANT};

use crate::common::{CUSTOMERS_R, JOBS_R};

const BRANCH: &str = "7654321";

fn tenant_ids(app: &serde_json::Value) -> Vec<String> {
    app["tenants"]
        .as_array()
        .expect("tenants")
        .iter()
        .map(|t| {
            t[0].as_str()
                .or(t["id"].as_str())
                .expect("a tenant id")
                .to_owned()
        })
        .collect()
}

#[test]
fn an_imported_app_linked_without_a_base_keeps_its_removals_as_conflicts() {
    let portal = Portal::start();
    let alice = Client::new("alice");
    alice.link(&portal.base_url(), &portal.dev_token);
    let app = alice.new_app("Dispatch", &[TENANT, BRANCH], &[CUSTOMERS_R, JOBS_R]);
    let id = app["id"].as_str().expect("an id").to_owned();
    alice.sync().expect("alice's sync");
    let file = alice.dir.path().join("dispatch.json");
    alice.json(&["export", &id, "--out", &file.display().to_string()]);

    // Bob imports the file into a fresh database, removes a scope and a
    // tenant, and only then links it.
    let bob = Client::new("bob");
    bob.json(&["import", &file.display().to_string()]);
    bob.json(&["app", "scopes", &id, "--remove", JOBS_R]);
    bob.json(&["app", "tenants", &id, "--remove", BRANCH]);
    bob.link(&portal.base_url(), &portal.dev_token);
    let report = bob.sync().expect("bob's sync");

    let mine = bob.json(&["app", "show", &id]);
    assert_eq!(
        sorted_strings(&mine["scopes"]),
        [CUSTOMERS_R],
        "the removed scope stays removed: {report}"
    );
    assert_eq!(
        tenant_ids(&mine),
        [TENANT],
        "the removed tenant stays removed"
    );
    let fields: Vec<String> = bob
        .json(&["conflicts", "list"])
        .as_array()
        .expect("a list")
        .iter()
        .map(|c| c["field"].as_str().expect("a field").to_owned())
        .collect();
    assert_eq!(
        fields,
        [format!("scopes[{JOBS_R}]"), format!("tenants[{BRANCH}]")],
        "each difference is listed: {report}"
    );
    let on_portal = &portal_apps(&portal.dev)[&id];
    assert_eq!(
        sorted_strings(&on_portal["scopes"]),
        [CUSTOMERS_R, JOBS_R],
        "nothing is pushed while in conflict"
    );

    // Keeping mine pushes the removals.
    bob.json(&["conflicts", "resolve", &id, "--all", "--take", "mine"]);
    let report = bob.sync().expect("the sync after resolving");
    assert_eq!(report["conflicts"], serde_json::json!([]), "{report}");
    let on_portal = &portal_apps(&portal.dev)[&id];
    assert_eq!(sorted_strings(&on_portal["scopes"]), [CUSTOMERS_R]);
    assert_eq!(tenant_ids(on_portal), [TENANT]);
}

#[test]
fn an_imported_app_equal_to_the_portals_links_without_a_conflict() {
    let portal = Portal::start();
    let alice = Client::new("alice");
    alice.link(&portal.base_url(), &portal.dev_token);
    let app = alice.new_app("Dispatch", &[TENANT], &[CUSTOMERS_R]);
    let id = app["id"].as_str().expect("an id").to_owned();
    alice.sync().expect("alice's sync");
    let file = alice.dir.path().join("dispatch.json");
    alice.json(&["export", &id, "--out", &file.display().to_string()]);
    let bob = Client::new("bob");
    bob.json(&["import", &file.display().to_string()]);
    bob.link(&portal.base_url(), &portal.dev_token);
    let report = bob.sync().expect("bob's sync");
    assert_eq!(report["conflicts"], serde_json::json!([]), "{report}");
    assert_eq!(bob.pending(), 0, "nothing left to push: {report}");
    assert_eq!(portal_apps(&portal.dev).len(), 1, "one app, not two");
}

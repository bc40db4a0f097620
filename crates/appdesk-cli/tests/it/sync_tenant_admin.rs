//! A tenant admin's linked database (issue 19 §1), with the real `appdesk`
//! and the real portal on a throwaway PostgreSQL: the admin's token (made
//! with `--tenant-admin` alone) has no feed, so every sync lists the apps
//! that list its tenant, from every workspace; the database file never holds
//! another tenant's id or note; an action on an app of another workspace
//! goes through; an app that stops listing the tenant leaves the list. The
//! oracle is the portal's own answers to the workspaces' members.

use appdesk_testkit::{Api, Client, Portal, block_on, run_command};
use serde_json::{Value, json};

use crate::sync::{CUSTOMERS_R, sync};

const TENANT: &str = "1234";
const OTHER: &str = "5678901234";
const OTHER_NOTE: &str = "the other customer's private note";

fn create(api: &Api, name: &str, tenants: &[&str]) -> Value {
    let tenants: Vec<Value> = tenants
        .iter()
        .map(|t| json!({"id": t, "note": if *t == OTHER { OTHER_NOTE } else { "" }}))
        .collect();
    let body = json!({
        "name": name, "organization": "Acme HVAC", "homepageUrl": "https://acme.example",
        "scopes": [CUSTOMERS_R], "tenants": tenants,
    });
    block_on(api.create_ok(&body))
}

fn ids(apps: &[Value]) -> Vec<String> {
    let mut ids: Vec<String> = apps
        .iter()
        .map(|a| a["id"].as_str().unwrap().into())
        .collect();
    ids.sort();
    ids
}

#[test]
fn a_tenant_admins_sync_lists_its_tenants_apps_of_every_workspace_and_no_other_tenants_note() {
    let portal = Portal::start();
    run_command(&portal.database, &["workspace", "create", "other"]);
    let other_dev = portal.api(Some(&portal.token("other", "odev", &[])));
    let here = create(&portal.dev, "Dispatch", &[TENANT, OTHER]);
    let there = create(&other_dev, "Billing", &[OTHER, TENANT]);
    create(&portal.dev, "Payroll", &[OTHER]);
    let token = run_command(
        &portal.database,
        &["token", "create", "--tenant-admin", TENANT, "--user", "bea"],
    );
    let admin = Client::new("bea");
    admin.link(&portal.base_url(), &token);
    sync(&admin);
    let expected = ids(&[here.clone(), there.clone()]);
    assert_eq!(
        ids(&admin.apps()),
        expected,
        "both workspaces' apps, no other"
    );
    let bytes = admin.db_bytes();
    for hidden in [OTHER, OTHER_NOTE] {
        let found = bytes.windows(hidden.len()).any(|w| w == hidden.as_bytes());
        assert!(!found, "{hidden:?} is in the admin's database");
    }
    // A connection on the other workspace's app, seen by that workspace.
    let there_id = there["id"].as_str().unwrap();
    let made = admin.json(&["conn", "connect", there_id, "--tenant", TENANT]);
    let listed = block_on(other_dev.get(&format!("/v1/apps/{there_id}/connections"))).ok();
    assert_eq!(listed[0]["clientId"], made["clientId"], "{listed}");
    // The developer removes the tenant: the next sync drops the app.
    let revision = here["revision"].as_i64().unwrap();
    let removal = json!({"tenants": {"remove": [TENANT]}});
    let here_id = here["id"].as_str().unwrap();
    block_on(portal.dev.patch(here_id, revision, &removal)).expect(200);
    sync(&admin);
    assert_eq!(ids(&admin.apps()), ids(&[there]), "the app left the list");
}

//! Upgrade requests reach the admin (issue 19 §2): on a linked database,
//! `appdesk upgrade-request` records the request at once, offline, and the
//! next `appdesk sync` sends it, with its notes, to the portal, where the
//! tenant's admin lists it over HTTP; sent once, even when the answer to the
//! send is lost. The real `appdesk`, the testkit's fault proxy, the real
//! portal on a real PostgreSQL. The oracles are the admin's own HTTP answers
//! and `appdesk notes`, whose text the request and the portal's notes must
//! both be.

use appdesk_testkit::{Api, Fault, Rule, TENANT, block_on, run_command};
use serde_json::{Value, json};

use crate::common::{CUSTOMERS_R, JOBS_R};
use crate::sync::sync;
use crate::sync_faults::{Bed, bed};

/// The admin of [`TENANT`], with a token of no workspace.
fn admin_of_tenant(bed: &Bed) -> Api {
    let token = run_command(
        &bed.portal.database,
        &["token", "create", "--tenant-admin", TENANT, "--user", "bea"],
    );
    bed.portal.api(Some(&token))
}

/// An app synced to the portal, connected by its tenant's admin in
/// production at version 1, then given a version 2 the client synced (with
/// the connection). Returns the app's id.
fn behind_by_one(bed: &Bed, admin: &Api) -> String {
    let app = bed.client.new_app("Dispatch", &[TENANT], &[CUSTOMERS_R]);
    let id = app["id"].as_str().unwrap().to_owned();
    sync(&bed.client);
    let connect = json!({"tenantId": TENANT, "environment": "production"});
    block_on(admin.connection_write(&id, "", Some(&connect))).expect(201);
    bed.client.json(&["app", "scopes", &id, "--add", JOBS_R]);
    sync(&bed.client);
    id
}

/// Each local request's send state, by plain SQL on the database file.
fn send_states(bed: &Bed) -> Vec<Option<String>> {
    let conn = rusqlite::Connection::open(&bed.client.db).unwrap();
    let mut stmt = conn
        .prepare("SELECT send_state FROM upgrade_requests ORDER BY requested_at")
        .unwrap();
    stmt.query_map([], |r| r.get(0))
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap()
}

/// What the admin lists.
fn admins_requests(admin: &Api) -> Vec<Value> {
    let list = block_on(admin.get("/v1/upgrade-requests")).ok();
    list.as_array().expect("a list").clone()
}

/// `appdesk notes APP --from 1 --to 2`, as printed (no --json).
fn notes_printed(bed: &Bed, app: &str) -> String {
    let out = bed
        .client
        .cmd()
        .args(["notes", app, "--from", "1", "--to", "2"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn an_upgrade_request_made_offline_reaches_the_tenants_admin_at_the_next_sync() {
    let bed = bed();
    let admin = admin_of_tenant(&bed);
    let app = behind_by_one(&bed, &admin);
    let made = bed.client.json(&[
        "upgrade-request",
        &app,
        "--tenant",
        TENANT,
        "--env",
        "production",
    ]);
    let made = made[0].clone();
    assert_eq!(
        admins_requests(&admin),
        Vec::<Value>::new(),
        "recorded locally; sent at the next sync"
    );
    assert_eq!(send_states(&bed), [Some("queued".to_owned())], "it waits");
    let plan = bed.client.json(&["sync", "--plan"]);
    assert!(
        plan["pushes"].to_string().contains("upgrade request"),
        "a plan says it would send it: {plan}"
    );
    assert_eq!(
        admins_requests(&admin),
        Vec::<Value>::new(),
        "a plan sends nothing"
    );
    let report = sync(&bed.client);
    assert!(
        report["pushes"].to_string().contains("upgrade request"),
        "the sync says it sent it: {report}"
    );
    let listed = admins_requests(&admin);
    assert_eq!(listed.len(), 1, "{listed:?}");
    let seen = &listed[0];
    for field in [
        "id",
        "appId",
        "tenantId",
        "environment",
        "fromVersion",
        "toVersion",
        "notes",
    ] {
        assert_eq!(seen[field], made[field], "{field}: {seen}");
    }
    assert_eq!(seen["state"], "waiting");
    assert_eq!(
        (seen["fromVersion"].as_i64(), seen["toVersion"].as_i64()),
        (Some(1), Some(2))
    );
    // The notes are `appdesk notes`' text, and so are the portal's own.
    let printed = notes_printed(&bed, &app);
    assert_eq!(
        seen["notes"].as_str().unwrap().trim_end(),
        printed.trim_end()
    );
    let portal_notes = block_on(admin.get(&format!("/v1/apps/{app}/notes?from=1&to=2"))).ok();
    assert_eq!(
        portal_notes["text"].as_str().unwrap().trim_end(),
        printed.trim_end()
    );
    // Sent once: another sync sends nothing again.
    sync(&bed.client);
    assert_eq!(admins_requests(&admin).len(), 1);
    assert_eq!(send_states(&bed), [Some("sent".to_owned())]);
}

#[test]
fn an_upgrade_request_whose_answer_was_lost_is_sent_again_and_stays_one() {
    let bed = bed();
    let admin = admin_of_tenant(&bed);
    let app = behind_by_one(&bed, &admin);
    bed.client
        .json(&["upgrade-request", &app, "--tenant", TENANT]);
    bed.proxy
        .add(Rule::writes(Fault::DropAfterCommit).path("upgrade-requests"));
    bed.client
        .sync()
        .expect_err("the sync fails when the answer is lost");
    assert_eq!(admins_requests(&admin).len(), 1, "the portal has it");
    bed.proxy.clear();
    sync(&bed.client);
    assert_eq!(admins_requests(&admin).len(), 1, "sent again, still one");
    assert_eq!(send_states(&bed), [Some("sent".to_owned())]);
}

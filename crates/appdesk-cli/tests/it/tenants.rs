//! `app tenants` (R7): tenants come and go at any time, with no version and the
//! key untouched; a removed tenant's connections end.

use crate::common::{CUSTOMERS_R, Desk, field_pairs, text};
use serde_json::Value;

fn tenant_list(app: &Value) -> Vec<(&str, &str)> {
    field_pairs(app, "tenants", "id", "note")
}

#[test]
fn tenants_are_added_renoted_and_removed_without_a_new_version() {
    let desk = Desk::new();
    let app = desk.new_app("Board", &["1234"], &[CUSTOMERS_R]);
    let id = text(&app, "id");

    let added = desk.json(&[
        "app",
        "tenants",
        id,
        "--add",
        "98765432109876=Big one",
        "--add",
        " 5678 ",
    ]);
    assert_eq!(
        tenant_list(&added),
        [("1234", ""), ("5678", ""), ("98765432109876", "Big one")]
    );
    assert_eq!(added["version"], 1);
    assert_eq!(added["appKey"], app["appKey"]);

    let renoted = desk.json(&["app", "tenants", id, "--add", "1234=HQ", "--add", "5678"]);
    assert_eq!(
        tenant_list(&renoted),
        [("1234", "HQ"), ("5678", ""), ("98765432109876", "Big one")],
        "ID=NOTE sets a note; a bare ID keeps it"
    );

    let removed = desk.json(&[
        "app",
        "tenants",
        id,
        "--remove",
        "5678",
        "--remove",
        "98765432109876",
    ]);
    assert_eq!(tenant_list(&removed), [("1234", "HQ")]);
    assert_eq!(removed["version"], 1);
    assert_eq!(removed["appKey"], app["appKey"]);
    assert_eq!(
        desk.json(&["app", "history", id]).as_array().unwrap().len(),
        1
    );

    let actions: Vec<String> = desk
        .json(&["log", id])
        .as_array()
        .unwrap()
        .iter()
        .map(|e| text(e, "action").to_owned())
        .collect();
    assert_eq!(
        actions,
        [
            "tenant_removed",
            "tenant_removed",
            "tenant_updated",
            "tenant_added",
            "tenant_added",
            "create"
        ]
    );
}

#[test]
fn the_text_form_lists_the_tenants() {
    let desk = Desk::new();
    desk.new_app("Board", &["1234"], &[CUSTOMERS_R]);
    let out = desk.ok(&["app", "tenants", "Board", "--add", "98765432101=HQ office"]);
    assert_eq!(
        out,
        "Board: 2 tenant(s); still version 1\n  1234\n  98765432101  HQ office\n"
    );
}

#[test]
fn removing_a_tenant_ends_its_connections() {
    let desk = Desk::new();
    let app = desk.new_app("Board", &["1234", "5678"], &[CUSTOMERS_R]);
    let id = text(&app, "id");
    desk.json(&["conn", "connect", id, "--tenant", "1234"]);
    desk.json(&["conn", "connect", id, "--tenant", "5678"]);
    desk.json(&["app", "tenants", id, "--remove", "1234"]);
    let conns = desk.json(&["conn", "list", id]);
    let tenants: Vec<&str> = conns
        .as_array()
        .unwrap()
        .iter()
        .map(|c| text(c, "tenantId"))
        .collect();
    assert_eq!(tenants, ["5678"]);
    desk.rejects(
        &["conn", "connect", id, "--tenant", "1234"],
        "not_allowed",
        "tenant",
    );
}

#[test]
fn bad_tenant_changes_are_refused_and_change_nothing() {
    let desk = Desk::new();
    let app = desk.new_app("Board", &["1234"], &[CUSTOMERS_R]);
    let id = text(&app, "id");
    let error = desk.rejects(
        &["app", "tenants", id, "--add", "5678", "--add", "12a"],
        "invalid",
        "add[1].id",
    );
    assert!(text(&error, "message").contains("digits only"), "{error}");
    desk.rejects(
        &["app", "tenants", id, "--add", "=note"],
        "invalid",
        "add[0].id",
    );
    desk.rejects(
        &["app", "tenants", id, "--add", "5678", "--add", "5678"],
        "invalid",
        "add[1].id",
    );
    let note = format!("5678={}", "n".repeat(4001));
    desk.rejects(
        &["app", "tenants", id, "--add", &note],
        "invalid",
        "add[0].note",
    );
    let error = desk.rejects(
        &["app", "tenants", id, "--add", "5678", "--remove", "999"],
        "invalid",
        "remove[0]",
    );
    assert!(
        text(&error, "message").contains("not in the list"),
        "{error}"
    );
    desk.rejects(
        &["app", "tenants", id, "--remove", "x1"],
        "invalid",
        "remove[0]",
    );
    let error = desk.rejects(
        &["app", "tenants", id, "--remove", "1234"],
        "invalid",
        "tenants",
    );
    assert!(
        text(&error, "message").contains("At least one tenant"),
        "{error}"
    );
    desk.rejects(
        &["app", "tenants", "nope", "--add", "5678"],
        "not_found",
        "app",
    );
}

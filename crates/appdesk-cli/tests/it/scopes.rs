//! `app scopes` (R2, R5): a changed set makes the next version, an unchanged one
//! makes none, the key never changes, and connections show what an upgrade brings.

use crate::common::{CAPACITY_W, CUSTOMERS_R, CUSTOMERS_W, Desk, JOBS_R, strings, text};
use serde_json::Value;

#[test]
fn a_changed_set_makes_the_next_version_and_keeps_the_key() {
    let desk = Desk::new();
    let app = desk.new_app("Board", &["1234"], &[CUSTOMERS_R, JOBS_R]);
    let key = text(&app, "appKey");

    let change = desk.json(&[
        "app", "scopes", key, "--add", CAPACITY_W, "--remove", JOBS_R,
    ]);
    assert_eq!(change["newVersion"], 2);
    assert_eq!(strings(&change, "added"), [CAPACITY_W]);
    assert_eq!(strings(&change, "removed"), [JOBS_R]);
    assert_eq!(change["connectionsBehind"], 0);
    assert_eq!(change["app"]["version"], 2);
    assert_eq!(change["app"]["appKey"], key);
    assert_eq!(strings(&change["app"], "scopes"), [CUSTOMERS_R, CAPACITY_W]);

    let change = desk.json(&["app", "scopes", key, "--add", "tn.crm.customers:rw"]);
    assert_eq!(change["newVersion"], 3);
    assert_eq!(
        strings(&change, "added"),
        [CUSTOMERS_W],
        "only what is new is added"
    );
    let shown = desk.json(&["app", "show", key]);
    assert_eq!(shown["version"], 3);
    assert_eq!(shown["appKey"], key);
}

#[test]
fn an_unchanged_set_makes_no_version() {
    let desk = Desk::new();
    let app = desk.new_app("Board", &["1234"], &[CUSTOMERS_R]);
    let id = text(&app, "id");
    let log_before = desk.json(&["log"]);
    for args in [
        vec!["--add", CUSTOMERS_R],
        vec![],
        vec!["--add", CUSTOMERS_R, "--add", " tn.crm.customers:r "],
    ] {
        let change = desk.json(&[&["app", "scopes", id][..], &args].concat());
        assert_eq!(change["newVersion"], Value::Null, "{args:?}");
        assert_eq!(change["app"]["version"], 1, "{args:?}");
    }
    assert_eq!(
        desk.json(&["app", "history", id]).as_array().unwrap().len(),
        1
    );
    assert_eq!(desk.json(&["log"]), log_before, "nothing to record");
    let out = desk.ok(&["app", "scopes", id, "--add", CUSTOMERS_R]);
    assert!(
        out.starts_with("Board: scope set unchanged; still version 1"),
        "{out}"
    );
}

#[test]
fn the_text_form_shows_the_new_version_the_change_and_connections_behind() {
    let desk = Desk::new();
    let app = desk.new_app("Board", &["1234", "5678"], &[CUSTOMERS_R, JOBS_R]);
    let id = text(&app, "id");
    desk.json(&["conn", "connect", id, "--tenant", "1234"]);
    desk.json(&[
        "conn",
        "connect",
        id,
        "--tenant",
        "5678",
        "--env",
        "production",
    ]);
    let out = desk.ok(&["app", "scopes", id, "--add", CAPACITY_W, "--remove", JOBS_R]);
    assert!(out.starts_with("Board: version 2 saved (was 1)\n"), "{out}");
    assert!(
        out.contains(&format!("  added           {CAPACITY_W}\n")),
        "{out}"
    );
    assert!(
        out.contains(&format!("  removed         {JOBS_R}\n")),
        "{out}"
    );
    assert!(
        out.contains(&format!("{} (unchanged)", text(&app, "appKey"))),
        "{out}"
    );
    assert!(out.contains("2 show upgrade available"), "{out}");
}

#[test]
fn bad_scopes_are_refused_naming_each_one() {
    let desk = Desk::new();
    let app = desk.new_app("Board", &["1234"], &[CUSTOMERS_R]);
    let id = text(&app, "id");
    let error = desk.rejects(
        &["app", "scopes", id, "--add", "tn.crm.customer:r"],
        "invalid",
        "add[0]",
    );
    assert!(
        text(&error, "message").contains("did you mean tn.crm.customers"),
        "{error}"
    );
    let error = desk.rejects(
        &["app", "scopes", id, "--add", "tn.crm.tags:r"],
        "invalid",
        "add[0]",
    );
    assert!(
        text(&error, "message").contains("does not allow View"),
        "{error}"
    );
    let error = desk.rejects(
        &[
            "app",
            "scopes",
            id,
            "--add",
            CUSTOMERS_W,
            "--add",
            "tn.crm.customers",
        ],
        "invalid",
        "add[1]",
    );
    assert!(text(&error, "message").contains("has no access"), "{error}");
    desk.rejects(
        &["app", "scopes", id, "--add", "tn.crm.customers:x"],
        "invalid",
        "add[0]",
    );
    let error = desk.rejects(
        &["app", "scopes", id, "--remove", JOBS_R],
        "invalid",
        "remove[0]",
    );
    assert!(
        text(&error, "message").contains("is not among the app's scopes"),
        "{error}"
    );
    let error = desk.rejects(
        &["app", "scopes", id, "--remove", CUSTOMERS_R],
        "invalid",
        "scopes",
    );
    assert!(
        text(&error, "message").contains("at least one API scope"),
        "{error}"
    );
    desk.rejects(
        &["app", "scopes", "nope", "--add", CUSTOMERS_W],
        "not_found",
        "app",
    );
}

#[test]
fn a_scope_change_shows_on_connections_as_an_available_upgrade() {
    let desk = Desk::new();
    let app = desk.new_app("Board", &["1234"], &[CUSTOMERS_R, JOBS_R]);
    let id = text(&app, "id");
    desk.json(&["conn", "connect", id, "--tenant", "1234"]);
    let change = desk.json(&["app", "scopes", id, "--add", CAPACITY_W, "--remove", JOBS_R]);
    assert_eq!(change["connectionsBehind"], 1);
    let conn = desk.json(&["conn", "show", id, "--tenant", "1234"]);
    assert_eq!(conn["version"], 1);
    assert_eq!(conn["latestVersion"], 2);
    assert_eq!(conn["upgradeAvailable"], true);
    assert_eq!(strings(&conn, "scopesInPlay"), [CUSTOMERS_R, JOBS_R]);
    assert_eq!(strings(&conn, "pendingAdded"), [CAPACITY_W]);
    assert_eq!(strings(&conn, "pendingRemoved"), [JOBS_R]);
}

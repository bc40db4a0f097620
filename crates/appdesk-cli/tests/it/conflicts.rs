//! `appdesk conflicts list | resolve` with the real binary. A sync (not built
//! yet) records conflicts; here the core's `Store::record_conflicts` does, on
//! the same database file.

use appdesk_core::sync::Conflict;
use appdesk_core::{Store, StoreOptions};
use serde_json::json;

use crate::common::{CUSTOMERS_R, Desk, text};

fn linked_with_conflicts(desk: &Desk) -> String {
    let app = desk.new_app("Board", &["1234=HQ"], &[CUSTOMERS_R]);
    let id = text(&app, "id").to_owned();
    crate::remotes::link(desk);
    let store = Store::open(&desk.db, StoreOptions::default()).unwrap();
    let c = |field: &str, mine: Option<&str>, theirs: Option<&str>, base: Option<&str>| Conflict {
        field: field.to_owned(),
        mine: mine.map(str::to_owned),
        theirs: theirs.map(str::to_owned),
        base: base.map(str::to_owned),
    };
    store
        .record_conflicts(
            &id,
            &[
                c("name", Some("Board"), Some("Dispatch"), Some("Old")),
                c("tenants[1234]", Some("HQ"), None, Some("")),
            ],
        )
        .unwrap();
    id
}

#[test]
fn conflicts_list_shows_both_values_and_the_base() {
    let desk = Desk::new();
    assert_eq!(desk.ok(&["conflicts", "list"]), "No conflicts.\n");
    let id = linked_with_conflicts(&desk);
    let listed = desk.json(&["conflicts", "list"]);
    let shape: Vec<_> = listed
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            json!([
                c["app"],
                c["appName"],
                c["field"],
                c["mine"],
                c["theirs"],
                c["base"]
            ])
        })
        .collect();
    assert_eq!(
        shape,
        [
            json!([id, "Board", "name", "Board", "Dispatch", "Old"]),
            json!([id, "Board", "tenants[1234]", "HQ", null, ""]),
        ]
    );
    let text = desk.ok(&["conflicts", "list"]);
    for part in [
        "name",
        "mine:   \"Board\"",
        "theirs: \"Dispatch\"",
        "base:   \"Old\"",
        "theirs: (absent)",
    ] {
        assert!(text.contains(part), "{part:?} missing from:\n{text}");
    }
}

#[test]
fn conflicts_resolve_one_field_then_all_of_the_app() {
    let desk = Desk::new();
    let id = linked_with_conflicts(&desk);
    let done = desk.json(&[
        "conflicts",
        "resolve",
        "Board",
        "--field",
        "name",
        "--take",
        "theirs",
    ]);
    assert_eq!(done["resolved"][0]["value"], "Dispatch");
    assert_eq!(done["remaining"], 1);
    assert_eq!(desk.json(&["app", "show", &id])["name"], "Dispatch");
    let done = desk.json(&["conflicts", "resolve", &id, "--all", "--take", "mine"]);
    assert_eq!(done["resolved"][0]["field"], "tenants[1234]");
    assert_eq!(done["remaining"], 0);
    assert_eq!(desk.json(&["conflicts", "list"]), json!([]));
    assert_eq!(
        desk.json(&["app", "show", &id])["tenants"],
        json!([{"id": "1234", "note": "HQ"}])
    );
}

#[test]
fn conflicts_resolve_refuses_bad_choices_naming_them_and_changes_nothing() {
    let desk = Desk::new();
    let id = linked_with_conflicts(&desk);
    let before = desk.json(&["conflicts", "list"]);
    desk.rejects(
        &[
            "conflicts",
            "resolve",
            &id,
            "--field",
            "revision",
            "--take",
            "mine",
        ],
        "invalid",
        "field",
    );
    desk.rejects(
        &[
            "conflicts",
            "resolve",
            &id,
            "--field",
            "name",
            "--value",
            " ",
        ],
        "invalid",
        "name",
    );
    desk.rejects(
        &["conflicts", "resolve", "Nope", "--all", "--take", "mine"],
        "not_found",
        "app",
    );
    assert_eq!(desk.json(&["conflicts", "list"]), before);
    let usage = desk
        .cmd()
        .args(["conflicts", "resolve", &id, "--all", "--value", "x"])
        .output()
        .unwrap();
    assert_eq!(
        usage.status.code(),
        Some(2),
        "--all with --value is a usage error"
    );
    let usage = desk
        .cmd()
        .args(["conflicts", "resolve", &id, "--field", "name"])
        .output()
        .unwrap();
    assert_eq!(
        usage.status.code(),
        Some(2),
        "a side or a value is required"
    );
}

//! `appdesk catalog diff|update FILE` (issue 12, part 4): a new catalog is
//! versioned data in the database; a resource it drops is retired, never
//! lost: versions keep their scopes, labels and exports byte for byte, and a
//! retired scope cannot be newly added. A malformed file changes nothing.

use serde_json::Value;

use crate::common::{CUSTOMERS_R, Desk, JOBS_R};

const BUILT_IN: &str = include_str!("../../../appdesk-core/catalog/scope-catalog.json");
const LEADS_R: &str = "tn.crm.leads:r";

/// The built-in catalog as JSON, changed by `edit`, written to `name`.
fn catalog_file(desk: &Desk, name: &str, edit: impl FnOnce(&mut Value)) -> String {
    let mut doc: Value = serde_json::from_str(BUILT_IN).unwrap();
    doc["catalogVersion"] = "2027-01-01".into();
    edit(&mut doc);
    let path = desk.dir.path().join(name);
    std::fs::write(&path, serde_json::to_string_pretty(&doc).unwrap()).unwrap();
    path.to_str().unwrap().to_owned()
}

fn crm(doc: &mut Value) -> &mut Vec<Value> {
    let modules = doc["modules"].as_array_mut().unwrap();
    let crm = modules.iter_mut().find(|m| m["id"] == "crm").unwrap();
    crm["scopes"].as_array_mut().unwrap()
}

fn without_leads(desk: &Desk) -> String {
    catalog_file(desk, "new.json", |doc| {
        crm(doc).retain(|r| r["name"] != "tn.crm.leads")
    })
}

fn stored_catalogs(desk: &Desk) -> i64 {
    rusqlite::Connection::open(&desk.db)
        .unwrap()
        .query_row("SELECT count(*) FROM catalogs", [], |r| r.get(0))
        .unwrap()
}

/// "Board": v1 {customers:r, leads:r}, v2 adds jobs:r.
fn seeded() -> Desk {
    let desk = Desk::new();
    desk.new_app("Board", &["1234"], &[CUSTOMERS_R, LEADS_R]);
    desk.ok(&["app", "scopes", "Board", "--add", JOBS_R]);
    desk
}

#[test]
fn removing_a_resource_a_version_holds_keeps_its_scopes_labels_and_export_byte_identical() {
    let desk = seeded();
    let read = || {
        (
            desk.ok(&["export", "Board", "--history"]),
            desk.ok(&["app", "history", "Board"]),
            desk.ok(&["--json", "app", "history", "Board"]),
            desk.ok(&["--json", "app", "show", "Board"]),
        )
    };
    let shown = || desk.ok(&["app", "show", "Board"]);
    let line = format!("{LEADS_R}      CRM › Leads (View)");
    let before = read();
    assert!(shown().lines().any(|l| l.trim() == line), "{}", shown());
    let update = desk.json(&["catalog", "update", &without_leads(&desk)]);
    assert_eq!(
        update["diff"]["resourcesRemoved"],
        serde_json::json!(["tn.crm.leads"])
    );
    assert_eq!(update["retired"][0]["resource"], "tn.crm.leads");
    assert_eq!(update["retired"][0]["displayName"], "Leads");
    assert_eq!(update["retired"][0]["apps"], serde_json::json!(["Board"]));
    assert_eq!(
        stored_catalogs(&desk),
        2,
        "the built-in catalog, then the new one"
    );
    // The log's new entry aside, every read is byte-identical.
    assert_eq!(read(), before);
    let after = shown();
    let marked = format!("{line} [retired]");
    assert!(
        after.lines().any(|l| l.trim() == marked),
        "the last label, marked: {after}"
    );

    // Another change keeps the retired scope in the next version.
    let changed = desk.json(&["app", "scopes", "Board", "--add", "tn.jpm.jobs:w"]);
    let scopes: Vec<&str> = changed["app"]["scopes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s.as_str().unwrap())
        .collect();
    assert!(scopes.contains(&LEADS_R), "{changed}");
}

#[test]
fn a_retired_scope_cannot_be_newly_added() {
    let desk = seeded();
    desk.new_app("Other", &["1234"], &[CUSTOMERS_R]);
    desk.ok(&["catalog", "update", &without_leads(&desk)]);
    let body = desk.rejects(
        &["app", "scopes", "Other", "--add", LEADS_R],
        "invalid",
        "add[0]",
    );
    assert!(
        body["message"].as_str().unwrap().contains("retired"),
        "{body}"
    );
    desk.rejects(
        &["app", "scopes", "Board", "--add", "tn.crm.leads:w"],
        "invalid",
        "add[0]",
    );
}

#[test]
fn a_malformed_catalog_file_is_refused_with_its_place_and_changes_nothing() {
    let desk = seeded();
    let bad = desk.dir.path().join("bad.json");
    std::fs::write(&bad, "{\n  \"catalogVersion\": \"x\",\n  \"modules\": [\n").unwrap();
    let bad = bad.to_str().unwrap();
    let body = desk.rejects(&["catalog", "update", bad], "catalog", "file");
    let message = body["message"].as_str().unwrap();
    assert!(
        message.contains("bad.json") && message.contains("line 4"),
        "{message}"
    );
    let dup = catalog_file(&desk, "dup.json", |doc| {
        let first = crm(doc)[0].clone();
        crm(doc).push(first);
    });
    desk.rejects(&["catalog", "update", &dup], "catalog", "file");
    assert_eq!(stored_catalogs(&desk), 0);
    desk.ok(&["app", "scopes", "Board", "--add", "tn.crm.leads:w"]);
}

#[test]
fn catalog_diff_names_removals_renames_and_access_changes_and_changes_nothing() {
    let desk = seeded();
    let file = catalog_file(&desk, "new.json", |doc| {
        let scopes = crm(doc);
        scopes.retain(|r| r["name"] != "tn.crm.leads");
        let customers = scopes
            .iter_mut()
            .find(|r| r["name"] == "tn.crm.customers")
            .unwrap();
        customers["displayName"] = "Clients".into();
        let tags = scopes
            .iter_mut()
            .find(|r| r["name"] == "tn.crm.tags")
            .unwrap();
        tags["view"] = true.into();
    });
    let diff = desk.json(&["catalog", "diff", &file]);
    assert_eq!(diff["toVersion"], "2027-01-01");
    assert_eq!(
        diff["resourcesRemoved"],
        serde_json::json!(["tn.crm.leads"])
    );
    assert_eq!(diff["resourcesRenamed"][0]["to"], "Clients");
    assert_eq!(diff["accessChanges"][0]["resource"], "tn.crm.tags");
    assert_eq!(
        diff["accessChanges"][0]["view"],
        serde_json::json!([false, true])
    );
    assert_eq!(stored_catalogs(&desk), 0);
    let text = desk.ok(&["catalog", "diff", &file]);
    assert!(
        text.contains("resource removed  tn.crm.leads (kept as retired)"),
        "{text}"
    );
}

#[test]
fn a_catalog_path_that_is_not_a_regular_file_is_refused_without_reading_it() {
    let desk = seeded();
    let folder = desk.dir.path().to_str().unwrap().to_owned();
    let body = desk.rejects(&["catalog", "update", &folder], "catalog", "file");
    assert!(
        body["message"]
            .as_str()
            .unwrap()
            .contains("not a regular file"),
        "{body}"
    );
    #[cfg(unix)]
    desk.rejects(&["catalog", "diff", "/dev/zero"], "catalog", "file");
    assert_eq!(stored_catalogs(&desk), 0);
}

//! End-to-end tests of the app page (issue 11): its tabs and their keys, the
//! tab kept per app, field edits that save themselves with a visible status,
//! a problem shown once its field is left, the scope picker's "All" (View
//! only) against "All + Modify", "Selected only", Ctrl+S, the comparison of
//! two versions, a retired scope, and discarding an empty draft with Undo.
//! Run by `scripts/e2e` under Xvfb, as the other WebDriver tests.

use appdesk_core::{AppInput, Catalog, ListQuery};
use appdesk_e2e::{CONTROL, Desktop, RELEASE, open_store, sample_app};

const TAB: &str = "\u{E004}";
const ARROW_RIGHT: &str = "\u{E014}";

fn ctrl(key: &str) -> String {
    format!("{CONTROL}{key}{RELEASE}")
}

/// The tabs: Ctrl+1…5 and the arrow keys switch them (one panel shown at a
/// time), and each app reopens on the tab it was left on.
#[tokio::test]
#[ignore = "needs a display, tauri-driver and the built app: run scripts/e2e"]
async fn tabs_switch_by_shortcut_and_each_app_keeps_its_tab() {
    let dir = tempfile::tempdir().unwrap();
    {
        let store = open_store(dir.path());
        for name in ["Billing Sync", "Crew Tracker"] {
            store.create_app(&sample_app(name, "")).unwrap();
        }
    }
    let d = Desktop::launch_in(dir).await;
    let billing = r#"button[data-app-name="Billing Sync"]"#;
    let crew = r#"button[data-app-name="Crew Tracker"]"#;
    d.click(billing).await;
    d.wait_text("#app-title", "Billing Sync").await;
    d.wait_shown_tab("overview").await;

    for (key, tab) in [
        ("3", "tenants"),
        ("5", "history"),
        ("2", "scopes"),
        ("4", "connections"),
        ("1", "overview"),
    ] {
        d.type_into("body", &ctrl(key)).await;
        d.wait_shown_tab(tab).await;
    }
    // Arrow keys move along the tab list, wrapping, and focus follows.
    d.click("#tab-history").await;
    d.type_into("#tab-history", ARROW_RIGHT).await;
    d.wait_shown_tab("overview").await;
    d.wait_js("document.activeElement?.id === 'tab-overview'")
        .await;
    d.type_into("body", &ctrl("5")).await;
    d.wait_shown_tab("history").await;
    d.find(r#"#history li[data-version="1"]"#).await;

    // Another app starts on Overview; each keeps its own tab.
    d.click(crew).await;
    d.wait_text("#app-title", "Crew Tracker").await;
    d.wait_shown_tab("overview").await;
    d.type_into("body", &ctrl("3")).await;
    d.wait_shown_tab("tenants").await;
    d.click(billing).await;
    d.wait_text("#app-title", "Billing Sync").await;
    d.wait_shown_tab("history").await;
    d.click(crew).await;
    d.wait_text("#app-title", "Crew Tracker").await;
    d.wait_shown_tab("tenants").await;
    d.close().await;
}

/// Overview saves field edits by itself, showing "Saving…" then "Saved"; a bad
/// homepage shows its problem (in plain words) only once the field is left,
/// is not saved, and the other fields still are. A tenant's note saves itself.
#[tokio::test]
#[ignore = "needs a display, tauri-driver and the built app: run scripts/e2e"]
async fn field_edits_autosave_with_a_status_and_problems_show_after_blur() {
    let (d, key) = Desktop::launch_on_app("Crew Tracker").await;
    let store = d.store();

    d.type_into("#app-organization", " Field Services").await;
    d.wait_text("#details-save-state", "Saving…").await;
    d.wait_text("#details-save-state", "Saved").await;
    assert_eq!(store.app(&key).unwrap().organization, "Acme Field Services");
    assert_eq!(d.count("#save-details").await, 0, "no Save button to press");

    // A bad homepage: nothing shows while typing; leaving the field shows the
    // core's plain words; the store keeps the old URL.
    d.retype("#app-homepage", "acme.example").await;
    d.wait_text("#details-save-state", "Not saved").await;
    assert_eq!(
        d.count("#app-homepage-problem").await,
        0,
        "no problem before the field is left"
    );
    d.type_into("#app-homepage", TAB).await;
    let problem = d
        .wait_text("#app-homepage-problem", "must start with https://")
        .await;
    assert!(
        !problem.contains("relative URL"),
        "no parser text: {problem:?}"
    );
    assert_eq!(d.count("#app-homepage-problem").await, 1, "shown once");
    d.screenshot("apppage-blur-problem").await;
    assert_eq!(
        store.app(&key).unwrap().homepage_url,
        "https://acme.example/"
    );

    // The name still saves while the homepage is wrong.
    d.retype("#app-name", "Crew Tracker Pro").await;
    d.find(r#"button[data-app-name="Crew Tracker Pro"]"#).await;
    d.wait_text("#app-title", "Crew Tracker Pro").await;
    assert_eq!(
        store.app(&key).unwrap().homepage_url,
        "https://acme.example/"
    );

    // A tenant's note saves itself too.
    d.type_into("body", &ctrl("3")).await;
    d.wait_shown_tab("tenants").await;
    d.type_into(r#"input[aria-label="Note for tenant 1234"]"#, "Head office")
        .await;
    d.wait_text("#notes-save-state", "Saved").await;
    assert_eq!(store.app(&key).unwrap().tenants[0].note, "Head office");
    d.type_into("body", &ctrl("1")).await;
    d.wait_shown_tab("overview").await;

    // Fixed: saved, and the problem goes.
    d.retype("#app-homepage", "https://crew.example").await;
    d.wait_text("#details-save-state", "Saved").await;
    d.wait_js("!document.querySelector('#app-homepage-problem')")
        .await;
    assert_eq!(
        store.app(&key).unwrap().homepage_url,
        "https://crew.example/"
    );
    d.close().await;
}

/// A module's "All" selects View only, "All + Modify" every allowed access
/// (the oracle is the catalog file); Ctrl+S saves behind the preview;
/// "Selected only" shows just the chosen resources; History compares any two
/// versions.
#[tokio::test]
#[ignore = "needs a display, tauri-driver and the built app: run scripts/e2e"]
async fn scope_all_is_view_only_and_history_compares_two_versions() {
    let (views, modifies) = crm_accesses();
    let (d, key) = Desktop::launch_on_app("Dispatch Board").await;
    d.type_into("body", &ctrl("2")).await;
    d.wait_shown_tab("scopes").await;

    let crm = r#"#app-picker fieldset[data-module="crm"]"#;
    d.click(&format!(r#"{crm} button[data-bulk="view"]"#)).await;
    let checked = |suffix: &str| {
        format!(
            "[...document.querySelectorAll('{crm} input[data-scope$=\":{suffix}\"]')].filter(b => b.checked).length"
        )
    };
    d.wait_js(&format!("{} === {views}", checked("r"))).await;
    assert_eq!(d.js(&checked("w")).await, 0, "All never selects Modify");
    d.wait_text("#scope-preview", "Saving creates version 2")
        .await;
    d.screenshot("apppage-scopes-all-view").await;
    d.type_into("body", &ctrl("s")).await;
    d.wait_text("#app-version", "Version 2").await;
    let v2 = open_store_scopes(&d, &key);
    assert_eq!(
        v2.iter()
            .filter(|s| s.starts_with("tn.crm.") && s.ends_with(":w"))
            .count(),
        0
    );
    assert_eq!(
        v2.iter()
            .filter(|s| s.starts_with("tn.crm.") && s.ends_with(":r"))
            .count(),
        views
    );

    d.click(&format!(r#"{crm} button[data-bulk="all"]"#)).await;
    d.wait_js(&format!("{} === {modifies}", checked("w"))).await;
    d.wait_text("#scope-preview", "Saving creates version 3")
        .await;
    d.click("#save-scopes").await;
    d.wait_text("#app-version", "Version 3").await;
    let v3 = open_store_scopes(&d, &key);
    assert_eq!(
        v3.iter()
            .filter(|s| s.starts_with("tn.crm.") && s.ends_with(":w"))
            .count(),
        modifies
    );

    // Selected only: one row per resource with a chosen access, and no other.
    d.click("#app-selected-only").await;
    let resources: std::collections::BTreeSet<&str> =
        v3.iter().map(|s| s.rsplit_once(':').unwrap().0).collect();
    d.wait_js(&format!(
        "document.querySelectorAll('#app-picker .res').length === {}",
        resources.len()
    ))
    .await;
    d.screenshot("apppage-scopes-selected-only").await;

    // Compare version 3 against version 1: what the CRM buttons added.
    d.type_into("body", &ctrl("5")).await;
    d.wait_shown_tab("history").await;
    d.find("#compare-from")
        .await
        .select_by_value("1")
        .await
        .unwrap();
    d.find("#compare-to")
        .await
        .select_by_value("3")
        .await
        .unwrap();
    let added = v3.len() - 1;
    let text = d
        .wait_text(
            "#compare-result",
            &format!("Version 3 against version 1: {added} added, 0 removed"),
        )
        .await;
    assert!(
        text.contains("+ CRM › Leads (View) tn.crm.leads:r"),
        "label and string together: {text:?}"
    );
    assert!(
        !text.contains("tn.crm.customers:r"),
        "in both versions: {text:?}"
    );
    d.find("#compare-to")
        .await
        .select_by_value("1")
        .await
        .unwrap();
    d.find("#compare-from")
        .await
        .select_by_value("3")
        .await
        .unwrap();
    d.wait_text(
        "#compare-result",
        &format!("Version 1 against version 3: 0 added, {added} removed"),
    )
    .await;
    d.show("#app-page").await;
    d.screenshot("apppage-history-compare").await;
    d.close().await;
}

/// Discarding an empty draft is one click and offers Undo (the draft is back,
/// as it was); discarded for good, it is gone from the database. A draft with
/// something typed still asks first.
#[tokio::test]
#[ignore = "needs a display, tauri-driver and the built app: run scripts/e2e"]
async fn an_empty_draft_is_discarded_in_one_click_with_undo() {
    // A draft with nothing in it (the new-draft form never leaves one: it
    // comes from `appdesk app new` with no fields, or an erased name).
    let dir = tempfile::tempdir().unwrap();
    open_store(dir.path())
        .save_draft(&AppInput::default())
        .unwrap();
    let d = Desktop::launch_in(dir).await;
    d.wait_text("#apps-count", "1 app").await;
    let drafts = |d: &Desktop| {
        d.store()
            .list_apps(&ListQuery::default())
            .unwrap()
            .items
            .len()
    };
    d.click(r#"button[data-app-name=""]"#).await;
    d.find("#draft-form").await;
    d.click("#discard-draft").await;
    d.wait_text("#draft-discarded", "Draft discarded").await;
    d.wait_js("document.activeElement?.id === 'undo-discard'")
        .await;
    assert_eq!(drafts(&d), 1, "not deleted while Undo is offered");
    d.click("#undo-discard").await;
    d.find("#draft-form").await;
    d.click("#discard-draft").await;
    d.click("#discard-now").await;
    d.find("#empty-state").await;
    assert_eq!(drafts(&d), 0, "discarded for good");

    // Something typed: the draft is not empty, and discarding it asks first.
    d.click("#new-draft").await;
    d.type_into("#draft-name", "Half").await;
    d.wait_js("!document.querySelector('#draft-checklist').innerText.includes('Name is')")
        .await;
    d.click("#discard-draft").await;
    d.wait_js("document.querySelector('#delete-dialog').open")
        .await;
    assert_eq!(drafts(&d), 1);
    d.close().await;
}

/// A scope whose resource a newer catalog retired shows on the app page as
/// "retired", with its last label and string.
#[tokio::test]
#[ignore = "needs a display, tauri-driver and the built app: run scripts/e2e"]
async fn a_retired_scope_is_shown_with_its_last_label() {
    let dir = tempfile::tempdir().unwrap();
    {
        let store = open_store(dir.path());
        store.create_app(&sample_app("Dispatch Board", "")).unwrap();
        let mut json: serde_json::Value = serde_json::to_value(Catalog::embedded()).unwrap();
        json["catalogVersion"] = "2099-01-01".into();
        for module in json["modules"].as_array_mut().unwrap() {
            module["scopes"]
                .as_array_mut()
                .unwrap()
                .retain(|r| r["name"] != "tn.crm.customers");
        }
        let newer = Catalog::from_json(&json.to_string()).unwrap();
        let update = store.update_catalog(&newer).unwrap();
        assert_eq!(update.retired.len(), 1);
    }
    let d = Desktop::launch_in(dir).await;
    d.click(r#"button[data-app-name="Dispatch Board"]"#).await;
    let text = d
        .wait_text("#panel-overview [data-retired]", "retired")
        .await;
    assert!(
        text.contains("CRM › Customers (View) tn.crm.customers:r") && text.contains("2099-01-01"),
        "{text:?}"
    );
    d.screenshot("apppage-retired-scope").await;
    d.close().await;
}

/// How many CRM resources allow View, and how many Modify, in the shipped
/// catalog file (read here, not from the window).
fn crm_accesses() -> (usize, usize) {
    let path = appdesk_e2e::workspace().join("crates/appdesk-core/catalog/scope-catalog.json");
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let crm = json["modules"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["id"] == "crm")
        .expect("a crm module");
    let resources = crm["scopes"].as_array().unwrap();
    let count = |k: &str| resources.iter().filter(|r| r[k] == true).count();
    (count("view"), count("modify"))
}

fn open_store_scopes(d: &Desktop, key: &str) -> Vec<String> {
    d.store().app(key).unwrap().scopes
}

trait Probe {
    async fn js(&self, expr: &str) -> i64;
}

impl Probe for Desktop {
    async fn js(&self, expr: &str) -> i64 {
        let v = self
            .client
            .execute(&format!("return ({expr});"), vec![])
            .await
            .unwrap();
        v.as_i64()
            .unwrap_or_else(|| panic!("{expr} is not a number: {v}"))
    }
}

//! Drafts (R3): saved however incomplete, their problems shown, created only when
//! every problem is fixed, and then an app with a key and version 1.

use crate::common::{CAPACITY_W, CUSTOMERS_R, Desk, is_token, strings, text};
use serde_json::Value;

fn problem_fields(app: &Value) -> Vec<String> {
    app["problems"]
        .as_array()
        .map(|ps| ps.iter().map(|p| text(p, "field").to_owned()).collect())
        .unwrap_or_default()
}

#[test]
fn a_draft_is_saved_as_typed_fixed_step_by_step_and_created() {
    let desk = Desk::new();
    let draft = desk.json(&[
        "app",
        "new",
        "--draft",
        "--name",
        "Dispatch Board",
        "--homepage",
        "ftp://acme.example",
    ]);
    assert_eq!(draft["status"], "draft");
    assert_eq!(draft["appKey"], Value::Null);
    assert_eq!(draft["version"], Value::Null);
    assert_eq!(draft["homepageUrl"], "ftp://acme.example", "saved as typed");
    let id = text(&draft, "id").to_owned();

    // The checklist: every problem, each naming its field.
    let shown = desk.json(&["app", "show", &id]);
    assert_eq!(
        problem_fields(&shown),
        ["organization", "homepageUrl", "tenants", "scopes"]
    );
    let human = desk.ok(&["app", "show", "Dispatch Board"]);
    assert!(human.contains("(draft)"), "{human}");
    assert!(human.contains("4 problem(s) block creating it"), "{human}");
    assert!(human.contains("homepageUrl: Homepage URL must start with http:// or https://"));

    // Creating it now fails with all of them, and changes nothing.
    let error = desk.rejects(&["app", "create", &id], "invalid", "organization");
    let fields: Vec<&str> = error["problems"]
        .as_array()
        .expect("problems")
        .iter()
        .map(|p| text(p, "field"))
        .collect();
    assert_eq!(fields, ["organization", "homepageUrl", "tenants", "scopes"]);
    let out = desk.cmd().args(["app", "create", &id]).output().unwrap();
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(stderr.starts_with("error: organization: Organization is required (and 3 more"));
    assert_eq!(
        stderr.lines().count(),
        5,
        "the headline, then each problem: {stderr}"
    );
    assert!(
        stderr.contains("\n  scopes: Choose at least one API scope"),
        "{stderr}"
    );

    // Fixed one area at a time; the draft stays a draft with fewer problems.
    let edited = desk.json(&[
        "app",
        "edit",
        &id,
        "--org",
        "Acme HVAC",
        "--homepage",
        "https://acme.example",
    ]);
    assert_eq!(problem_fields(&edited), ["tenants", "scopes"]);
    let with_tenants = desk.json(&["app", "tenants", &id, "--add", "1234=HQ"]);
    assert_eq!(problem_fields(&with_tenants), ["scopes"]);
    assert_eq!(with_tenants["tenants"][0]["note"], "HQ");
    let change = desk.json(&[
        "app",
        "scopes",
        &id,
        "--add",
        CUSTOMERS_R,
        "--add",
        CAPACITY_W,
    ]);
    assert_eq!(change["newVersion"], Value::Null, "a draft has no versions");
    assert!(problem_fields(&change["app"]).is_empty());
    assert!(
        desk.json(&["app", "history", &id])
            .as_array()
            .unwrap()
            .is_empty()
    );
    assert!(desk.ok(&["app", "show", &id]).contains("Ready to create"));

    let app = desk.json(&["app", "create", &id]);
    assert_eq!(app["id"], id.as_str(), "the draft becomes the app");
    assert_eq!(app["status"], "created");
    assert_eq!(app["version"], 1);
    assert!(is_token(text(&app, "appKey"), "ak1.", 25), "{app}");
    assert_eq!(strings(&app, "scopes"), [CUSTOMERS_R, CAPACITY_W]);
    assert!(
        app.get("problems").is_none(),
        "a created app has no problems"
    );

    let history = desk.json(&["app", "history", &id]);
    assert_eq!(history.as_array().unwrap().len(), 1);
    assert_eq!(history[0]["version"], 1);

    // Created once only.
    let again = desk.rejects(&["app", "create", &id], "conflict", "app");
    assert!(text(&again, "message").contains("already created"));
}

#[test]
fn a_draft_needs_nothing_and_records_its_start() {
    let desk = Desk::new();
    let draft = desk.json(&["app", "new", "--draft"]);
    assert_eq!(problem_fields(&draft)[0], "name");
    let human = desk.ok(&["app", "show", text(&draft, "id")]);
    assert!(human.starts_with("(unnamed)  (draft)"), "{human}");
    assert!(human.contains("none yet"), "a draft has no key: {human}");
    let log = desk.json(&["log"]);
    assert_eq!(log[0]["action"], "draft");
}

#[test]
fn a_draft_keeps_input_that_would_be_refused_on_create() {
    let desk = Desk::new();
    let draft = desk.json(&[
        "app",
        "new",
        "--draft",
        "--name",
        "Odd",
        "--tenant",
        "12a",
        "--scope",
        "tn.nope:r",
    ]);
    assert_eq!(strings(&draft, "scopes"), ["tn.nope:r"]);
    assert_eq!(draft["tenants"][0]["id"], "12a");
    assert_eq!(
        problem_fields(&draft),
        ["organization", "homepageUrl", "tenants[0].id", "scopes[0]"]
    );
}

#[test]
fn a_draft_cannot_be_connected_to() {
    let desk = Desk::new();
    let draft = desk.json(&[
        "app", "new", "--draft", "--name", "Early", "--tenant", "1234",
    ]);
    let error = desk.rejects(
        &["conn", "connect", text(&draft, "id"), "--tenant", "1234"],
        "not_allowed",
        "app",
    );
    assert!(text(&error, "message").contains("is a draft"), "{error}");
}

//! Created apps: `app new`, `list`, `show`, `edit`, `history`, `delete` (R1, R4,
//! R5, R9), in JSON and in text.

use crate::common::{
    CUSTOMERS_R, CUSTOMERS_W, Desk, JOBS_R, field_pairs, is_token, new_app_args, strings, text,
};
use serde_json::Value;

#[test]
fn new_creates_an_app_with_a_key_and_version_1() {
    let desk = Desk::new();
    let app = desk.json(&[
        "app",
        "new",
        "--name",
        "  Dispatch Board ",
        "--org",
        "Acme HVAC",
        "--homepage",
        "https://acme.example",
        "--audience",
        "public",
        "--credentials",
        "developer",
        "--tenant",
        "98765432101=HQ",
        "--tenant",
        "1234",
        "--scope",
        "tn.crm.customers:rw",
        "--scope",
        JOBS_R,
        "--scope",
        JOBS_R,
    ]);
    assert_eq!(app["name"], "Dispatch Board", "trimmed");
    assert_eq!(app["organization"], "Acme HVAC");
    assert_eq!(
        app["homepageUrl"], "https://acme.example/",
        "as the URL parser wrote it"
    );
    assert_eq!(app["audience"], "public");
    assert_eq!(app["credentials"], "developer");
    assert_eq!(app["status"], "created");
    assert_eq!(app["version"], 1);
    assert!(is_token(text(&app, "appKey"), "ak1.", 25), "{app}");
    assert_eq!(
        strings(&app, "scopes"),
        [CUSTOMERS_R, CUSTOMERS_W, JOBS_R],
        "rw is both; duplicates do not matter"
    );
    assert_eq!(
        field_pairs(&app, "tenants", "id", "note"),
        [("1234", ""), ("98765432101", "HQ")],
        "big ids kept as text"
    );
    for key in ["id", "createdAt", "updatedAt"] {
        assert!(!text(&app, key).is_empty());
    }
}

#[test]
fn the_text_form_shows_the_key_and_that_it_serves_both_environments() {
    let desk = Desk::new();
    let out = desk.ok(&new_app_args("Board", &["1234"], &[CUSTOMERS_R]));
    let key = text(&desk.json(&["app", "show", "Board"]), "appKey").to_owned();
    assert!(out.starts_with("Board  (version 1)\n"), "{out}");
    assert!(out.contains(&format!("app key         {key}\n")), "{out}");
    assert!(
        out.contains("one key for both integration and production"),
        "{out}"
    );
    assert!(
        out.contains("tn.crm.customers:r  CRM › Customers (View)"),
        "{out}"
    );
    assert!(out.contains("audience        private"), "defaults: {out}");
    assert!(out.contains("credentials     tenant"), "defaults: {out}");
}

#[test]
fn an_app_is_found_by_id_key_or_exact_name() {
    let desk = Desk::new();
    let app = desk.new_app("Board", &["1234"], &[CUSTOMERS_R]);
    for query in [text(&app, "id"), text(&app, "appKey"), "Board", " Board "] {
        assert_eq!(desk.json(&["app", "show", query]), app, "{query:?}");
    }
    desk.rejects(&["app", "show", "board"], "not_found", "app");
    desk.rejects(&["app", "show", "Boar"], "not_found", "app");
}

#[test]
fn list_is_an_array_sorted_by_name_with_filter_limit_and_offset() {
    let desk = Desk::new();
    assert_eq!(desk.json(&["app", "list"]), Value::Array(vec![]));
    assert!(desk.ok(&["app", "list"]).contains("No apps yet"));
    for name in ["Gamma tool", "alpha Tool", "Beta"] {
        desk.new_app(name, &["1234"], &[CUSTOMERS_R]);
    }
    desk.json(&["app", "new", "--draft", "--name", "Delta tool"]);
    let names = |args: &[&str]| -> Vec<String> {
        let list = desk.json(&[&["app", "list"][..], args].concat());
        list.as_array()
            .unwrap()
            .iter()
            .map(|a| text(a, "name").to_owned())
            .collect()
    };
    assert_eq!(
        names(&[]),
        ["alpha Tool", "Beta", "Delta tool", "Gamma tool"]
    );
    assert_eq!(
        names(&["--filter", "TOOL"]),
        ["alpha Tool", "Delta tool", "Gamma tool"]
    );
    assert_eq!(names(&["--limit", "2"]), ["alpha Tool", "Beta"]);
    assert_eq!(names(&["--limit", "2", "--offset", "3"]), ["Gamma tool"]);
    assert!(names(&["--filter", "zzz"]).is_empty());

    let table = desk.ok(&["app", "list"]);
    let lines: Vec<&str> = table.lines().collect();
    assert!(lines[0].starts_with("NAME "), "{table}");
    assert!(lines[0].contains("APP KEY"), "{table}");
    assert!(
        lines[3].starts_with("Delta tool") && lines[3].contains("draft"),
        "{table}"
    );
    assert_eq!(lines[5], "4 app(s)");
    let column = lines[0].find("STATUS").unwrap();
    assert!(
        lines[1..5]
            .iter()
            .all(|l| l[column..].starts_with("created") || l[column..].starts_with("draft"))
    );
    assert!(
        desk.ok(&["app", "list", "--limit", "1", "--offset", "1"])
            .contains("apps 2-2 of 4")
    );
    assert!(
        desk.ok(&["app", "list", "--filter", "zzz"])
            .contains("No app matches \"zzz\"")
    );

    // The filter is the core's list search: an app key or a tenant ID finds
    // its app, as in the window.
    let beta = desk.json(&["app", "show", "Beta"]);
    let key = text(&beta, "appKey").to_owned();
    assert_eq!(names(&["--filter", &key]), ["Beta"]);
    desk.new_app("Epsilon", &["4242424242"], &[CUSTOMERS_R]);
    assert_eq!(names(&["--filter", "4242424242"]), ["Epsilon"]);
}

#[test]
fn edit_changes_fields_but_never_the_key_or_the_version() {
    let desk = Desk::new();
    let app = desk.new_app("Board", &["1234"], &[CUSTOMERS_R]);
    let id = text(&app, "id");
    let edited = desk.json(&[
        "app",
        "edit",
        id,
        "--name",
        "Board 2",
        "--org",
        "Acme Inc",
        "--homepage",
        "http://acme.example/x",
        "--audience",
        "public",
        "--credentials",
        "developer",
    ]);
    assert_eq!(edited["name"], "Board 2");
    assert_eq!(edited["organization"], "Acme Inc");
    assert_eq!(edited["homepageUrl"], "http://acme.example/x");
    assert_eq!(edited["audience"], "public");
    assert_eq!(edited["credentials"], "developer");
    assert_eq!(edited["appKey"], app["appKey"]);
    assert_eq!(edited["version"], 1);
    assert_eq!(
        desk.json(&["app", "history", id]).as_array().unwrap().len(),
        1
    );
    let log = desk.json(&["log", id]);
    assert_eq!(log[0]["action"], "edit");
    assert!(
        text(&log[0], "summary").contains("\"Board\" → \"Board 2\""),
        "{log}"
    );
    assert!(
        desk.ok(&["app", "edit", "Board 2", "--name", "Board 3"])
            .starts_with("Board 3  (version 1)")
    );
}

#[test]
fn edit_refuses_bad_fields_of_a_created_app_all_at_once() {
    let desk = Desk::new();
    let app = desk.new_app("Board", &["1234"], &[CUSTOMERS_R]);
    let id = text(&app, "id");
    let error = desk.rejects(
        &[
            "app",
            "edit",
            id,
            "--homepage",
            "ftp://acme.example",
            "--name",
            " ",
            "--org",
            &"o".repeat(121),
        ],
        "invalid",
        "name",
    );
    let fields: Vec<&str> = error["problems"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| text(p, "field"))
        .collect();
    assert_eq!(fields, ["name", "organization", "homepageUrl"]);
    let error = desk.rejects(
        &["app", "edit", id, "--homepage", "ftp://acme.example"],
        "invalid",
        "homepageUrl",
    );
    assert_eq!(
        error["message"],
        "homepageUrl: Homepage URL must start with http:// or https://, not ftp:"
    );
    assert!(
        error
            .get("problems")
            .is_some_and(|p| p.as_array().unwrap().len() == 1)
    );
}

#[test]
fn history_lists_each_version_with_its_change_oldest_first() {
    let desk = Desk::new();
    let app = desk.new_app("Board", &["1234"], &[CUSTOMERS_R, JOBS_R]);
    let key = text(&app, "appKey");
    desk.json(&[
        "app",
        "scopes",
        key,
        "--add",
        CUSTOMERS_W,
        "--remove",
        JOBS_R,
    ]);
    let history = desk.json(&["app", "history", key]);
    let versions = history.as_array().unwrap();
    assert_eq!(versions.len(), 2);
    assert_eq!(versions[0]["version"], 1);
    assert_eq!(strings(&versions[0], "added"), [CUSTOMERS_R, JOBS_R]);
    assert_eq!(versions[1]["version"], 2);
    assert_eq!(strings(&versions[1], "scopes"), [CUSTOMERS_R, CUSTOMERS_W]);
    assert_eq!(strings(&versions[1], "added"), [CUSTOMERS_W]);
    assert_eq!(strings(&versions[1], "removed"), [JOBS_R]);
    for v in versions {
        assert!(!text(v, "createdAt").is_empty() && !text(v, "createdBy").is_empty());
    }
    let human = desk.ok(&["app", "history", "Board"]);
    assert!(human.starts_with("version 1  "), "{human}");
    assert!(human.contains("\nversion 2  "), "{human}");
    assert!(
        human.contains(&format!("  removed         {JOBS_R}\n")),
        "{human}"
    );
    desk.rejects(&["app", "history", "nope"], "not_found", "app");
}

#[test]
fn delete_retires_the_key_ends_connections_and_stays_in_the_log() {
    let desk = Desk::new();
    let app = desk.new_app("Board", &["1234"], &[CUSTOMERS_R]);
    let (id, key) = (text(&app, "id"), text(&app, "appKey"));
    desk.json(&["conn", "connect", key, "--tenant", "1234"]);
    let deleted = desk.json(&["app", "delete", key]);
    assert_eq!(deleted["id"], id);
    assert_eq!(deleted["name"], "Board");
    assert_eq!(deleted["appKey"], key);
    assert_eq!(deleted["connectionsEnded"], 1);

    for query in [key, id, "Board"] {
        desk.rejects(&["app", "show", query], "not_found", "app");
        desk.rejects(&["conn", "list", query], "not_found", "app");
    }
    assert_eq!(desk.json(&["app", "list"]), Value::Array(vec![]));
    let log = desk.json(&["log", key]);
    assert_eq!(log[0]["action"], "delete");
    assert!(text(&log[0], "summary").contains(key), "{log}");
    assert_eq!(desk.json(&["log"])[0]["action"], "delete");

    // A new app never gets the retired key.
    let next = desk.new_app("Board", &["1234"], &[CUSTOMERS_R]);
    assert_ne!(next["appKey"], key);
    desk.rejects(&["app", "delete", key], "not_found", "app");
}

#[test]
fn delete_in_text_says_what_ended() {
    let desk = Desk::new();
    let app = desk.new_app("Board", &["1234"], &[CUSTOMERS_R]);
    let key = text(&app, "appKey");
    let out = desk.ok(&["app", "delete", "Board"]);
    assert!(
        out.contains(&format!(
            "app key {key} is retired for good; 0 connection(s) ended"
        )),
        "{out}"
    );
    let draft = desk.json(&["app", "new", "--draft", "--name", "Sketch"]);
    let out = desk.ok(&["app", "delete", text(&draft, "id")]);
    assert!(out.starts_with("Deleted the draft \"Sketch\""), "{out}");
}

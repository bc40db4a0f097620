//! Failures: each kind exits non-zero, names the field or input at fault on one
//! line (one JSON line with `--json`), and leaves the database as it was.

use crate::common::{CUSTOMERS_R, Desk, appdesk, field_pairs, text};
use serde_json::Value;

#[test]
fn invalid_input_names_the_first_field_and_lists_every_problem() {
    let desk = Desk::new();
    desk.new_app("Board", &["1234"], &[CUSTOMERS_R]);
    let args = [
        "app",
        "new",
        "--name",
        "X",
        "--org",
        "O",
        "--homepage",
        "ftp://acme.example",
    ];
    let error = desk.rejects(&args, "invalid", "homepageUrl");
    assert_eq!(
        error["message"],
        "homepageUrl: Homepage URL must start with http:// or https://, not ftp: (and 2 more problems)"
    );
    let problems = field_pairs(&error, "problems", "field", "message");
    assert_eq!(
        problems[1],
        ("tenants", "At least one tenant ID is required")
    );
    assert_eq!(problems[2], ("scopes", "Choose at least one API scope"));

    let out = desk.cmd().args(args).output().unwrap();
    let stderr = String::from_utf8(out.stderr).unwrap();
    let lines: Vec<&str> = stderr.lines().collect();
    assert_eq!(
        lines[0],
        "error: homepageUrl: Homepage URL must start with http:// or https://, not ftp: (and 2 more problems)"
    );
    assert_eq!(
        lines[1..],
        [
            "  homepageUrl: Homepage URL must start with http:// or https://, not ftp:",
            "  tenants: At least one tenant ID is required",
            "  scopes: Choose at least one API scope",
        ]
    );
}

#[test]
fn new_without_draft_reports_every_missing_field_at_once() {
    let desk = Desk::new();
    let error = desk.rejects(&["app", "new"], "invalid", "name");
    let fields: Vec<&str> = error["problems"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| text(p, "field"))
        .collect();
    assert_eq!(
        fields,
        ["name", "organization", "homepageUrl", "tenants", "scopes"]
    );
    desk.rejects(
        &[
            "app",
            "new",
            "--name",
            "X",
            "--org",
            "O",
            "--homepage",
            "https://x.example",
            "--tenant",
            "1234",
            "--scope",
            "tn.crm.customers",
        ],
        "invalid",
        "scopes[0]",
    );
}

#[test]
fn a_single_problem_is_one_line() {
    let desk = Desk::new();
    desk.new_app("Board", &["1234"], &[CUSTOMERS_R]);
    let out = desk
        .cmd()
        .args(["app", "edit", "Board", "--name", ""])
        .output()
        .unwrap();
    assert_eq!(
        String::from_utf8(out.stderr).unwrap(),
        "error: name: Name is required\n"
    );
}

#[test]
fn unknown_and_ambiguous_apps_name_the_app() {
    let desk = Desk::new();
    let error = desk.rejects(&["app", "show", "nope"], "not_found", "app");
    assert!(text(&error, "message").contains("\"nope\""), "{error}");
    assert!(
        error.get("problems").is_none(),
        "only validation lists problems"
    );
    desk.json(&["app", "new", "--draft", "--name", "Twin"]);
    desk.json(&["app", "new", "--draft", "--name", "Twin"]);
    let error = desk.rejects(&["app", "show", "Twin"], "ambiguous", "app");
    assert!(
        text(&error, "message").contains("matches 2 apps"),
        "{error}"
    );
    desk.rejects(&["app", "delete", "Twin"], "ambiguous", "app");
    desk.rejects(&["app", "edit", "Twin", "--org", "O"], "ambiguous", "app");
    desk.rejects(&["log", "nope"], "not_found", "app");
}

#[test]
fn a_bad_user_is_refused() {
    let desk = Desk::new();
    desk.new_app("Board", &["1234"], &[CUSTOMERS_R]);
    desk.rejects(
        &["--user", "  ", "app", "edit", "Board", "--org", "O"],
        "invalid",
        "user",
    );
    let long = "u".repeat(121);
    desk.rejects(
        &["--user", &long, "app", "delete", "Board"],
        "invalid",
        "user",
    );
}

#[test]
fn a_database_that_cannot_be_opened_names_db() {
    let desk = Desk::new();
    let dir = desk.dir.path().to_str().unwrap().to_owned();
    let out = appdesk()
        .args(["--db", &dir, "app", "list"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(
        stderr.starts_with("error: db: cannot open the database"),
        "{stderr}"
    );
    let out = appdesk()
        .args(["--json", "--db", &dir, "app", "list"])
        .output()
        .unwrap();
    let body: Value = serde_json::from_slice(&out.stderr).unwrap();
    assert_eq!(
        (body["code"].as_str(), body["field"].as_str()),
        (Some("open_failed"), Some("db"))
    );
}

#[test]
fn an_unusable_key_file_names_the_key_file_and_changes_nothing() {
    let desk = Desk::new();
    desk.new_app("Board", &["1234"], &[CUSTOMERS_R]);
    let key_dir = desk.dir.path().join("keys");
    std::fs::create_dir(&key_dir).unwrap();
    let key = key_dir.to_str().unwrap();
    let error = desk.rejects(
        &[
            "--key-file",
            key,
            "conn",
            "connect",
            "Board",
            "--tenant",
            "1234",
        ],
        "secrets",
        "key-file",
    );
    assert!(text(&error, "message").contains(key), "{error}");
}

#[test]
fn usage_errors_exit_2_and_name_the_argument() {
    let desk = Desk::without_database();
    for (args, field) in [
        (vec!["app", "new", "--audience", "everyone"], "audience"),
        (
            vec![
                "conn", "connect", "Board", "--tenant", "1234", "--env", "staging",
            ],
            "env",
        ),
        (vec!["conn", "connect", "Board"], "tenant"),
        (vec!["app", "show"], "app"),
        (vec!["app", "edit", "Board"], "name"),
        (vec!["app", "list", "--limit", "-1"], "limit"),
        (vec!["app", "list", "--offset", "-5"], "offset"),
        (vec!["log", "--limit", "0"], "limit"),
        (vec!["app", "frobnicate"], "command"),
    ] {
        let out = desk.cmd().args(&args).output().unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let stderr = String::from_utf8(out.stderr).unwrap();
        assert!(stderr.starts_with("error: "), "{args:?}: {stderr}");

        let out = desk.cmd().arg("--json").args(&args).output().unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let stderr = String::from_utf8(out.stderr).unwrap();
        assert_eq!(stderr.lines().count(), 1, "{stderr}");
        let body: Value = serde_json::from_str(&stderr).unwrap();
        assert_eq!(body["code"], "usage", "{body}");
        assert_eq!(body["field"], field, "{args:?}: {body}");
        assert!(!text(&body, "message").is_empty());
    }
    assert!(!desk.db.exists(), "a usage error opens no database");
}

#[test]
fn help_and_version_succeed() {
    let out = appdesk().arg("--help").output().unwrap();
    assert!(out.status.success());
    let help = String::from_utf8(out.stdout).unwrap();
    for word in [
        "catalog",
        "app",
        "conn",
        "log",
        "--db",
        "--user",
        "--json",
        "--key-file",
        "--catalog",
    ] {
        assert!(help.contains(word), "{word} missing from --help");
    }
    let out = appdesk().args(["--json", "--version"]).output().unwrap();
    assert!(out.status.success());
    assert!(
        String::from_utf8(out.stdout)
            .unwrap()
            .starts_with("appdesk ")
    );
}

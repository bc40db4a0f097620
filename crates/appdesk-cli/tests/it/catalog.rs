//! `appdesk catalog` and `--catalog`/`APPDESK_CATALOG` (R2): what can be chosen,
//! and a newer catalog replacing the built-in one.

use crate::common::{self, Desk, appdesk};
use serde_json::Value;

const SMALL: &str = r#"{"catalogVersion":"test-1","modules":[
  {"id":"crm","displayName":"CRM","scopes":[
    {"name":"tn.crm.customers","displayName":"Customers","view":true,"modify":false},
    {"name":"tn.crm.brandnew","displayName":"Brand New","view":true,"modify":true}]}]}"#;

#[test]
fn the_built_in_catalog_is_listed_without_a_database() {
    let desk = Desk::without_database();
    let catalog = desk.json(&["catalog"]);
    assert_eq!(catalog["modules"].as_array().unwrap().len(), 24);
    let crm = catalog["modules"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["id"] == "crm")
        .unwrap();
    let tags = crm["scopes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["name"] == "tn.crm.tags")
        .unwrap();
    assert_eq!(
        (tags["view"].clone(), tags["modify"].clone()),
        (Value::Bool(false), Value::Bool(true))
    );
    // The labels the window shows: module and resource display names, access.
    assert_eq!(
        catalog["labels"]["tn.crm.tags:w"],
        format!(
            "{} › {} (Modify)",
            crm["displayName"].as_str().unwrap(),
            tags["displayName"].as_str().unwrap()
        )
    );
    assert_eq!(catalog["labels"].as_object().unwrap().len(), 2 * 127);

    let text = desk.ok(&["catalog"]);
    assert!(
        text.lines()
            .next()
            .unwrap()
            .contains("24 modules, 127 resources"),
        "{text}"
    );
    let tags = text
        .lines()
        .find(|l| l.trim_start().starts_with("tn.crm.tags "))
        .unwrap();
    assert!(tags.ends_with("-     Modify"), "{tags:?}");
    let customers = text
        .lines()
        .find(|l| l.trim_start().starts_with("tn.crm.customers "))
        .unwrap();
    assert!(customers.ends_with("View  Modify"), "{customers:?}");
    assert!(text.contains("\nCRM (crm)\n"), "{text}");
    assert!(!desk.db.exists(), "listing the catalog creates no database");
}

#[test]
fn a_newer_catalog_file_replaces_the_built_in_one() {
    let desk = Desk::new();
    let file = desk.dir.path().join("catalog.json");
    std::fs::write(&file, SMALL).unwrap();
    let path = file.to_str().unwrap();

    let catalog = desk.json(&["--catalog", path, "catalog"]);
    assert_eq!(catalog["catalogVersion"], "test-1");
    let text = desk.ok(&["--catalog", path, "catalog"]);
    assert!(
        text.contains("tn.crm.brandnew   Brand New  View  Modify"),
        "{text}"
    );
    assert!(
        text.contains("tn.crm.customers  Customers  View  -"),
        "{text}"
    );

    let new = |extra: &[&str], scope: &str| {
        let mut cmd = desk.cmd();
        cmd.args(extra).args([
            "--json",
            "app",
            "new",
            "--name",
            scope,
            "--org",
            "O",
            "--homepage",
            "https://o.example",
            "--tenant",
            "1234",
            "--scope",
            scope,
        ]);
        cmd.output().unwrap()
    };
    let with_file = ["--catalog", path];
    assert!(new(&with_file, "tn.crm.brandnew:w").status.success());
    assert!(
        !new(&[], "tn.crm.brandnew:r").status.success(),
        "not in the built-in catalog"
    );
    let refused = new(&with_file, "tn.crm.customers:w");
    assert_eq!(refused.status.code(), Some(1));
    let body: Value = serde_json::from_slice(&refused.stderr).unwrap();
    assert_eq!(body["field"], "scopes[0]");

    let out = appdesk()
        .env("APPDESK_CATALOG", &file)
        .args(["--json", "catalog"])
        .output()
        .unwrap();
    let catalog: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        catalog["catalogVersion"], "test-1",
        "APPDESK_CATALOG is honoured"
    );
}

#[test]
fn a_bad_catalog_file_names_the_catalog_and_changes_nothing() {
    let desk = Desk::new();
    desk.new_app("Board", &["1234"], &[common::CUSTOMERS_R]);
    let missing = desk.dir.path().join("missing.json");
    let error = desk.rejects(
        &[
            "--catalog",
            missing.to_str().unwrap(),
            "app",
            "edit",
            "Board",
            "--org",
            "X",
        ],
        "catalog",
        "catalog",
    );
    assert!(
        error["message"].as_str().unwrap().contains("missing.json"),
        "{error}"
    );
    let bad = desk.dir.path().join("bad.json");
    std::fs::write(
        &bad,
        r#"{"catalogVersion":"x","modules":[{"id":"a","displayName":"A","scopes":[
        {"name":"tn.a.x","displayName":"X","view":false,"modify":false}]}]}"#,
    )
    .unwrap();
    let error = desk.rejects(
        &["--catalog", bad.to_str().unwrap(), "app", "delete", "Board"],
        "catalog",
        "catalog",
    );
    assert!(
        error["message"]
            .as_str()
            .unwrap()
            .contains("neither View nor Modify"),
        "{error}"
    );
}

/// A catalog path that names a FIFO or `/dev/zero` is refused at once, naming
/// the file, instead of blocking or reading without end.
#[cfg(unix)]
#[test]
fn a_catalog_that_is_a_fifo_or_a_device_is_refused_without_hanging() {
    let desk = Desk::new();
    let fifo = desk.dir.path().join("catalog.json");
    let made = std::process::Command::new("mkfifo").arg(&fifo).status();
    assert!(made.is_ok_and(|s| s.success()));
    for path in [fifo.as_path(), std::path::Path::new("/dev/zero")] {
        let out = desk
            .cmd()
            .arg("--catalog")
            .arg(path)
            .arg("catalog")
            .timeout(std::time::Duration::from_secs(20))
            .output()
            .expect("appdesk runs");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{}: {stderr}", path.display());
        assert!(
            stderr.contains(&path.display().to_string()) && stderr.contains("not a regular file"),
            "{}: {stderr}",
            path.display()
        );
    }
}

/// A catalog file lies like any other file: a display name with a line break
/// (a forged row in `appdesk catalog`), an escape sequence, a resource name with
/// a space, or a key written twice (`"view": false, "view": true`) is refused,
/// naming the catalog, before anything is listed or changed.
#[test]
fn a_catalog_with_control_characters_or_duplicate_keys_is_refused() {
    let desk = Desk::new();
    desk.new_app("Board", &["1234"], &[common::CUSTOMERS_R]);
    let catalog = |module: &str, name: &str, display: &str, access: &str| {
        format!(
            r#"{{"catalogVersion":"x","modules":[{{"id":"a","displayName":{module},"scopes":[
            {{"name":{name},"displayName":{display},{access}}}]}}]}}"#
        )
    };
    let access = r#""view":true,"modify":true"#;
    for (what, text) in [
        (
            "newline",
            catalog(
                r#""A""#,
                r#""tn.crm.customers""#,
                r#""AP\nforged  View""#,
                access,
            ),
        ),
        (
            "escape",
            catalog(r#""A\u001b[2J""#, r#""tn.crm.customers""#, r#""X""#, access),
        ),
        (
            "space",
            catalog(r#""A""#, r#""tn.crm.customers x""#, r#""X""#, access),
        ),
        (
            "duplicate",
            catalog(
                r#""A""#,
                r#""tn.crm.customers""#,
                r#""X""#,
                r#""view":false,"modify":true,"view":true"#,
            ),
        ),
    ] {
        let path = desk.dir.path().join(format!("{what}.json"));
        std::fs::write(&path, text).unwrap();
        let shown = path.to_str().unwrap();
        for args in [
            vec!["--catalog", shown, "catalog"],
            vec!["--catalog", shown, "app", "delete", "Board"],
        ] {
            let error = desk.rejects(&args, "catalog", "catalog");
            let message = error["message"].as_str().unwrap();
            assert!(message.contains(shown), "{what}: {message}");
        }
    }
}

//! The global settings: `--db`/`APPDESK_DB`, `--user`/`APPDESK_USER` (the user
//! stamp in history and log), the default database in the data directory, and
//! `--key-file`/`APPDESK_KEY_FILE`.

use crate::common::{CUSTOMERS_R, CUSTOMERS_W, Desk, appdesk, new_app_args, text};

fn create_args() -> Vec<&'static str> {
    new_app_args("Board", &["1234"], &[CUSTOMERS_R])
}

#[test]
fn appdesk_db_and_appdesk_user_are_honoured() {
    let desk = Desk::new();
    let db = desk.dir.path().join("from-env.db");
    let out = appdesk()
        .env("APPDESK_DB", &db)
        .env("APPDESK_USER", "dana")
        .args(create_args())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(db.exists(), "the database is where APPDESK_DB says");

    let run = |args: &[&str]| {
        let out = appdesk()
            .env("APPDESK_DB", &db)
            .env("APPDESK_USER", "erin")
            .args(args)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        serde_json::from_slice::<serde_json::Value>(&out.stdout).unwrap()
    };
    run(&["--json", "app", "scopes", "Board", "--add", CUSTOMERS_W]);
    let history = run(&["--json", "app", "history", "Board"]);
    assert_eq!(history[0]["createdBy"], "dana");
    assert_eq!(history[1]["createdBy"], "erin");
    let log = run(&["--json", "log"]);
    assert_eq!(log[0]["user"], "erin");
    assert_eq!(log[1]["user"], "dana");

    // The flags win over the environment.
    let other = desk.dir.path().join("flag.db");
    let out = appdesk()
        .env("APPDESK_DB", &db)
        .env("APPDESK_USER", "erin")
        .args(["--db", other.to_str().unwrap(), "--user", "flo", "--json"])
        .args(create_args())
        .output()
        .unwrap();
    assert!(out.status.success());
    assert!(other.exists());
    let log = Desk {
        dir: tempfile::tempdir().unwrap(),
        db: other,
    }
    .json(&["log"]);
    assert_eq!(log[0]["user"], "flo");
    assert_eq!(run(&["--json", "app", "list"]).as_array().unwrap().len(), 1);
}

#[test]
fn the_user_flag_stamps_versions_and_activity() {
    let desk = Desk::new();
    desk.ok(&[&["--user", "gil"][..], &create_args()].concat());
    desk.ok(&[
        "app",
        "scopes",
        "Board",
        "--add",
        CUSTOMERS_W,
        "--user",
        "hal",
    ]);
    let history = desk.json(&["app", "history", "Board"]);
    assert_eq!(
        (
            text(&history[0], "createdBy"),
            text(&history[1], "createdBy")
        ),
        ("gil", "hal")
    );
    assert!(desk.ok(&["app", "history", "Board"]).contains("  by hal\n"));
    assert!(desk.ok(&["log", "--limit", "1"]).contains(" hal "));
}

#[test]
fn the_default_user_is_the_os_user() {
    let desk = Desk::new();
    desk.ok(&create_args());
    let expected = whoami::username();
    let expected = if expected.trim().is_empty() {
        "unknown".to_owned()
    } else {
        expected
    };
    assert_eq!(desk.json(&["log"])[0]["user"], expected.as_str());
    assert_eq!(
        desk.json(&["app", "history", "Board"])[0]["createdBy"],
        expected.as_str()
    );
}

#[cfg(target_os = "linux")]
#[test]
fn the_default_database_is_in_the_platform_data_directory() {
    let home = tempfile::tempdir().unwrap();
    let data = home.path().join("data");
    let out = appdesk()
        .env("HOME", home.path())
        .env("XDG_DATA_HOME", &data)
        .args(create_args())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(data.join("appdesk").join("appdesk.db").exists());
    let out = appdesk()
        .env("HOME", home.path())
        .env("XDG_DATA_HOME", &data)
        .args(["--json", "app", "list"])
        .output()
        .unwrap();
    let apps: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(apps[0]["name"], "Board");
}

#[test]
fn the_key_file_is_where_key_file_says_and_is_needed_to_reveal() {
    let desk = Desk::new();
    desk.ok(&create_args());
    let key = desk.dir.path().join("secrets").join("k.key");
    std::fs::create_dir(key.parent().unwrap()).unwrap();
    let key_arg = key.to_str().unwrap();
    let conn = desk.json(&[
        "--key-file",
        key_arg,
        "conn",
        "connect",
        "Board",
        "--tenant",
        "1234",
    ]);
    assert!(key.exists(), "the key file is created on first use");
    assert!(
        !desk.dir.path().join("a.key").exists(),
        "not beside the database"
    );

    let out = desk
        .cmd()
        .env("APPDESK_KEY_FILE", &key)
        .args([
            "--json", "conn", "show", "Board", "--tenant", "1234", "--reveal",
        ])
        .output()
        .unwrap();
    assert!(out.status.success());
    let shown: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(shown["clientSecret"], conn["clientSecret"]);

    // With another key the secret cannot be opened.
    let out = desk
        .cmd()
        .args(["conn", "show", "Board", "--tenant", "1234", "--reveal"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(stderr.starts_with("error: key-file: "), "{stderr}");
    assert!(!stderr.contains("cs1."), "{stderr}");
}

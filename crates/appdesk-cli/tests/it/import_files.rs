//! `appdesk import` of files that lie or are not files: a device, a FIFO, a
//! duplicate key. Each fails fast, names the path, and changes nothing. Every
//! run has a time limit, so a regression that blocks or reads without end
//! fails instead of hanging.

use std::time::Duration;

use crate::common::{CUSTOMERS_R, Desk, text};
use serde_json::Value;

const LIMIT: Duration = Duration::from_secs(30);

/// `appdesk --json import <path>`, which must fail: its error body.
fn refused(desk: &Desk, path: &str) -> Value {
    let before = desk.snapshot();
    let out = desk
        .cmd()
        .args(["--json", "import", path])
        .timeout(LIMIT)
        .output()
        .expect("appdesk import finished within the time limit");
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    assert!(out.stdout.is_empty());
    assert_eq!(
        desk.snapshot(),
        before,
        "import {path} changed the database"
    );
    serde_json::from_slice(&out.stderr).expect("the error is JSON")
}

#[cfg(unix)]
#[test]
fn import_of_dev_zero_fails_fast_naming_the_path() {
    let desk = Desk::new();
    desk.new_app("Existing", &["1234"], &[CUSTOMERS_R]);
    let body = refused(&desk, "/dev/zero");
    assert_eq!(body["code"], "invalid_file");
    let problem = &body["fileProblems"][0];
    assert_eq!(problem["file"], "/dev/zero");
    assert!(
        text(problem, "message").contains("not a regular file (a character device)"),
        "{body}"
    );
    // The human form names the path too.
    let out = desk
        .cmd()
        .args(["import", "/dev/zero"])
        .timeout(LIMIT)
        .output()
        .unwrap();
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(
        stderr.starts_with("error: /dev/zero: $: not a regular file"),
        "{stderr}"
    );
}

#[cfg(unix)]
#[test]
fn import_of_a_fifo_fails_fast_naming_the_path() {
    let desk = Desk::new();
    let fifo = desk.dir.path().join("app.json");
    let made = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap();
    assert!(made.success());
    let fifo = fifo.to_str().unwrap();
    let body = refused(&desk, fifo);
    assert_eq!(body["fileProblems"][0]["file"], fifo);
    assert!(
        text(&body, "message").contains("not a regular file (a FIFO)"),
        "{body}"
    );
}

#[test]
fn import_of_a_file_with_a_duplicate_key_is_refused_at_the_second_key() {
    let desk = Desk::new();
    let app = desk.new_app("Original", &["1234"], &[CUSTOMERS_R]);
    let export = desk.ok(&["export", text(&app, "id")]);
    // A reviewer reading the file sees "Original"; the last key would win.
    let lying = export.replacen(
        "\"name\": \"Original\",",
        "\"name\": \"Original\",\n  \"name\": \"Renamed\",",
        1,
    );
    assert_ne!(lying, export);
    let file = desk.dir.path().join("lying.json");
    std::fs::write(&file, &lying).unwrap();
    let body = refused(&desk, file.to_str().unwrap());
    assert_eq!(body["code"], "invalid_file");
    assert_eq!(body["field"], "$.name");
    let problem = &body["fileProblems"][0];
    let line = lying
        .lines()
        .position(|l| l.contains("Renamed"))
        .map(|i| i as u64 + 1);
    assert_eq!(problem["line"].as_u64(), line, "{body}");
    assert_eq!(
        problem["column"], 3,
        "at the second key's opening quote: {body}"
    );
    assert!(text(problem, "message").contains("appears twice"), "{body}");
}

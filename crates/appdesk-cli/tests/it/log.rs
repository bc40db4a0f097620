//! `appdesk log [APP]` (R10): every change with its time and user, newest first.

use crate::common::{CUSTOMERS_R, CUSTOMERS_W, Desk, text};

#[test]
fn the_log_is_newest_first_limited_and_per_app() {
    let desk = Desk::new();
    assert!(desk.json(&["log"]).as_array().unwrap().is_empty());
    assert_eq!(desk.ok(&["log"]), "No activity.\n");

    desk.new_app("Board", &["1234"], &[CUSTOMERS_R]);
    desk.new_app("Other", &["1234"], &[CUSTOMERS_R]);
    desk.json(&[
        "--user",
        "ivy",
        "app",
        "scopes",
        "Board",
        "--add",
        CUSTOMERS_W,
    ]);
    desk.json(&["conn", "connect", "Board", "--tenant", "1234"]);

    let log = desk.json(&["log"]);
    let actions: Vec<&str> = log
        .as_array()
        .unwrap()
        .iter()
        .map(|e| text(e, "action"))
        .collect();
    assert_eq!(actions, ["connect", "scopes", "create", "create"]);
    let seqs: Vec<i64> = log
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["seq"].as_i64().unwrap())
        .collect();
    assert!(
        seqs.windows(2).all(|w| w[0] > w[1]),
        "newest first: {seqs:?}"
    );
    let entry = &log[1];
    assert_eq!(entry["user"], "ivy");
    assert_eq!(entry["appName"], "Board");
    assert_eq!(entry["summary"], format!("version 2: +{CUSTOMERS_W}"));
    for key in ["at", "appId"] {
        assert!(!text(entry, key).is_empty());
    }

    assert_eq!(
        desk.json(&["log", "--limit", "1"])
            .as_array()
            .unwrap()
            .len(),
        1
    );
    let board = desk.json(&["log", "Board"]);
    assert_eq!(board.as_array().unwrap().len(), 3);
    assert!(
        board
            .as_array()
            .unwrap()
            .iter()
            .all(|e| e["appName"] == "Board")
    );

    let table = desk.ok(&["log", "--limit", "2"]);
    let lines: Vec<&str> = table.lines().collect();
    assert_eq!(lines.len(), 3, "{table}");
    assert!(
        lines[0].starts_with("AT ") && lines[0].contains("SUMMARY"),
        "{table}"
    );
    assert!(
        lines[1].contains(" connect ") && lines[2].contains(" ivy "),
        "{table}"
    );
    let column = lines[0].find("ACTION").unwrap();
    assert!(lines[2][column..].starts_with("scopes"), "aligned: {table}");
}

#[test]
fn the_log_defaults_to_the_last_50_entries() {
    let desk = Desk::new();
    desk.new_app("Board", &["1234"], &[CUSTOMERS_R]);
    for i in 0..30 {
        let org = format!("Org {i}");
        desk.json(&["app", "edit", "Board", "--org", &org]);
        desk.json(&["app", "tenants", "Board", "--add", &format!("{}", 2000 + i)]);
    }
    assert_eq!(desk.json(&["log"]).as_array().unwrap().len(), 50);
    assert_eq!(
        desk.json(&["log", "--limit", "100"])
            .as_array()
            .unwrap()
            .len(),
        61
    );
}

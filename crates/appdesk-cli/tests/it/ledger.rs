//! `appdesk behind` and `appdesk upgrade-request` (issue 12, part 1): the
//! ledger's figures on a seeded database with known answers, and requests
//! that show as "requested N days ago" until a newer version makes them stale.

use serde_json::Value;

use crate::common::{CAPACITY_W, CUSTOMERS_R, Desk, JOBS_R};

/// SQL for "`days` days before now", in the stored form (the oracle for the
/// dates is SQLite's clock, not the code under test).
fn days_ago(days: i64) -> String {
    format!("strftime('%Y-%m-%dT%H:%M:%fZ', 'now', '-{days} days')")
}

fn sql(desk: &Desk, statement: &str) {
    let conn = rusqlite::Connection::open(&desk.db).unwrap();
    conn.execute_batch(statement).unwrap();
}

/// "Board": v1 {customers:r, jobs:r} made 100 days ago; v2 adds capacity:w,
/// 40 days ago; v3 drops jobs:r, 10 days ago. Tenant 1111 (integration) and
/// 2222 (production) are on v1, 3333 on v2, 4444 on v3. "Alpha" has one
/// connection, on its latest version.
fn seeded() -> Desk {
    let desk = Desk::new();
    desk.new_app(
        "Board",
        &["1111", "2222", "3333", "4444"],
        &[CUSTOMERS_R, JOBS_R],
    );
    desk.new_app("Alpha", &["1111"], &[CUSTOMERS_R]);
    desk.ok(&["conn", "connect", "Alpha", "--tenant", "1111"]);
    desk.ok(&["conn", "connect", "Board", "--tenant", "1111"]);
    desk.ok(&[
        "conn",
        "connect",
        "Board",
        "--tenant",
        "2222",
        "--env",
        "production",
    ]);
    desk.ok(&["app", "scopes", "Board", "--add", CAPACITY_W]);
    desk.ok(&["conn", "connect", "Board", "--tenant", "3333"]);
    desk.ok(&["app", "scopes", "Board", "--remove", JOBS_R]);
    desk.ok(&["conn", "connect", "Board", "--tenant", "4444"]);
    for (version, days) in [(1, 100), (2, 40), (3, 10)] {
        sql(
            &desk,
            &format!(
                "UPDATE versions SET created_at = {} WHERE version = {version}
                 AND app_id = (SELECT id FROM apps WHERE name = 'Board')",
                days_ago(days)
            ),
        );
    }
    desk
}

fn tenants(entries: &Value) -> Vec<&str> {
    entries
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["tenantId"].as_str().unwrap())
        .collect()
}

#[test]
fn behind_lists_each_connection_behind_with_known_figures_oldest_first() {
    let desk = seeded();
    let entries = desk.json(&["behind"]);
    assert_eq!(tenants(&entries), ["1111", "2222", "3333"]);
    let first = &entries[0];
    let keys: Vec<&String> = first.as_object().unwrap().keys().collect();
    let mut expected = [
        "appId",
        "appName",
        "tenantId",
        "environment",
        "version",
        "latestVersion",
        "versionsBehind",
        "behindSince",
        "gains",
        "loses",
        "request",
    ];
    expected.sort_unstable();
    assert_eq!(keys, expected, "exactly the issue's fields");
    assert_eq!(first["request"], Value::Null, "never asked");
    assert_eq!(first["appName"], "Board");
    assert_eq!(first["environment"], "integration");
    assert_eq!(first["version"], 1);
    assert_eq!(first["latestVersion"], 3);
    assert_eq!(first["versionsBehind"], 2);
    assert_eq!(first["gains"], serde_json::json!([CAPACITY_W]));
    assert_eq!(first["loses"], serde_json::json!([JOBS_R]));
    assert_eq!(entries[1]["environment"], "production");
    let third = &entries[2];
    assert_eq!(third["version"], 2);
    assert_eq!(third["versionsBehind"], 1);
    assert_eq!(third["gains"], serde_json::json!([]));
    assert_eq!(third["loses"], serde_json::json!([JOBS_R]));

    // behindSince is the date v2 (for 1111) and v3 (for 3333) were made.
    let conn = rusqlite::Connection::open(&desk.db).unwrap();
    let made = |v: i64| -> String {
        conn.query_row(
            "SELECT created_at FROM versions WHERE version = ?1
             AND app_id = (SELECT id FROM apps WHERE name = 'Board')",
            [v],
            |r| r.get(0),
        )
        .unwrap()
    };
    assert_eq!(first["behindSince"], made(2));
    assert_eq!(third["behindSince"], made(3));

    let text = desk.ok(&["behind"]);
    let row = |tenant: &str| -> Vec<String> {
        let line = text
            .lines()
            .find(|l| l.contains(&format!(" {tenant} ")))
            .unwrap();
        line.split_whitespace().map(str::to_owned).collect()
    };
    assert_eq!(row("1111")[7], "40", "days behind, in {text}");
    assert_eq!(row("3333")[7], "10", "days behind, in {text}");
}

#[test]
fn behind_filters_by_app_and_by_tenant() {
    let desk = seeded();
    assert_eq!(
        tenants(&desk.json(&["behind", "--tenant", "3333"])),
        ["3333"]
    );
    assert_eq!(
        tenants(&desk.json(&["behind", "--app", "Alpha"])),
        Vec::<&str>::new()
    );
    assert_eq!(
        desk.json(&["behind", "--app", "Board"])
            .as_array()
            .unwrap()
            .len(),
        3
    );
    assert_eq!(
        desk.ok(&["behind", "--app", "Alpha"]),
        "No connection is behind.\n"
    );
    desk.rejects(&["behind", "--app", "Nope"], "not_found", "app");
}

#[test]
fn an_upgrade_request_shows_its_age_and_goes_stale_with_a_newer_version() {
    let desk = seeded();
    let made = desk.json(&["upgrade-request", "Board", "--tenant", "1111"]);
    assert_eq!(made.as_array().unwrap().len(), 1);
    assert_eq!(made[0]["fromVersion"], 1);
    assert_eq!(made[0]["toVersion"], 3);
    sql(
        &desk,
        &format!("UPDATE upgrade_requests SET requested_at = {}", days_ago(3)),
    );
    let line = |text: &str| {
        text.lines()
            .find(|l| l.contains(" 1111 "))
            .unwrap()
            .to_owned()
    };
    assert!(line(&desk.ok(&["behind"])).ends_with("requested 3 days ago"));
    let log = desk.json(&["log", "Board", "--limit", "1"]);
    assert_eq!(log[0]["action"], "upgrade_request");

    desk.ok(&["app", "scopes", "Board", "--add", JOBS_R]);
    assert!(line(&desk.ok(&["behind"])).ends_with("stale (asked for version 3)"));
}

#[test]
fn behind_json_carries_the_upgrade_request_the_text_shows_or_null() {
    let desk = seeded();
    desk.ok(&["upgrade-request", "Board", "--tenant", "1111"]);
    sql(
        &desk,
        &format!("UPDATE upgrade_requests SET requested_at = {}", days_ago(3)),
    );
    // The oracle for when: the stored row, read with plain SQL.
    let requested_at: String = rusqlite::Connection::open(&desk.db)
        .unwrap()
        .query_row("SELECT requested_at FROM upgrade_requests", [], |r| {
            r.get(0)
        })
        .unwrap();
    let entry = |entries: &Value, tenant: &str| -> Value {
        entries
            .as_array()
            .unwrap()
            .iter()
            .find(|e| e["tenantId"] == tenant)
            .unwrap_or_else(|| panic!("no entry for {tenant} in {entries}"))
            .clone()
    };
    let entries = desk.json(&["behind"]);
    assert_eq!(
        entry(&entries, "1111")["request"],
        serde_json::json!({"requestedAt": requested_at, "toVersion": 3, "stale": false})
    );
    assert_eq!(entry(&entries, "3333")["request"], Value::Null);
    // A newer version makes it stale, in both views.
    desk.ok(&["app", "scopes", "Board", "--add", JOBS_R]);
    let entries = desk.json(&["behind"]);
    assert_eq!(
        entry(&entries, "1111")["request"],
        serde_json::json!({"requestedAt": requested_at, "toVersion": 3, "stale": true})
    );
    let text = desk.ok(&["behind"]);
    let line = text.lines().find(|l| l.contains(" 1111 ")).unwrap();
    assert!(line.ends_with("stale (asked for version 3)"), "{text}");
}

#[test]
fn the_bulk_upgrade_request_asks_every_connection_behind_on_the_app() {
    let desk = seeded();
    let made = desk.json(&["upgrade-request", "Board", "--all"]);
    let mut asked = tenants(&made);
    asked.sort_unstable();
    assert_eq!(asked, ["1111", "2222", "3333"], "not 4444, on the latest");
    let count: i64 = rusqlite::Connection::open(&desk.db)
        .unwrap()
        .query_row("SELECT count(*) FROM upgrade_requests", [], |r| r.get(0))
        .unwrap();
    assert_eq!(count, 3);
}

#[test]
fn an_upgrade_request_for_a_tenant_on_the_latest_version_is_refused() {
    let desk = seeded();
    desk.rejects(
        &["upgrade-request", "Board", "--tenant", "4444"],
        "not_allowed",
        "tenant",
    );
    desk.rejects(
        &["upgrade-request", "Board", "--tenant", "9999"],
        "not_allowed",
        "tenant",
    );
}

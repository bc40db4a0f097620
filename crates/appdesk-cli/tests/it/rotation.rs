//! Secret lifecycle (issue 12, part 3): rotation keeps the previous secret
//! valid until it is retired, ages against the rotation policy, and no secret
//! is ever in the database's bytes, an export or the log.

use serde_json::Value;

use crate::common::{CUSTOMERS_R, Desk, is_token, text};

fn connected(desk: &Desk) -> String {
    desk.new_app("Board", &["1234"], &[CUSTOMERS_R]);
    let conn = desk.json(&["conn", "connect", "Board", "--tenant", "1234"]);
    text(&conn, "clientSecret").to_owned()
}

fn show(desk: &Desk, reveal: bool) -> Value {
    let mut args = vec!["conn", "show", "Board", "--tenant", "1234"];
    if reveal {
        args.push("--reveal");
    }
    desk.json(&args)
}

/// `(current, value)` of each listed secret.
fn secrets(view: &Value) -> Vec<(bool, Option<String>)> {
    view["secrets"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            (
                s["current"].as_bool().unwrap(),
                s["value"].as_str().map(str::to_owned),
            )
        })
        .collect()
}

#[test]
fn both_secrets_live_from_rotation_until_the_previous_is_retired() {
    let desk = Desk::new();
    let first = connected(&desk);
    assert_eq!(secrets(&show(&desk, false)), [(true, None)]);

    let rotated = desk.json(&["conn", "rotate", "Board", "--tenant", "1234"]);
    let second = text(&rotated, "clientSecret").to_owned();
    assert!(is_token(&second, "cs1.", 50));
    assert_ne!(second, first);

    let hidden = show(&desk, false);
    assert_eq!(
        secrets(&hidden),
        [(true, None), (false, None)],
        "ages, no values"
    );
    assert!(hidden.get("clientSecret").is_none());
    assert_eq!(hidden["secrets"][0]["ageDays"], 0);
    assert!(hidden["secrets"][1]["createdAt"].is_string());
    let revealed = show(&desk, true);
    assert_eq!(
        secrets(&revealed),
        [(true, Some(second.clone())), (false, Some(first.clone()))]
    );

    desk.rejects(
        &["conn", "rotate", "Board", "--tenant", "1234"],
        "conflict",
        "tenant",
    );

    desk.ok(&["conn", "retire-previous", "Board", "--tenant", "1234"]);
    assert_eq!(secrets(&show(&desk, true)), [(true, Some(second))]);
    desk.rejects(
        &["conn", "retire-previous", "Board", "--tenant", "1234"],
        "not_allowed",
        "tenant",
    );
    let log = desk.json(&["log", "Board", "--limit", "2"]);
    assert_eq!(log[0]["action"], "retire_previous");
    assert_eq!(log[1]["action"], "rotate");
}

#[test]
fn regenerate_still_ends_the_old_secrets_at_once() {
    let desk = Desk::new();
    connected(&desk);
    desk.ok(&["conn", "rotate", "Board", "--tenant", "1234"]);
    let fresh = desk.json(&["conn", "regenerate", "Board", "--tenant", "1234"]);
    let fresh = text(&fresh, "clientSecret").to_owned();
    assert_eq!(secrets(&show(&desk, true)), [(true, Some(fresh))]);
}

#[test]
fn no_secret_is_ever_in_the_database_bytes_an_export_or_the_log() {
    let desk = Desk::new();
    let first = connected(&desk);
    let rotated = desk.json(&["conn", "rotate", "Board", "--tenant", "1234"]);
    let second = text(&rotated, "clientSecret").to_owned();
    let mut everything = Vec::new();
    for entry in std::fs::read_dir(desk.dir.path()).unwrap() {
        everything.extend(std::fs::read(entry.unwrap().path()).unwrap());
    }
    everything.extend(desk.ok(&["export", "--all", "--history"]).into_bytes());
    everything.extend(desk.ok(&["log", "--limit", "1000"]).into_bytes());
    everything.extend(desk.ok(&["conn", "list", "Board"]).into_bytes());
    everything.extend(desk.ok(&["behind", "--secrets"]).into_bytes());
    let all = String::from_utf8_lossy(&everything);
    for secret in [&first, &second] {
        assert!(!all.contains(secret.as_str()), "a secret leaked");
        // Nor its random part alone, in case a prefix were stripped.
        assert!(!all.contains(&secret[4..]), "a secret's body leaked");
    }
}

#[test]
fn secrets_older_than_the_policy_are_marked_stale_and_listed() {
    let desk = Desk::new();
    connected(&desk);
    assert_eq!(desk.json(&["policy"])["rotateSecretsAfterDays"], 180);
    rusqlite::Connection::open(&desk.db)
        .unwrap()
        .execute_batch(
            "UPDATE connections SET secret_created_at =
                 strftime('%Y-%m-%dT%H:%M:%fZ', 'now', '-40 days')",
        )
        .unwrap();
    let view = show(&desk, false);
    assert_eq!(view["secrets"][0]["ageDays"], 40);
    assert_eq!(view["secrets"][0]["stale"], false, "40 days is within 180");
    assert_eq!(desk.json(&["behind", "--secrets"]), serde_json::json!([]));

    assert_eq!(
        desk.json(&["policy", "--rotate-secrets-after", "30"])["rotateSecretsAfterDays"],
        30
    );
    assert_eq!(show(&desk, false)["secrets"][0]["stale"], true);
    let stale = desk.json(&["behind", "--secrets"]);
    assert_eq!(stale.as_array().unwrap().len(), 1);
    assert_eq!(stale[0]["tenantId"], "1234");
    assert_eq!(stale[0]["ageDays"], 40);
    assert_eq!(stale[0]["current"], true);
    assert!(desk.ok(&["conn", "list", "Board"]).contains("40d stale"));

    // Rotating makes a fresh current secret; the old one, now previous, stays stale.
    desk.ok(&["conn", "rotate", "Board", "--tenant", "1234"]);
    let stale = desk.json(&["behind", "--secrets"]);
    assert_eq!(stale.as_array().unwrap().len(), 1);
    assert_eq!(stale[0]["current"], false);
    desk.rejects(
        &["policy", "--rotate-secrets-after", "0"],
        "invalid",
        "rotateSecretsAfterDays",
    );
}

//! `conn …` (R8): connecting listed tenants, the secret shown only where it must
//! be, upgrades that keep the credentials, disable/enable, and regeneration.

use crate::common::{CAPACITY_W, CUSTOMERS_R, Desk, JOBS_R, is_token, strings, text};
use serde_json::Value;

/// An app with tenants 1234 and 5678, connected as tenant 1234 in integration;
/// returns the app id and the connection.
fn connected(desk: &Desk) -> (String, Value) {
    let app = desk.new_app("Board", &["1234", "5678"], &[CUSTOMERS_R, JOBS_R]);
    let id = text(&app, "id").to_owned();
    let conn = desk.json(&["conn", "connect", &id, "--tenant", "1234"]);
    (id, conn)
}

/// Every file in the test's temp dir (database, WAL, key file), as bytes.
fn files(desk: &Desk) -> Vec<u8> {
    let mut all = Vec::new();
    for entry in std::fs::read_dir(desk.dir.path()).unwrap() {
        all.extend(std::fs::read(entry.unwrap().path()).unwrap());
    }
    all
}

#[test]
fn connect_gives_a_client_id_and_secret_at_the_latest_version() {
    let desk = Desk::new();
    let (_, conn) = connected(&desk);
    assert_eq!(conn["tenantId"], "1234");
    assert_eq!(
        conn["environment"], "integration",
        "the default environment"
    );
    assert_eq!(conn["status"], "active");
    assert_eq!(conn["version"], 1);
    assert_eq!(conn["upgradeAvailable"], false);
    assert_eq!(strings(&conn, "scopesInPlay"), [CUSTOMERS_R, JOBS_R]);
    assert!(is_token(text(&conn, "clientId"), "cid.", 25), "{conn}");
    assert!(is_token(text(&conn, "clientSecret"), "cs1.", 50), "{conn}");

    let prod = desk.json(&[
        "conn",
        "connect",
        "Board",
        "--tenant",
        "1234",
        "--env",
        "production",
    ]);
    assert_eq!(prod["environment"], "production");
    assert_ne!(
        prod["clientId"], conn["clientId"],
        "per tenant and environment"
    );
    assert_ne!(prod["clientSecret"], conn["clientSecret"]);
}

#[test]
fn connect_in_text_prints_the_client_id_and_secret() {
    let desk = Desk::new();
    desk.new_app("Board", &["1234"], &[CUSTOMERS_R]);
    let out = desk.ok(&[
        "conn",
        "connect",
        "Board",
        "--tenant",
        "1234",
        "--env",
        "production",
    ]);
    assert!(
        out.starts_with("Tenant 1234 connected in production at version 1\n"),
        "{out}"
    );
    let id_line = out
        .lines()
        .find(|l| l.trim_start().starts_with("client ID"))
        .unwrap();
    assert!(
        is_token(id_line.split_whitespace().last().unwrap(), "cid.", 25),
        "{out}"
    );
    let secret_line = out
        .lines()
        .find(|l| l.trim_start().starts_with("client secret"))
        .unwrap();
    assert!(
        is_token(secret_line.split_whitespace().last().unwrap(), "cs1.", 50),
        "{out}"
    );
}

#[test]
fn the_secret_is_shown_only_on_connect_regenerate_and_reveal() {
    let desk = Desk::new();
    let (id, conn) = connected(&desk);
    let secret = text(&conn, "clientSecret");

    for args in [
        vec!["conn", "list", &id],
        vec!["--json", "conn", "list", &id],
        vec!["conn", "show", &id, "--tenant", "1234"],
        vec!["--json", "conn", "show", &id, "--tenant", "1234"],
        vec!["--json", "conn", "disable", &id, "--tenant", "1234"],
        vec!["conn", "enable", &id, "--tenant", "1234"],
        vec!["--json", "conn", "upgrade", &id, "--tenant", "1234"],
        vec!["app", "show", &id],
        vec!["--json", "log"],
        vec!["log"],
    ] {
        let out = desk.ok(&args);
        assert!(!out.contains(secret), "{args:?} printed the secret");
        assert!(!out.contains("cs1."), "{args:?} printed a secret");
    }
    let listed = desk.json(&["conn", "list", &id]);
    assert!(listed[0].get("clientSecret").is_none());
    assert!(
        !files(&desk)
            .windows(secret.len())
            .any(|w| w == secret.as_bytes()),
        "stored in plaintext"
    );

    let revealed = desk.json(&["conn", "show", &id, "--tenant", "1234", "--reveal"]);
    assert_eq!(revealed["clientSecret"], secret);
    let out = desk.ok(&["conn", "show", &id, "--tenant", "1234", "--reveal"]);
    assert!(
        out.contains(&format!("client secret   {secret}\n")),
        "{out}"
    );
}

#[test]
fn regenerate_replaces_the_secret_and_keeps_the_client_id() {
    let desk = Desk::new();
    let (id, conn) = connected(&desk);
    let regenerated = desk.json(&["conn", "regenerate", &id, "--tenant", "1234"]);
    assert_eq!(regenerated["changed"], true);
    assert_eq!(regenerated["clientId"], conn["clientId"]);
    assert!(is_token(text(&regenerated, "clientSecret"), "cs1.", 50));
    assert_ne!(regenerated["clientSecret"], conn["clientSecret"]);
    let revealed = desk.json(&["conn", "show", &id, "--tenant", "1234", "--reveal"]);
    assert_eq!(
        revealed["clientSecret"], regenerated["clientSecret"],
        "the old one is gone"
    );
    let out = desk.ok(&["conn", "regenerate", &id, "--tenant", "1234"]);
    assert!(
        out.starts_with("New client secret for tenant 1234 in integration"),
        "{out}"
    );
    assert!(out.contains("client secret   cs1."), "{out}");
    assert_eq!(desk.json(&["log", &id])[0]["action"], "regenerate");
}

#[test]
fn upgrade_moves_to_the_latest_version_keeping_the_credentials() {
    let desk = Desk::new();
    let (id, conn) = connected(&desk);
    desk.json(&[
        "app", "scopes", &id, "--add", CAPACITY_W, "--remove", JOBS_R,
    ]);

    let listed = desk.json(&["conn", "list", &id]);
    assert_eq!(listed[0]["upgradeAvailable"], true);
    assert_eq!(strings(&listed[0], "pendingAdded"), [CAPACITY_W]);
    assert_eq!(strings(&listed[0], "pendingRemoved"), [JOBS_R]);
    let table = desk.ok(&["conn", "list", &id]);
    assert!(
        table.contains("1 of 2") && table.contains("available (+1 -1)"),
        "{table}"
    );
    let shown = desk.ok(&["conn", "show", &id, "--tenant", "1234"]);
    assert!(
        shown.contains("version 1 of 2, upgrade available"),
        "{shown}"
    );
    assert!(
        shown.contains(&format!("upgrade adds    {CAPACITY_W}")),
        "{shown}"
    );

    let upgraded = desk.json(&["conn", "upgrade", &id, "--tenant", "1234"]);
    assert_eq!(upgraded["changed"], true);
    assert_eq!(upgraded["version"], 2);
    assert_eq!(upgraded["upgradeAvailable"], false);
    assert_eq!(
        strings(&upgraded, "scopesInPlay"),
        [CUSTOMERS_R, CAPACITY_W]
    );
    assert_eq!(upgraded["clientId"], conn["clientId"]);
    assert!(
        upgraded.get("clientSecret").is_none(),
        "an upgrade shows no secret"
    );
    let revealed = desk.json(&["conn", "show", &id, "--tenant", "1234", "--reveal"]);
    assert_eq!(
        revealed["clientSecret"], conn["clientSecret"],
        "the secret stays"
    );

    let again = desk.json(&["conn", "upgrade", &id, "--tenant", "1234"]);
    assert_eq!(again["changed"], false);
    let out = desk.ok(&["conn", "upgrade", &id, "--tenant", "1234"]);
    assert!(out.starts_with("Tenant 1234 in integration is already on the latest version (2)"));
}

#[test]
fn disable_and_enable() {
    let desk = Desk::new();
    let (id, _) = connected(&desk);
    let disabled = desk.json(&["conn", "disable", &id, "--tenant", "1234"]);
    assert_eq!(
        (disabled["status"].clone(), disabled["changed"].clone()),
        ("disabled".into(), true.into())
    );
    let again = desk.json(&["conn", "disable", &id, "--tenant", "1234"]);
    assert_eq!(again["changed"], false);
    assert!(desk.ok(&["conn", "list", &id]).contains("1 disabled"));
    let out = desk.ok(&["conn", "enable", &id, "--tenant", "1234"]);
    assert!(
        out.starts_with("Tenant 1234's connection in integration is now active."),
        "{out}"
    );
    assert_eq!(
        desk.json(&["conn", "show", &id, "--tenant", "1234"])["status"],
        "active"
    );
    let actions: Vec<String> = desk
        .json(&["log", &id])
        .as_array()
        .unwrap()
        .iter()
        .take(2)
        .map(|e| text(e, "action").to_owned())
        .collect();
    assert_eq!(actions, ["enable", "disable"], "a no-op is not recorded");
}

#[test]
fn only_a_listed_tenant_connects_and_only_once_per_environment() {
    let desk = Desk::new();
    let (id, _) = connected(&desk);
    let error = desk.rejects(
        &["conn", "connect", &id, "--tenant", "999"],
        "not_allowed",
        "tenant",
    );
    assert!(
        text(&error, "message").contains("not in \"Board\"'s tenant list"),
        "{error}"
    );
    let error = desk.rejects(
        &["conn", "connect", &id, "--tenant", "1234"],
        "conflict",
        "tenant",
    );
    assert!(
        text(&error, "message").contains("already connected"),
        "{error}"
    );
    desk.rejects(
        &["conn", "connect", &id, "--tenant", "12ab"],
        "invalid",
        "tenant",
    );
    desk.rejects(
        &["conn", "connect", "nope", "--tenant", "1234"],
        "not_found",
        "app",
    );
}

#[test]
fn actions_on_a_missing_connection_are_refused() {
    let desk = Desk::new();
    let (id, _) = connected(&desk);
    for action in ["show", "upgrade", "disable", "enable", "regenerate"] {
        let error = desk.rejects(
            &["conn", action, &id, "--tenant", "5678"],
            "not_allowed",
            "tenant",
        );
        assert!(
            text(&error, "message").contains("has no connection in integration"),
            "{error}"
        );
        desk.rejects(
            &[
                "conn",
                action,
                &id,
                "--tenant",
                "1234",
                "--env",
                "production",
            ],
            "not_allowed",
            "tenant",
        );
        desk.rejects(
            &["conn", action, "nope", "--tenant", "1234"],
            "not_found",
            "app",
        );
    }
}

#[test]
fn an_app_without_connections_lists_none() {
    let desk = Desk::new();
    desk.new_app("Board", &["1234"], &[CUSTOMERS_R]);
    assert_eq!(desk.json(&["conn", "list", "Board"]), Value::Array(vec![]));
    assert!(
        desk.ok(&["conn", "list", "Board"])
            .starts_with("No connections yet")
    );
}

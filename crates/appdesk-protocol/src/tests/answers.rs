use appdesk_core::{ConnectionStatus, Environment};

use super::round_trip;
use crate::{Action, AppList, Connection, Deleted, HistoryEntry, VersionRecord};

#[test]
fn a_listing_reads_its_apps_and_the_cursor_it_is_current_at() {
    let list: AppList = round_trip(
        r#"{"items": [{"id": "a1", "name": "Payroll", "organization": "Acme",
            "homepageUrl": "https://acme.test/", "audience": "private",
            "credentials": "tenant", "status": "created", "appKey": "ak1.x",
            "version": 1, "scopes": [], "tenants": [], "revision": 1,
            "createdAt": "t0", "updatedAt": "t0"}], "cursor": "1.700.0"}"#,
    );
    assert_eq!(list.items[0].app_key.as_deref(), Some("ak1.x"));
    assert_eq!(list.cursor, "1.700.0");
}

/// A create's answer names the proposals the portal did not keep.
#[test]
fn a_created_app_carries_its_notices() {
    let app: crate::App = round_trip(
        r#"{"id": "a1", "name": "Payroll", "organization": "Acme",
            "homepageUrl": "https://acme.test/", "audience": "private",
            "credentials": "tenant", "status": "created", "appKey": "ak1.y",
            "version": 1, "scopes": [], "tenants": [], "revision": 1,
            "createdAt": "t0", "updatedAt": "t0",
            "notices": [{"field": "appKey", "message": "is taken; a new one was issued"}]}"#,
    );
    assert_eq!(app.notices[0].field, "appKey");
}

#[test]
fn a_history_entry_reads_its_diff_and_keeps_as_a_version_record() {
    let entry: HistoryEntry = round_trip(
        r#"{"version": 2, "scopes": ["a.b:w"], "added": ["a.b:w"], "removed": ["a.b:r"],
            "createdAt": "t2", "createdBy": "bob"}"#,
    );
    assert_eq!(
        (entry.added.clone(), entry.removed.clone()),
        (vec!["a.b:w".to_owned()], vec!["a.b:r".to_owned()])
    );
    assert_eq!(
        VersionRecord::from(entry),
        VersionRecord {
            version: 2,
            scopes: vec!["a.b:w".into()],
            created_at: "t2".into(),
            created_by: "bob".into()
        }
    );
}

#[test]
fn a_delete_answers_the_retired_key_and_the_connections_ended() {
    let deleted: Deleted =
        round_trip(r#"{"appId": "a1", "appKey": "ak1.x", "revision": 4, "connectionsEnded": 2}"#);
    assert_eq!((deleted.revision, deleted.connections_ended), (4, 2));
}

/// The secret is in a connect's answer only, and never in the Debug form
/// that a log line could print.
#[test]
fn a_connect_answer_carries_the_secret_once_and_debug_never_shows_it() {
    let c: Connection = round_trip(
        r#"{"tenantId": "9", "environment": "integration", "status": "disabled",
            "version": 1, "latestVersion": 1, "behindBy": 0, "upgradeAvailable": false,
            "scopesInPlay": ["x.y:r"], "pendingAdded": [], "pendingRemoved": [],
            "clientId": "cid.x", "connectedAt": "t", "secretCreatedAt": "t",
            "hasPreviousSecret": false, "clientSecret": "s3cr3t-value"}"#,
    );
    assert_eq!(
        (c.environment, c.status),
        (Environment::Integration, ConnectionStatus::Disabled)
    );
    assert_eq!(c.client_secret.as_deref(), Some("s3cr3t-value"));
    assert!(!format!("{c:?}").contains("s3cr3t"), "{c:?}");
    let pulled = c.into_pulled();
    assert_eq!(pulled.client_id, "cid.x");
}

/// During a rotation the previous secret's time is listed, never its value;
/// an answer of a portal from before rotation reads as one live secret.
#[test]
fn a_rotation_lists_the_previous_secrets_time_and_an_older_answer_has_none() {
    let rotating: Connection = round_trip(
        r#"{"tenantId": "9", "environment": "production", "status": "active",
            "version": 1, "latestVersion": 1, "behindBy": 0, "upgradeAvailable": false,
            "scopesInPlay": [], "pendingAdded": [], "pendingRemoved": [],
            "clientId": "cid.x", "connectedAt": "t0", "secretCreatedAt": "t2",
            "hasPreviousSecret": true, "previousSecretCreatedAt": "t1"}"#,
    );
    assert!(rotating.has_previous_secret);
    assert_eq!(rotating.previous_secret_created_at.as_deref(), Some("t1"));
    let older: Connection = serde_json::from_str(
        r#"{"tenantId": "9", "environment": "production", "status": "active",
            "version": 1, "latestVersion": 1, "behindBy": 0, "upgradeAvailable": false,
            "scopesInPlay": [], "clientId": "cid.x", "connectedAt": "t0"}"#,
    )
    .unwrap();
    assert!(!older.has_previous_secret);
    assert_eq!(older.previous_secret_created_at, None);
}

#[test]
fn the_actions_are_named_as_the_routes_name_them_and_connect_is_not_one_of_them() {
    for (action, text) in [
        (Action::Upgrade, "upgrade"),
        (Action::Disable, "disable"),
        (Action::Enable, "enable"),
        (Action::Regenerate, "regenerate"),
        (Action::Rotate, "rotate"),
        (Action::RetirePrevious, "retire-previous"),
    ] {
        assert_eq!(action.as_str(), text);
        assert_eq!(Action::from_segment(text), Some(action));
        assert_eq!(serde_json::to_value(action).unwrap(), text);
        assert_eq!(
            serde_json::from_value::<Action>(text.into()).unwrap(),
            action
        );
    }
    assert!(serde_json::from_str::<Action>("\"connect\"").is_err());
    for not_one in ["connect", "retireprevious", "retire_previous", "Rotate", ""] {
        assert_eq!(Action::from_segment(not_one), None, "{not_one:?}");
    }
    assert_eq!(
        Action::segments(),
        "upgrade, disable, enable, regenerate, rotate, retire-previous"
    );
}

/// `GET /v1/me` answers exactly the contract's two shapes (CONTRACT.md).
#[test]
fn me_is_a_member_or_a_tenant_admin_tagged_by_kind() {
    let member = crate::Me::Member {
        user: "ann".into(),
        workspace: "vendor".into(),
        role: "viewer".into(),
    };
    assert_eq!(
        serde_json::to_string(&member).unwrap(),
        r#"{"kind":"member","user":"ann","workspace":"vendor","role":"viewer"}"#
    );
    let admin = crate::Me::TenantAdmin {
        user: "bea".into(),
        tenants: vec!["2222222".into(), "3333333".into()],
    };
    assert_eq!(
        serde_json::to_string(&admin).unwrap(),
        r#"{"kind":"tenantAdmin","user":"bea","tenants":["2222222","3333333"]}"#
    );
    let read: crate::Me = round_trip(r#"{"kind":"tenantAdmin","user":"bea","tenants":["1"]}"#);
    assert!(matches!(read, crate::Me::TenantAdmin { .. }));
}

/// The sign-in body refuses an unknown field, as every request body does.
#[test]
fn a_sign_in_body_with_an_unknown_field_is_refused() {
    let ok: crate::SignIn = serde_json::from_str(r#"{"token":"adp_x"}"#).unwrap();
    assert_eq!(ok.token, "adp_x");
    assert!(serde_json::from_str::<crate::SignIn>(r#"{"token":"a","tokn":"b"}"#).is_err());
}

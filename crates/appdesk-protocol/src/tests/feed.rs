use appdesk_core::{AppStatus, Audience, ConnectionStatus, Credentials, Environment};

use super::round_trip;
use crate::{Change, ChangesPage, ConnectionEnd, ConnectionState, Ended, Tenant, Tombstone};

/// An `app` entry as `persist::publish` writes it: the app's snapshot, its
/// `type` and `appId`, and the versions the change made.
const APP_ENTRY: &str = r#"{
    "type": "app", "appId": "0190f1c2-1111-7000-8000-000000000001",
    "id": "0190f1c2-1111-7000-8000-000000000001", "name": "Payroll",
    "organization": "Acme", "homepageUrl": "https://acme.test/",
    "audience": "private", "credentials": "tenant", "status": "created",
    "appKey": "ak1.aaaaaaaaaaaaaaaaaaaaaaaaa", "version": 2,
    "scopes": ["tn.crm.customers:r", "tn.jpm.jobs:r"],
    "tenants": [{"id": "10", "note": "n"}, {"id": "9", "note": ""}],
    "revision": 5, "createdAt": "2026-11-30T00:00:00Z", "updatedAt": "2026-11-30T01:00:00Z",
    "versions": [{"version": 2, "scopes": ["tn.crm.customers:r", "tn.jpm.jobs:r"],
                  "createdAt": "2026-11-30T01:00:00Z", "createdBy": "ann"}]
}"#;

const CONNECTION_ENTRY: &str = r#"{
    "type": "connection", "appId": "a1", "tenantId": "9", "environment": "production",
    "status": "active", "version": 1, "latestVersion": 2, "behindBy": 1, "upgradeAvailable": true,
    "scopesInPlay": ["x.y:r", "x.y:w"], "pendingAdded": ["x.z:w"],
    "pendingRemoved": ["x.y:w"], "clientId": "cid.x", "connectedAt": "t2",
    "secretCreatedAt": "t2", "hasPreviousSecret": false
}"#;

const DELETED_ENTRY: &str = r#"{"type": "deleted", "appId": "a1", "appKey": "ak1.bbbbbbbbbbbbbbbbbbbbbbbbb", "revision": 9}"#;

#[test]
fn an_app_entry_reads_as_the_app_with_the_versions_it_made() {
    let Change::App(entry) = round_trip::<Change>(APP_ENTRY) else {
        panic!("not an app entry")
    };
    assert_eq!(entry.app_id, "0190f1c2-1111-7000-8000-000000000001");
    let app = &entry.app;
    assert_eq!(app.id, entry.app_id);
    assert_eq!(
        (app.audience, app.credentials, app.status),
        (Audience::Private, Credentials::Tenant, AppStatus::Created)
    );
    assert_eq!(
        app.app_key.as_deref(),
        Some("ak1.aaaaaaaaaaaaaaaaaaaaaaaaa")
    );
    assert_eq!((app.version, app.revision), (Some(2), 5));
    assert_eq!(
        app.tenants[0],
        Tenant {
            id: "10".into(),
            note: "n".into()
        }
    );
    assert_eq!(app.versions.len(), 1);
    assert_eq!(
        (app.versions[0].version, app.versions[0].created_by.as_str()),
        (2, "ann")
    );
    assert!(app.notices.is_empty());
}

#[test]
fn a_connection_entry_reads_as_the_connection_without_a_secret() {
    let change = round_trip::<Change>(CONNECTION_ENTRY);
    assert_eq!(change.app_id(), "a1");
    let Change::Connection(entry) = change else {
        panic!("not a connection entry")
    };
    let ConnectionState::Live(c) = &entry.state else {
        panic!("not a live connection")
    };
    assert_eq!(
        (c.environment, c.status),
        (Environment::Production, ConnectionStatus::Active)
    );
    assert_eq!((c.version, c.latest_version), (1, 2));
    assert!(c.upgrade_available);
    assert_eq!(c.pending_added, ["x.z:w"]);
    assert_eq!(c.client_secret, None);
}

#[test]
fn a_deleted_entry_reads_as_a_tombstone() {
    let change = round_trip::<Change>(DELETED_ENTRY);
    assert_eq!(
        change,
        Change::Deleted(Tombstone {
            app_id: "a1".into(),
            app_key: "ak1.bbbbbbbbbbbbbbbbbbbbbbbbb".into(),
            revision: 9,
            mutation_id: None
        })
    );
}

#[test]
fn a_page_reads_each_entry_by_its_type_in_order() {
    let text = format!(
        r#"{{"changes": [{APP_ENTRY}, {CONNECTION_ENTRY}, {DELETED_ENTRY}], "next": "1.2.3"}}"#
    );
    let page: ChangesPage = round_trip(&text);
    let kinds: Vec<&str> = page
        .changes
        .iter()
        .map(|c| match c {
            Change::App(_) => "app",
            Change::Connection(_) => "connection",
            Change::Deleted(_) => "deleted",
        })
        .collect();
    assert_eq!(kinds, ["app", "connection", "deleted"]);
    let named: Vec<&str> = page.changes.iter().map(Change::kind).collect();
    assert_eq!(named, kinds, "kind() names the wire's type");
    assert_eq!(page.next, "1.2.3");
    let empty: ChangesPage = round_trip(r#"{"changes": [], "next": "0.0.0"}"#);
    assert!(empty.changes.is_empty());
}

/// A newer portal may add fields: they are ignored. A kind this build does
/// not know, or an entry without what its kind needs, is an error.
#[test]
fn unknown_fields_are_ignored_but_an_unknown_kind_or_a_missing_field_is_refused() {
    let extra = DELETED_ENTRY.replace("\"revision\"", "\"by\": \"ann\", \"revision\"");
    assert!(matches!(
        serde_json::from_str::<Change>(&extra).unwrap(),
        Change::Deleted(_)
    ));
    // A bare tombstone (the fault proxy's made-up feed sends these) reads.
    let bare = serde_json::from_str::<Change>(r#"{"type": "deleted", "appId": "a1"}"#).unwrap();
    assert_eq!(bare.app_id(), "a1");
    for bad in [
        DELETED_ENTRY.replace("\"deleted\"", "\"renamed\""),
        DELETED_ENTRY.replace("\"type\": \"deleted\", ", ""),
        DELETED_ENTRY.replace("\"appId\": \"a1\", ", ""),
        APP_ENTRY.replace("\"revision\": 5,", ""),
        APP_ENTRY.replace("\"private\"", "\"secret\""),
        CONNECTION_ENTRY.replace("\"production\"", "\"staging\""),
    ] {
        assert!(serde_json::from_str::<Change>(&bad).is_err(), "{bad}");
    }
}

/// The end of a connection, as the portal writes it when a tenant leaves the
/// app or the app is deleted (`views::ended_connection`), and the requester's
/// own mutation number on an entry it wrote.
#[test]
fn an_ended_connection_and_a_mutation_id_read_as_such() {
    let change = round_trip::<Change>(
        r#"{"type": "connection", "appId": "a1", "tenantId": "9",
            "environment": "production", "clientId": "cid.x", "status": "ended",
            "endedAt": "2026-12-07T10:00:00Z"}"#,
    );
    let Change::Connection(entry) = change else {
        panic!("not a connection entry")
    };
    assert_eq!(
        entry.state,
        ConnectionState::Ended(ConnectionEnd {
            tenant_id: "9".into(),
            environment: appdesk_core::Environment::Production,
            client_id: "cid.x".into(),
            status: Ended::Ended,
            ended_at: "2026-12-07T10:00:00Z".into(),
        })
    );
    let mine = APP_ENTRY.replace("\"revision\": 5,", "\"revision\": 5, \"mutationId\": 12,");
    let Change::App(entry) = round_trip::<Change>(&mine) else {
        panic!("not an app entry")
    };
    assert_eq!(entry.app.mutation_id, Some(12));
    let deleted = DELETED_ENTRY.replace("\"revision\": 9", "\"revision\": 9, \"mutationId\": 3");
    let Change::Deleted(tombstone) = round_trip::<Change>(&deleted) else {
        panic!("not a deleted entry")
    };
    assert_eq!(tombstone.mutation_id, Some(3));
    // A live status on an end's shape, or "ended" on a snapshot, is neither.
    let half = CONNECTION_ENTRY.replace("\"active\"", "\"ended\"");
    assert!(serde_json::from_str::<Change>(&half).is_err(), "{half}");
}

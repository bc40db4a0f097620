//! Views built from loaded state, checked against hand-written expectations.

use std::collections::HashMap;

use appdesk_core::decide::{AppFields, AppState, ConnectionState};
use appdesk_core::{Audience, ConnectionStatus, Credentials, Environment, ScopeSet, TenantEntry};

use super::{Loaded, SecretTimes, Unpublished, views};

pub(crate) fn loaded() -> Loaded {
    Loaded {
        state: AppState {
            id: "a1".into(),
            fields: AppFields {
                name: "Demo".into(),
                organization: "Acme".into(),
                homepage_url: "https://acme.test".into(),
                audience: Audience::Private,
                credentials: Credentials::Tenant,
            },
            app_key: "ak1.aaaaaaaaaaaaaaaaaaaaaaaaa".into(),
            version: 2,
            scopes: ScopeSet::from_stored(&["x.y:r", "x.z:w"]),
            tenants: vec![TenantEntry::new("9", ""), TenantEntry::new("10", "n")],
            revision: 5,
            connections: vec![ConnectionState {
                id: "c1".into(),
                tenant_id: "9".into(),
                environment: Environment::Production,
                version: 1,
                status: ConnectionStatus::Active,
                client_id: "cid.x".into(),
            }],
        },
        created_at: "t0".into(),
        updated_at: "t1".into(),
        connected_at: HashMap::from([("c1".into(), "t2".into())]),
        secret_times: HashMap::from([(
            "c1".into(),
            SecretTimes {
                current: "t3".into(),
                previous: None,
            },
        )]),
        version_scopes: HashMap::from([
            (1, vec!["x.y:r".into(), "x.y:w".into()]),
            (2, vec!["x.y:r".into(), "x.z:w".into()]),
        ]),
        unpublished: Unpublished::default(),
    }
}

#[test]
fn a_connection_behind_shows_what_an_upgrade_would_add_and_remove() {
    let l = loaded();
    let view = views::connection(&l, &l.state.connections[0], None);
    assert!(view.upgrade_available);
    assert_eq!((view.version, view.latest_version), (1, 2));
    assert_eq!(view.scopes_in_play, ["x.y:r", "x.y:w"]);
    assert_eq!(view.pending_added, ["x.z:w"]);
    assert_eq!(view.pending_removed, ["x.y:w"]);
    assert_eq!(view.connected_at, "t2");
    assert_eq!(view.client_secret, None);
}

#[test]
fn a_rotating_connection_lists_both_secrets_times_and_never_a_value() {
    let mut l = loaded();
    let view = views::connection(&l, &l.state.connections[0], None);
    assert_eq!(view.secret_created_at, "t3");
    assert!(!view.has_previous_secret);
    assert_eq!(view.previous_secret_created_at, None);
    l.secret_times.insert(
        "c1".into(),
        SecretTimes {
            current: "t4".into(),
            previous: Some("t3".into()),
        },
    );
    let view = views::connection(&l, &l.state.connections[0], None);
    assert!(view.has_previous_secret);
    assert_eq!(
        (
            view.secret_created_at.as_str(),
            view.previous_secret_created_at.as_deref()
        ),
        ("t4", Some("t3"))
    );
    assert_eq!(view.client_secret, None);
    assert!(l.has_previous_secret("9", Environment::Production));
    assert!(!l.has_previous_secret("9", Environment::Integration));
    assert!(!l.has_previous_secret("10", Environment::Production));
}

#[test]
fn the_app_view_sorts_tenants_by_id_and_carries_the_revision() {
    let app = views::app(&loaded());
    let ids: Vec<&str> = app.tenants.iter().map(|t| t.id.as_str()).collect();
    assert_eq!(
        ids,
        ["10", "9"],
        "sorted as text, as the desktop store sorts them"
    );
    assert_eq!((app.revision, app.version), (5, Some(2)));
    assert_eq!(app.scopes, ["x.y:r", "x.z:w"]);
}

#[test]
fn history_diffs_each_version_against_the_one_before() {
    let history = views::history(vec![
        (1, vec!["a.b:r".into()], "t1".into(), "ann".into()),
        (2, vec!["a.b:w".into()], "t2".into(), "bob".into()),
    ]);
    assert_eq!(history[0].added, ["a.b:r"]);
    assert!(history[0].removed.is_empty());
    assert_eq!(
        (history[1].added.clone(), history[1].removed.clone()),
        (vec!["a.b:w".to_owned()], vec!["a.b:r".to_owned()])
    );
    assert_eq!(history[1].created_by, "bob");
}

#[test]
fn a_feed_entry_is_the_snapshot_with_its_type_and_app_id() {
    let entry = appdesk_protocol::Change::app(views::app(&loaded()));
    let entry = serde_json::to_value(entry).unwrap();
    assert_eq!(entry["type"], "app");
    assert_eq!(entry["appId"], "a1");
    assert_eq!(entry["appKey"], "ak1.aaaaaaaaaaaaaaaaaaaaaaaaa");
}

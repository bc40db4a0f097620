//! Nothing is lost between the local store and the outbox: after any sequence
//! of changes in a linked database, replaying the queued intents in order on
//! a model (written here: sets and maps) rebuilds the app exactly as the store
//! shows it. This is what a push will send the portal.

use std::collections::{BTreeMap, BTreeSet};

use appdesk_core::decide::TenantAdd;
use appdesk_core::sync::{Intent, Snapshot};
use appdesk_core::{AppEdit, Audience, Store};
use proptest::prelude::*;
use rusqlite::Connection;

use crate::common::{TestDb, input};

#[derive(Debug, Clone)]
enum Op {
    Rename(String),
    Audience(bool),
    Scopes(Vec<String>, Vec<String>),
    AddTenant(String, Option<String>),
    RemoveTenant(String),
    Delete,
}

const SCOPES: [&str; 5] = [
    "tn.crm.customers:r",
    "tn.crm.customers:w",
    "tn.jpm.jobs:r",
    "tn.jpm.jobs:w",
    "tn.dis.capacity:w",
];

fn op() -> impl Strategy<Value = Op> {
    let scope = prop::sample::select(SCOPES.to_vec()).prop_map(str::to_owned);
    let tenant =
        prop::sample::select(vec!["1234", "9876543210123", "5555"]).prop_map(str::to_owned);
    prop_oneof![
        4 => prop::sample::select(vec!["Board", "Field Pro", "Dispatch"]).prop_map(|n| Op::Rename(n.to_owned())),
        2 => any::<bool>().prop_map(Op::Audience),
        6 => (prop::collection::vec(scope.clone(), 0..3), prop::collection::vec(scope, 0..2))
            .prop_map(|(a, r)| Op::Scopes(a, r)),
        4 => (tenant.clone(), prop::option::of(prop::sample::select(vec!["", "HQ", "new"]).prop_map(str::to_owned)))
            .prop_map(|(t, n)| Op::AddTenant(t, n)),
        3 => tenant.prop_map(Op::RemoveTenant),
        1 => Just(Op::Delete),
    ]
}

fn run(store: &Store, id: &str, op: &Op) {
    // A refused request is fine: it must queue nothing, which the replay checks.
    let _ = match op {
        Op::Rename(name) => store
            .edit_app(
                id,
                &AppEdit {
                    name: Some(name.clone()),
                    ..AppEdit::default()
                },
            )
            .map(drop),
        Op::Audience(public) => {
            let audience = if *public {
                Audience::Public
            } else {
                Audience::Private
            };
            store
                .edit_app(
                    id,
                    &AppEdit {
                        audience: Some(audience),
                        ..AppEdit::default()
                    },
                )
                .map(drop)
        }
        Op::Scopes(add, remove) => store.change_scopes(id, add, remove).map(drop),
        Op::AddTenant(t, note) => store
            .change_tenants(
                id,
                &[TenantAdd {
                    id: t.clone(),
                    note: note.clone(),
                }],
                &[],
            )
            .map(drop),
        Op::RemoveTenant(t) => store
            .change_tenants(id, &[], std::slice::from_ref(t))
            .map(drop),
        Op::Delete => store.delete_app(id).map(drop),
    };
}

/// The model: one intent applied to the app the portal would hold.
fn replay(app: Option<Snapshot>, intent: Intent) -> Option<Snapshot> {
    match intent {
        Intent::Create { app } => Some(app),
        Intent::Delete => None,
        Intent::Fields { fields } => app.map(|mut a| {
            a.name = fields.name.unwrap_or(a.name);
            a.organization = fields.organization.unwrap_or(a.organization);
            a.homepage_url = fields.homepage_url.unwrap_or(a.homepage_url);
            a.audience = fields.audience.unwrap_or(a.audience);
            a.credentials = fields.credentials.unwrap_or(a.credentials);
            a
        }),
        Intent::Scopes { add, remove } => app.map(|mut a| {
            a.scopes.extend(add);
            a.scopes.retain(|s| !remove.contains(s));
            a
        }),
        Intent::Tenants { add, remove } => app.map(|mut a| {
            a.tenants.extend(add.into_iter().map(|t| (t.id, t.note)));
            a.tenants.retain(|id, _| !remove.contains(id));
            a
        }),
    }
}

/// The app as the store's view shows it, in the snapshot's shape.
fn shown(store: &Store, id: &str) -> Option<Snapshot> {
    let app = store.app(id).ok()?;
    Some(Snapshot {
        id: app.id,
        app_key: app.app_key.expect("created"),
        name: app.name,
        organization: app.organization,
        homepage_url: app.homepage_url,
        audience: app.audience,
        credentials: app.credentials,
        scopes: app.scopes.into_iter().collect::<BTreeSet<_>>(),
        tenants: app
            .tenants
            .into_iter()
            .map(|t| (t.id, t.note))
            .collect::<BTreeMap<_, _>>(),
    })
}

fn queued(db: &TestDb) -> Vec<Intent> {
    let conn = Connection::open(db.path()).unwrap();
    let mut stmt = conn
        .prepare("SELECT intent FROM outbox ORDER BY seq")
        .unwrap();
    stmt.query_map([], |r| r.get::<_, String>(0))
        .unwrap()
        .map(|t| serde_json::from_str(&t.unwrap()).expect("an intent"))
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 32, ..ProptestConfig::default() })]

    #[test]
    fn replaying_the_outbox_rebuilds_the_app_as_the_store_shows_it(
        before in prop::collection::vec(op(), 0..4),
        after in prop::collection::vec(op(), 1..12),
    ) {
        let db = TestDb::new();
        let id = db.store.create_app(&input("Board")).unwrap().id;
        for op in &before {
            run(&db.store, &id, op);
        }
        db.store.add_remote("origin", "https://portal.example", "adp_x_y").unwrap();
        for op in &after {
            run(&db.store, &id, op);
        }
        let rebuilt = queued(&db).into_iter().fold(None, replay);
        prop_assert_eq!(rebuilt, shown(&db.store, &id), "{:?} then {:?}", before, after);
    }
}

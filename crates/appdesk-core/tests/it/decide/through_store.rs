//! The same requests through the SQLite store (a real file) and through the
//! decisions on a model: the store refuses exactly what the decision refuses,
//! leaves the database as it was when it does, and otherwise ends in the state
//! the model reaches by persisting the decision's change.

use appdesk_core::decide::{AppFields, AppState, ConnectionState, TenantAdd};
use appdesk_core::{AppEdit, Error, ScopeSet, Store, TenantEntry};
use proptest::prelude::*;

use super::sequence::{Request, decided, request};
use super::{apply, scope_pool, strings, tenant};
use crate::common::{TestDb, input};

/// The request through the store; only whether it worked matters here.
fn through_store(store: &Store, id: &str, r: &Request) -> Result<(), Error> {
    match r {
        Request::SetScopes(s) => store.set_scopes(id, s).map(drop),
        Request::ChangeScopes(a, rm) => store.change_scopes(id, a, rm).map(drop),
        Request::AddTenant(t, note) => {
            let add = [TenantAdd {
                id: tenant(*t),
                note: note.clone(),
            }];
            store.change_tenants(id, &add, &[]).map(drop)
        }
        Request::RemoveTenant(t) => store.change_tenants(id, &[], &[tenant(*t)]).map(drop),
        Request::Rename(name) => {
            let edit = AppEdit {
                name: Some(name.clone()),
                ..AppEdit::default()
            };
            store.edit_app(id, &edit).map(drop)
        }
        Request::Connect(t, e) => store.connect(id, &tenant(*t), *e).map(drop),
        Request::Upgrade(t, e) => store.upgrade(id, &tenant(*t), *e).map(drop),
        Request::Disable(t, e) => store.disable(id, &tenant(*t), *e).map(drop),
        Request::Enable(t, e) => store.enable(id, &tenant(*t), *e).map(drop),
        Request::Regenerate(t, e) => store.regenerate_secret(id, &tenant(*t), *e).map(drop),
    }
}

/// The app as the store shows it, as a model state (connection ids are the
/// model's own: tenant and environment).
fn loaded(store: &Store, id: &str) -> AppState {
    let app = store.app(id).expect("app");
    let connections = store.connections(id).expect("connections");
    AppState {
        id: app.id,
        fields: AppFields {
            name: app.name,
            organization: app.organization,
            homepage_url: app.homepage_url,
            audience: app.audience,
            credentials: app.credentials,
        },
        app_key: app.app_key.expect("created"),
        version: app.version.expect("created"),
        scopes: ScopeSet::from_stored(&app.scopes),
        tenants: app.tenants,
        revision: app.revision,
        connections: connections
            .into_iter()
            .map(|c| ConnectionState {
                id: format!("{}-{}", c.tenant_id, c.environment),
                tenant_id: c.tenant_id,
                environment: c.environment,
                version: c.version,
                status: c.status,
                client_id: c.client_id,
            })
            .collect(),
    }
}

/// What must agree between the store and the model (not the random ids).
fn comparable(s: &AppState) -> impl PartialEq + std::fmt::Debug + use<> {
    let mut tenants: Vec<TenantEntry> = s.tenants.clone();
    tenants.sort_by(|a, b| a.id.cmp(&b.id));
    let mut conns: Vec<_> = s
        .connections
        .iter()
        .map(|c| (c.tenant_id.clone(), c.environment, c.version, c.status))
        .collect();
    conns.sort_by(|a, b| (&a.0, a.1.as_str()).cmp(&(&b.0, b.1.as_str())));
    (
        s.fields.clone(),
        s.app_key.clone(),
        s.version,
        strings(&s.scopes),
        tenants,
        s.revision,
        conns,
    )
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    #[test]
    fn the_store_refuses_what_the_decision_refuses_and_persists_what_it_decides(
        requests in proptest::collection::vec(request(), 1..16),
    ) {
        let db = TestDb::new();
        let mut first = input("Dispatch Board");
        first.tenants = vec![TenantEntry::new(tenant(0), ""), TenantEntry::new(tenant(1), "HQ")];
        first.scopes = scope_pool()[..2].to_vec();
        let id = db.store.create_app(&first).expect("create").id;
        for r in &requests {
            let model = loaded(&db.store, &id);
            let before = db.snapshot();
            let expected = decided(&model, r);
            let got = through_store(&db.store, &id, r);
            match (&expected, &got) {
                (Err(e), Err(g)) => {
                    prop_assert_eq!(e.code(), g.code(), "{} / {}", e, g);
                    prop_assert_eq!(e.to_string(), g.to_string());
                    prop_assert_eq!(db.snapshot(), before, "a refused request leaves the database as it was");
                }
                (Ok(change), Ok(())) => {
                    let after = loaded(&db.store, &id);
                    prop_assert_eq!(comparable(&after), comparable(&apply(&model, change)), "{:?}", r);
                    let log = db.store.activity(Some(&id), change.activity.len() as i64).expect("log");
                    let actions: Vec<&str> = log.iter().rev().map(|a| a.action.as_str()).collect();
                    let wanted: Vec<&str> = change.activity.iter().map(|a| a.action.as_str()).collect();
                    if !change.is_empty() {
                        prop_assert_eq!(actions, wanted);
                    } else {
                        prop_assert_eq!(db.snapshot(), before, "no change, no write");
                    }
                }
                _ => prop_assert!(false, "store {got:?} but decision {expected:?} for {r:?}"),
            }
        }
    }
}

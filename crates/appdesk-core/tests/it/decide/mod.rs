//! Property tests of the pure decisions (`appdesk_core::decide`), with no
//! database: random app states and requests, and oracles written here, apart
//! from the code under test (sets of strings, maps of tenants).
//!
//! [`apply`] is a model of a store: it persists a change onto a state the way
//! plain INSERT/UPDATE/DELETE would, and fails on a write a real store would
//! refuse (a row inserted twice, an update of a missing row).
//! `through_store` then drives the same requests through the SQLite store and
//! holds it to the model.

mod apps;
mod connections;
mod scopes;
mod sequence;
mod tenants;
mod through_store;

use std::collections::BTreeSet;

use appdesk_core::decide::{
    AppFields, AppState, Change, ConnectionState, ConnectionWrite, Stamp, TenantWrite,
};
use appdesk_core::{
    Audience, Catalog, ConnectionStatus, Credentials, Environment, Error, ScopeSet, TenantEntry,
};
use proptest::prelude::*;

/// The shipped catalog, parsed once for all cases.
pub fn catalog() -> &'static Catalog {
    static CATALOG: std::sync::OnceLock<Catalog> = std::sync::OnceLock::new();
    CATALOG.get_or_init(Catalog::embedded)
}

pub fn stamp() -> Stamp {
    Stamp {
        user: "tester".to_owned(),
        at: "2026-11-30T00:00:00.000Z".to_owned(),
    }
}

/// A few catalog scopes (`res:r` / `res:w`), so that random sets overlap.
pub fn scope_pool() -> Vec<String> {
    let mut pool = Vec::new();
    for resource in catalog().modules.iter().flat_map(|m| &m.scopes).take(5) {
        if resource.view {
            pool.push(format!("{}:r", resource.name));
        }
        if resource.modify {
            pool.push(format!("{}:w", resource.name));
        }
    }
    pool
}

/// Tenant ids: `1000 + i`. Small lists use the first few; lists at the
/// limit reach 1199.
pub fn tenant(i: usize) -> String {
    (1000 + i).to_string()
}

fn notes() -> impl Strategy<Value = String> {
    prop_oneof![
        Just(String::new()),
        Just("HQ".to_owned()),
        Just("east".to_owned())
    ]
}

/// A created app: 1–5 tenants or 198–200, some scopes, some connections.
pub fn app_state() -> impl Strategy<Value = AppState> {
    let pool = scope_pool();
    let sizes = prop_oneof![1usize..=5, 198usize..=200];
    (
        proptest::sample::subsequence(pool.clone(), 1..=pool.len().min(6)),
        1i64..20,
        1i64..50,
        sizes,
        proptest::collection::vec(notes(), 200),
        proptest::collection::vec((0usize..6, any::<bool>(), 0i64..20, any::<bool>()), 0..6),
    )
        .prop_map(|(scopes, version, revision, size, notes, conns)| {
            let tenants: Vec<TenantEntry> = (0..size)
                .map(|i| TenantEntry::new(tenant(i), notes[i].clone()))
                .collect();
            let mut connections: Vec<ConnectionState> = Vec::new();
            for (t, prod, v, disabled) in conns {
                let tenant_id = tenant(t % size);
                let environment = if prod {
                    Environment::Production
                } else {
                    Environment::Integration
                };
                if connections
                    .iter()
                    .any(|c| c.tenant_id == tenant_id && c.environment == environment)
                {
                    continue;
                }
                connections.push(ConnectionState {
                    id: format!("conn-{tenant_id}-{environment}"),
                    client_id: format!("cid.{tenant_id}{environment}"),
                    tenant_id,
                    environment,
                    version: 1 + v % version,
                    status: if disabled {
                        ConnectionStatus::Disabled
                    } else {
                        ConnectionStatus::Active
                    },
                });
            }
            AppState {
                id: "0190a8f0-0000-7000-8000-000000000001".to_owned(),
                fields: AppFields {
                    name: "Dispatch Board".to_owned(),
                    organization: "Acme HVAC".to_owned(),
                    homepage_url: "https://acme.example".to_owned(),
                    audience: Audience::Private,
                    credentials: Credentials::Tenant,
                },
                app_key: "ak1.aaaaabbbbbcccccdddddeeeee".to_owned(),
                version,
                scopes: ScopeSet::from_stored(&scopes),
                tenants,
                revision,
                connections,
            }
        })
}

/// The canonical strings of a scope set, as the oracle holds them.
pub fn strings(set: &ScopeSet) -> BTreeSet<String> {
    set.to_strings().into_iter().collect()
}

/// What every change satisfies: it is empty exactly when it writes nothing, and
/// a non-empty one bumps the revision by exactly one (every change bumps it).
pub fn check_shape(before: &AppState, change: &Change) {
    let writes = change.fields.is_some()
        || change.version.is_some()
        || !change.tenants.is_empty()
        || !change.connections.is_empty();
    assert_eq!(change.is_empty(), !writes, "empty exactly when no write");
    let expected = before.revision + i64::from(writes);
    assert_eq!(change.revision, expected, "revision");
    assert_eq!(change.app_id, before.id);
    assert_eq!(change.stamp, stamp());
    let mut replayed = before.clone();
    replayed.apply(change);
    assert_eq!(
        replayed,
        apply(before, change),
        "AppState::apply persists as the model does"
    );
    for a in &change.activity {
        assert_eq!(a.app_id, before.id);
        assert!(
            !a.summary.trim().is_empty(),
            "an activity says what happened"
        );
    }
}

/// A decision that fails: an error, and the state it read is as it was.
pub fn check_refused<T: std::fmt::Debug>(
    before: &AppState,
    after: &AppState,
    out: Result<T, Error>,
) -> Error {
    assert_eq!(before, after, "a decision never changes what it read");
    match out {
        Ok(v) => panic!("expected a refusal, got {v:?}"),
        Err(e) => e,
    }
}

/// Persists `change` onto `state` as plain writes would, refusing what a
/// store's keys and constraints refuse.
pub fn apply(state: &AppState, change: &Change) -> AppState {
    let mut next = state.clone();
    if let Some(f) = &change.fields {
        next.fields = f.clone();
    }
    if let Some(v) = &change.version {
        assert_eq!(
            v.version,
            state.version + 1,
            "versions are whole numbers in a row"
        );
        next.version = v.version;
        next.scopes = ScopeSet::from_stored(&v.scopes);
    }
    for w in &change.tenants {
        match w {
            TenantWrite::Insert(t) => {
                assert!(
                    !next.tenants.iter().any(|x| x.id == t.id),
                    "tenant {} twice",
                    t.id
                );
                next.tenants.push(t.clone());
            }
            TenantWrite::SetNote(t) => {
                let found = next.tenants.iter_mut().find(|x| x.id == t.id);
                found
                    .expect("note of a listed tenant")
                    .note
                    .clone_from(&t.note);
            }
            TenantWrite::Delete(id) => {
                let before = next.tenants.len();
                next.tenants.retain(|x| &x.id != id);
                assert_eq!(next.tenants.len() + 1, before, "delete of a listed tenant");
            }
        }
    }
    for w in &change.connections {
        let find = |id: &str, conns: &mut Vec<ConnectionState>| {
            conns
                .iter()
                .position(|c| c.id == id)
                .expect("a write to an existing connection")
        };
        match w {
            ConnectionWrite::Insert(c) => {
                assert!(!next.connections.iter().any(|x| x.id == c.id
                    || (x.tenant_id == c.tenant_id && x.environment == c.environment)));
                next.connections.push(c.state());
            }
            ConnectionWrite::SetVersion { id, version } => {
                let i = find(id, &mut next.connections);
                next.connections[i].version = *version;
            }
            ConnectionWrite::SetStatus { id, status } => {
                let i = find(id, &mut next.connections);
                next.connections[i].status = *status;
            }
            ConnectionWrite::SetSecret { id, .. } => {
                find(id, &mut next.connections);
            }
            ConnectionWrite::Delete { id } => {
                let i = find(id, &mut next.connections);
                next.connections.remove(i);
            }
        }
    }
    next.revision = change.revision;
    next
}

/// The rules every stored app keeps (R1, R5, R8).
pub fn check_invariants(state: &AppState) {
    assert!(!state.scopes.is_empty(), "at least one scope");
    assert!((1..=200).contains(&state.tenants.len()), "1 to 200 tenants");
    for c in &state.connections {
        assert!(
            state.tenants.iter().any(|t| t.id == c.tenant_id),
            "only a listed tenant is connected (R8): {}",
            c.tenant_id
        );
        assert!(
            c.version >= 1 && c.version <= state.version,
            "a connection is on a version that exists"
        );
    }
}

/// `prefix` + `n` characters of `[a-z0-9]`.
pub fn is_token(text: &str, prefix: &str, n: usize) -> bool {
    text.strip_prefix(prefix).is_some_and(|rest| {
        rest.len() == n
            && rest
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
    })
}

//! In a linked database every reader of an app's connections reads the
//! portal's list, not the local table (left as it was): the apps list's
//! counts, behind filter and sort and client-ID search, the scope preview,
//! the ledger, upgrade requests and the notes' range. Unlinking shows the
//! local connections again. The oracle is the lists given to the store (the
//! portal's, as pulled) and the local connections made before linking.

use appdesk_core::decide::RequestTarget;
use appdesk_core::{AppSummary, Environment, ListOnly, ListQuery, ListSort, Store};

use super::connections::pulled;
use crate::common::{TestDb, input};

const LEADS: &str = "tn.crm.leads:r";
const TAGS: &str = "tn.crm.tags:w";
const FAR: &str = "9876543210123";

/// "Alpha": a local connection of tenant 1234 behind (v1 of 2); on the
/// portal, one connection of 1234 in production on the latest. "Beta": no
/// local connection; on the portal, one of tenant FAR behind. Returns the
/// ids and Alpha's local client ID.
fn linked_with_different_connections(db: &TestDb) -> (String, String, String) {
    let s = &db.store;
    let alpha = s.create_app(&input("Alpha")).unwrap().id;
    let local = s.connect(&alpha, "1234", Environment::Integration).unwrap();
    let beta = s.create_app(&input("Beta")).unwrap().id;
    for app in [&alpha, &beta] {
        s.change_scopes(app, &[LEADS.into()], &[]).unwrap();
    }
    s.add_remote("origin", "https://portal.example", "adp_1a2b3c4d_Token42")
        .unwrap();
    s.replace_portal_connections(&alpha, &[pulled("1234", "production", 2, 2)])
        .unwrap();
    s.replace_portal_connections(&beta, &[pulled(FAR, "integration", 1, 2)])
        .unwrap();
    (alpha, beta, local.client_id)
}

fn summaries(store: &Store, query: ListQuery) -> Vec<(String, i64, i64)> {
    let page = store.list_summaries(&query).unwrap();
    page.items
        .into_iter()
        .map(|a: AppSummary| (a.name, a.connection_count, a.behind_count))
        .collect()
}

fn only_behind() -> ListQuery {
    ListQuery {
        only: ListOnly::Behind,
        ..ListQuery::default()
    }
}

fn by_behind() -> ListQuery {
    ListQuery {
        sort: ListSort::Behind,
        ..ListQuery::default()
    }
}

fn search(filter: &str) -> ListQuery {
    ListQuery {
        filter: filter.into(),
        ..ListQuery::default()
    }
}

/// The scope preview's "N connections will show upgrade available" for the
/// app's first scopes plus `more`.
fn previewed_behind(store: &Store, app: &str, more: &[&str]) -> i64 {
    let mut scopes = input("x").scopes;
    scopes.extend(more.iter().map(|s| s.to_string()));
    store
        .preview_scopes(app, &scopes)
        .unwrap()
        .connections_behind
}

fn row(name: &str, count: i64, behind: i64) -> (String, i64, i64) {
    (name.to_owned(), count, behind)
}

#[test]
fn the_apps_list_counts_filters_sorts_and_searches_the_portals_connections_when_linked() {
    let db = TestDb::new();
    let (_, _, local_client) = linked_with_different_connections(&db);
    let s = &db.store;
    let all = summaries(s, ListQuery::default());
    assert_eq!(all, [row("Alpha", 1, 0), row("Beta", 1, 1)]);
    assert_eq!(summaries(s, only_behind()), [row("Beta", 1, 1)]);
    assert_eq!(
        summaries(s, by_behind()),
        [row("Beta", 1, 1), row("Alpha", 1, 0)]
    );
    let portal_client = format!("cid.{:0>25}", FAR);
    assert_eq!(
        summaries(s, search(&portal_client[..22])),
        [row("Beta", 1, 1)]
    );
    assert_eq!(summaries(s, search(&local_client)), []);
}

#[test]
fn unlinking_shows_the_local_connections_again_in_every_reader() {
    let db = TestDb::new();
    let (alpha, beta, local_client) = linked_with_different_connections(&db);
    let s = &db.store;
    s.remove_remote("origin").unwrap();
    assert_eq!(
        summaries(s, ListQuery::default()),
        [row("Alpha", 1, 1), row("Beta", 0, 0)]
    );
    assert_eq!(summaries(s, only_behind()), [row("Alpha", 1, 1)]);
    assert_eq!(summaries(s, search(&local_client)), [row("Alpha", 1, 1)]);
    let behind = s.behind(None, None).unwrap();
    assert_eq!(behind.len(), 1, "{behind:?}");
    assert_eq!(
        (behind[0].app_id.as_str(), behind[0].tenant_id.as_str()),
        (alpha.as_str(), "1234")
    );
    assert_eq!(previewed_behind(s, &beta, &[LEADS, TAGS]), 0);
}

#[test]
fn the_ledger_preview_requests_and_notes_read_the_portals_connections_when_linked() {
    let db = TestDb::new();
    let (alpha, beta, _) = linked_with_different_connections(&db);
    let s = &db.store;
    let behind = s.behind(None, None).unwrap();
    let found: Vec<_> = behind
        .iter()
        .map(|e| {
            (
                e.app_id.as_str(),
                e.tenant_id.as_str(),
                e.environment,
                e.version,
            )
        })
        .collect();
    assert_eq!(found, [(beta.as_str(), FAR, Environment::Integration, 1)]);
    // Saving a third version puts Beta's one portal connection behind it
    // (none is local); Alpha's unchanged set leaves none behind.
    assert_eq!(previewed_behind(s, &beta, &[LEADS, TAGS]), 1);
    assert_eq!(previewed_behind(s, &alpha, &[LEADS]), 0);
    let asked = s.request_upgrade(&beta, RequestTarget::All).unwrap();
    let asked: Vec<_> = asked
        .iter()
        .map(|r| (r.tenant_id.as_str(), r.from_version))
        .collect();
    assert_eq!(asked, [(FAR, 1)]);
    let local_only = s
        .request_upgrade(
            &alpha,
            RequestTarget::Tenant("1234", Some(Environment::Integration)),
        )
        .unwrap_err();
    assert_eq!(local_only.code(), "not_allowed", "{local_only}");
    // The notes start at the oldest version a portal connection is on.
    assert_eq!(s.notes(&alpha, None, None).unwrap().from, 2);
    assert_eq!(s.notes(&beta, None, None).unwrap().from, 1);
}

#[test]
fn removing_a_tenant_in_a_linked_database_ends_its_local_connections_too() {
    let db = TestDb::new();
    let (alpha, _, _) = linked_with_different_connections(&db);
    db.store
        .change_tenants(&alpha, &[], &["1234".into()])
        .unwrap();
    let left: i64 = rusqlite::Connection::open(db.path())
        .unwrap()
        .query_row(
            "SELECT count(*) FROM connections WHERE app_id = ?1",
            [&alpha],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(left, 0, "a removed tenant's local connection was kept");
}

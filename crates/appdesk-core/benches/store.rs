//! Store benchmarks at 10k and 100k apps, each with 5 versions and 3
//! connections (DESIGN §4, issue 2):
//!
//! - creating an app, changing scopes, showing an app with its history and
//!   connections, listing a page of 100 apps filtered by a name fragment;
//! - showing an app with 1,000 versions;
//! - creating 10k apps in one transaction;
//! - the apps list's behind filter, sort by most behind and search by client
//!   ID, in a database of its own and in one linked to a portal (whose
//!   connections the list then reads).
//!
//! The large databases are seeded once (see `seed/mod.rs`) and copied per run.
//! Every measured call goes through the real `Store` on a real file.
//!
//! Run: `cargo bench -p appdesk-core --bench store` (add a filter such as
//! `list_page` to run one group).

mod seed;

use std::time::Duration;

use appdesk_core::{AppInput, ListOnly, ListQuery, ListSort, Store, StoreOptions};
use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use seed::{app_id, input, seeded, seeded_linked, toggle_scope};

const SIZES: [usize; 2] = [10_000, 100_000];
fn at_scale(c: &mut Criterion) {
    let work = tempfile::tempdir().expect("tmp");
    for n in SIZES {
        let store = seeded(n, work.path());
        let mut group = c.benchmark_group("store");
        group
            .sample_size(30)
            .measurement_time(Duration::from_secs(4));
        let mut next = 0usize;
        group.bench_function(BenchmarkId::new("create_app", n), |b| {
            b.iter(|| {
                next += 1;
                store.create_app(&input(n + next)).expect("create")
            })
        });
        let target = app_id(n / 3);
        let mut flip = false;
        group.bench_function(BenchmarkId::new("change_scopes", n), |b| {
            b.iter(|| {
                flip = !flip;
                toggle_scope(&store, &target, flip)
            })
        });
        let shown = app_id(n / 2);
        group.bench_function(BenchmarkId::new("show_app_with_history", n), |b| {
            b.iter(|| {
                let app = store.app(&shown).expect("app");
                let history = store.history(&shown).expect("history");
                let connections = store.connections(&shown).expect("connections");
                (app, history, connections)
            })
        });
        let query = ListQuery {
            filter: "board".into(),
            offset: 0,
            limit: Some(100),
            ..Default::default()
        };
        group.bench_function(BenchmarkId::new("list_page_filtered", n), |b| {
            b.iter(|| {
                let page = store.list_apps(&query).expect("list");
                assert_eq!(page.items.len(), 100);
                page
            })
        });
        group.bench_function(BenchmarkId::new("list_summaries_filtered", n), |b| {
            b.iter(|| store.list_summaries(&query).expect("list"))
        });
        // What the first keystrokes of a search cost: one and two characters,
        // too short for the trigram index.
        for fragment in ["e", "oa"] {
            let short = ListQuery {
                filter: fragment.into(),
                offset: 0,
                limit: Some(100),
                ..Default::default()
            };
            group.bench_function(
                BenchmarkId::new(format!("list_summaries_{fragment:?}"), n),
                |b| b.iter(|| store.list_summaries(&short).expect("list")),
            );
        }
        group.finish();
    }
}

/// A page of 100 summaries as the window asks for it with the behind filter,
/// sorted by most behind, and searched by the start of a client ID.
fn connection_queries(c: &mut Criterion) {
    let work = tempfile::tempdir().expect("tmp");
    for n in SIZES {
        for (label, store, prefix) in [
            ("local", seeded(n, work.path()), "cid."),
            ("linked", seeded_linked(n, work.path()), "pid."),
        ] {
            let mut group = c.benchmark_group(format!("list_{label}"));
            group
                .sample_size(30)
                .measurement_time(Duration::from_secs(4));
            let page = |filter: String, sort, only| ListQuery {
                filter,
                offset: 0,
                limit: Some(100),
                sort,
                only,
            };
            let client = format!("{prefix}{:020}", n / 200);
            let queries = [
                (
                    "behind_only",
                    page(String::new(), ListSort::Name, ListOnly::Behind),
                ),
                (
                    "sort_by_behind",
                    page(String::new(), ListSort::Behind, ListOnly::All),
                ),
                ("client_id", page(client, ListSort::Name, ListOnly::All)),
            ];
            for (name, query) in queries {
                assert!(
                    !store.list_summaries(&query).expect("list").items.is_empty(),
                    "{label} {name} finds apps"
                );
                group.bench_function(BenchmarkId::new(name, n), |b| {
                    b.iter(|| store.list_summaries(&query).expect("list"))
                });
            }
            group.finish();
        }
    }
}

fn thousand_versions(c: &mut Criterion) {
    let dir = tempfile::tempdir().expect("tmp");
    let store = Store::open(&dir.path().join("v.db"), StoreOptions::default()).expect("open");
    let app = store.create_app(&input(0)).expect("create");
    for v in 0..999 {
        let scope = vec![["tn.crm.leads:r", "tn.crm.tags:w"][v % 2].to_owned()];
        let (add, remove) = if (v / 2) % 2 == 0 {
            (scope, vec![])
        } else {
            (vec![], scope)
        };
        store.change_scopes(&app.id, &add, &remove).expect("scopes");
    }
    assert_eq!(store.history(&app.id).expect("history").len(), 1000);
    c.bench_function("show_app_with_1000_versions", |b| {
        b.iter(|| {
            (
                store.app(&app.id).expect("app"),
                store.history(&app.id).expect("history"),
            )
        })
    });
}

fn bulk_create(c: &mut Criterion) {
    let inputs: Vec<AppInput> = (0..10_000).map(input).collect();
    let mut group = c.benchmark_group("bulk");
    group
        .sample_size(10)
        .measurement_time(Duration::from_secs(20));
    group.bench_function("create_10k_apps_one_transaction", |b| {
        b.iter_with_setup(
            || {
                let dir = tempfile::tempdir().expect("tmp");
                let store = Store::open(&dir.path().join("bulk.db"), StoreOptions::default())
                    .expect("open");
                (dir, store)
            },
            |(dir, store)| {
                assert_eq!(store.create_apps(&inputs).expect("bulk").len(), 10_000);
                dir
            },
        )
    });
    group.finish();
}

criterion_group!(
    benches,
    at_scale,
    connection_queries,
    thousand_versions,
    bulk_create
);
criterion_main!(benches);

//! What the outbox costs a local change: the same change on a 10k-app
//! database never linked (the hook reads one row of `remotes` and writes
//! nothing), and linked (it also loads the app's state and appends intents).
//! Linking queues the 10k creations first, so the outbox is not empty.
//!
//! Run: `cargo bench -p appdesk-core --bench sync`.

mod seed;

use std::time::Duration;

use appdesk_core::{AppEdit, Store};
use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use seed::{app_id, seeded, toggle_scope};

const N: usize = 10_000;

fn changes(c: &mut Criterion, store: &Store, label: &str) {
    let mut group = c.benchmark_group("outbox");
    group
        .sample_size(30)
        .measurement_time(Duration::from_secs(4));
    let target = app_id(N / 3);
    let mut flip = false;
    group.bench_function(BenchmarkId::new("change_scopes", label), |b| {
        b.iter(|| {
            flip = !flip;
            toggle_scope(store, &target, flip)
        })
    });
    let mut n = 0usize;
    group.bench_function(BenchmarkId::new("edit_name", label), |b| {
        b.iter(|| {
            n += 1;
            let edit = AppEdit {
                name: Some(format!("Renamed {n}")),
                ..AppEdit::default()
            };
            store.edit_app(&target, &edit).expect("edit")
        })
    });
    group.finish();
}

fn outbox(c: &mut Criterion) {
    let work = tempfile::tempdir().expect("tmp");
    let dir = |name: &str| {
        let d = work.path().join(name);
        std::fs::create_dir_all(&d).expect("bench dir");
        d
    };
    let unlinked = seeded(N, &dir("unlinked"));
    changes(c, &unlinked, "never_linked");
    let linked = seeded(N, &dir("linked"));
    linked
        .add_remote("origin", "https://portal.example", "adp_bench_token")
        .expect("link");
    changes(c, &linked, "linked");
}

criterion_group!(benches, outbox);
criterion_main!(benches);

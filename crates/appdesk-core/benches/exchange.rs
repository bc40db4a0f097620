//! Export and import at 10k apps with 5 versions and 3 connections each
//! (issue 4): export of every app to a folder, export of every app as one
//! array, import of 10k files into an empty database.
//!
//! The seeded database is made by the store benchmark's seeding (shared module)
//! and copied per run. Run: `cargo bench -p appdesk-core --bench exchange`.
//! For the comparison with `sqlite3 -json`, see `scripts/bench-export`.

mod seed;

use std::time::Duration;

use appdesk_core::exchange::{self, ExportFormat};
use appdesk_core::{Store, StoreOptions};
use criterion::{Criterion, criterion_group, criterion_main};

const APPS: usize = 10_000;

fn exchange_benches(c: &mut Criterion) {
    // Scratch space beside the seed, not in /tmp: on the development VM /tmp's
    // file system creates files about six times slower than the work disk, and a
    // developer exports into a working copy, not into /tmp.
    let scratch = || tempfile::tempdir_in(seed::data_dir()).expect("scratch dir");
    let work = scratch();
    let store = seed::seeded(APPS, work.path());
    let mut group = c.benchmark_group("exchange");
    group
        .sample_size(10)
        .measurement_time(Duration::from_secs(15));

    group.bench_function("export_10k_to_folder", |b| {
        b.iter_with_setup(scratch, |out| {
            let docs = store.export_documents(None, false).expect("export");
            let files =
                exchange::write_folder(out.path(), &docs, ExportFormat::Appdesk).expect("write");
            assert_eq!(files.len(), APPS);
            out
        })
    });
    group.bench_function("export_10k_to_folder_with_history", |b| {
        b.iter_with_setup(scratch, |out| {
            let docs = store.export_documents(None, true).expect("export");
            exchange::write_folder(out.path(), &docs, ExportFormat::Appdesk).expect("write");
            out
        })
    });
    group.bench_function("export_10k_as_one_array", |b| {
        b.iter(|| {
            let docs = store.export_documents(None, false).expect("export");
            exchange::render_all(&docs, ExportFormat::Appdesk).len()
        })
    });

    let folder = scratch();
    let docs = store.export_documents(None, true).expect("export");
    exchange::write_folder(folder.path(), &docs, ExportFormat::Appdesk).expect("write");
    group.bench_function("import_10k_files_with_history", |b| {
        b.iter_with_setup(
            || {
                let dir = scratch();
                let empty = Store::open(&dir.path().join("import.db"), StoreOptions::default())
                    .expect("open");
                (dir, empty)
            },
            |(dir, empty)| {
                let files = exchange::read_paths(&[folder.path().to_owned()], empty.catalog())
                    .expect("parse");
                let plan = empty.apply_import(&files).expect("import");
                assert_eq!(plan.create, APPS);
                dir
            },
        )
    });
    group.finish();
}

criterion_group!(benches, exchange_benches);
criterion_main!(benches);

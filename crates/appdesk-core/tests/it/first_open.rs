//! The first open of a database file, from several processes at once: each must
//! open it, bring it to the latest schema and write, none may see "database is
//! locked". The processes are this test binary, re-run on the ignored test
//! `first_open_child` with the database path in the environment.

use std::process::{Command, Stdio};

use appdesk_core::{AppInput, Store, StoreOptions};
use rusqlite::Connection;

const DB_VAR: &str = "APPDESK_FIRST_OPEN_DB";
/// When the children start opening, in milliseconds since the Unix epoch, so
/// that sixteen processes really open at once rather than as they are spawned.
const START_VAR: &str = "APPDESK_FIRST_OPEN_AT";
const PROCESSES: usize = 16;
const ROUNDS: usize = 8;

fn now_ms() -> u128 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_millis()
}

#[test]
#[ignore = "the child half of sixteen_processes_create_one_database_without_a_lock_error"]
fn first_open_child() {
    let Ok(path) = std::env::var(DB_VAR) else {
        return;
    };
    let start: u128 = std::env::var(START_VAR).unwrap().parse().unwrap();
    while now_ms() < start {
        std::hint::spin_loop();
    }
    let store =
        Store::open(path.as_ref(), StoreOptions::default()).unwrap_or_else(|e| panic!("open: {e}"));
    store
        .save_draft(&AppInput::default())
        .unwrap_or_else(|e| panic!("write: {e}"));
}

#[test]
fn sixteen_processes_create_one_database_without_a_lock_error() {
    let exe = std::env::current_exe().unwrap();
    for round in 0..ROUNDS {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("new/first.db");
        let start = now_ms() + 800;
        let children: Vec<_> = (0..PROCESSES)
            .map(|_| {
                Command::new(&exe)
                    .args([
                        "--exact",
                        "first_open::first_open_child",
                        "--ignored",
                        "--nocapture",
                        "--test-threads=1",
                    ])
                    .env(DB_VAR, &path)
                    .env(START_VAR, start.to_string())
                    .stdout(Stdio::piped())
                    .stderr(Stdio::piped())
                    .spawn()
                    .unwrap()
            })
            .collect();
        for child in children {
            let out = child.wait_with_output().unwrap();
            assert!(
                out.status.success(),
                "round {round}: a process failed: {}{}",
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr)
            );
        }
        // Read with plain SQLite, not the code under test.
        let conn = Connection::open(&path).unwrap();
        let drafts: i64 = conn
            .query_row("SELECT count(*) FROM apps", [], |r| r.get(0))
            .unwrap();
        assert_eq!(drafts, PROCESSES as i64, "round {round}: one draft each");
        let version: i64 = conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .unwrap();
        assert_eq!(version, appdesk_core::store::migrate::latest());
    }
}

/// Sixteen threads, each with its own store handle, open one new file at once:
/// threads collide more often than processes, on the same SQLite locks.
#[test]
fn sixteen_handles_open_one_new_file_at_once() {
    for round in 0..30 {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("threads.db");
        let barrier = std::sync::Arc::new(std::sync::Barrier::new(16));
        let threads: Vec<_> = (0..16)
            .map(|_| {
                let (path, barrier) = (path.clone(), barrier.clone());
                std::thread::spawn(move || {
                    barrier.wait();
                    Store::open(&path, StoreOptions::default())
                        .and_then(|store| store.save_draft(&AppInput::default()))
                        .map(|_| ())
                })
            })
            .collect();
        for t in threads {
            t.join()
                .unwrap()
                .unwrap_or_else(|e| panic!("round {round}: {e}"));
        }
    }
}

//! The first open of a database file, from several processes at once: each must
//! open it, bring it to the latest schema and write, none may see "database is
//! locked". The processes are this test binary, re-run on the ignored test
//! `first_open_child` with the database path in the environment.

use std::process::{Command, Stdio};

use appdesk_core::{AppInput, Store, StoreOptions};
use rusqlite::Connection;

const DB_VAR: &str = "APPDESK_FIRST_OPEN_DB";
const PROCESSES: usize = 16;
const ROUNDS: usize = 8;

#[test]
#[ignore = "the child half of sixteen_processes_create_one_database_without_a_lock_error"]
fn first_open_child() {
    let Ok(path) = std::env::var(DB_VAR) else {
        return;
    };
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

/// The race the processes above can lose, made certain: another connection
/// reads the new, still empty file (a shared lock) while the store switches it
/// to WAL. SQLite answers that switch with "database is locked" at once, without
/// its busy timeout; the store must wait for the reader instead.
#[test]
fn first_open_waits_for_a_reader_of_the_new_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("read.db");
    let mut reader = Connection::open(&path).unwrap();
    let tx = reader.transaction().unwrap();
    let _: i64 = tx
        .query_row("SELECT count(*) FROM sqlite_master", [], |r| r.get(0))
        .unwrap();
    let opener = {
        let path = path.clone();
        std::thread::spawn(move || Store::open(&path, StoreOptions::default()).map(|_| ()))
    };
    std::thread::sleep(std::time::Duration::from_millis(300));
    tx.commit().unwrap();
    opener
        .join()
        .unwrap()
        .unwrap_or_else(|e| panic!("the first open gave up: {e}"));
}

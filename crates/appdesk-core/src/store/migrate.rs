//! Schema migrations: numbered SQL files from the top-level `migrations/`
//! folder, embedded at build time, each applied in its own transaction.
//!
//! `PRAGMA user_version` records the schema a database is at. A database at a
//! newer schema than this build knows is refused before anything is written to it,
//! so an older Appdesk never damages data written by a newer one.

use rusqlite::{Connection, TransactionBehavior};

use crate::error::Result;

/// `(version, file name, SQL)`, in order. A test checks that this list and the
/// folder agree.
pub const MIGRATIONS: &[(i64, &str, &str)] = &[
    (
        1,
        "0001_initial.sql",
        include_str!("../../../../migrations/0001_initial.sql"),
    ),
    (
        2,
        "0002_settings.sql",
        include_str!("../../../../migrations/0002_settings.sql"),
    ),
    (
        3,
        "0003_fold_names.sql",
        include_str!("../../../../migrations/0003_fold_names.sql"),
    ),
    (
        4,
        "0004_sync.sql",
        include_str!("../../../../migrations/0004_sync.sql"),
    ),
    (
        5,
        "0005_upgrade_requests.sql",
        include_str!("../../../../migrations/0005_upgrade_requests.sql"),
    ),
    (
        6,
        "0006_secret_rotation.sql",
        include_str!("../../../../migrations/0006_secret_rotation.sql"),
    ),
    (
        7,
        "0007_catalogs.sql",
        include_str!("../../../../migrations/0007_catalogs.sql"),
    ),
    (
        8,
        "0008_list_search.sql",
        include_str!("../../../../migrations/0008_list_search.sql"),
    ),
    (
        9,
        "0009_portal_connections.sql",
        include_str!("../../../../migrations/0009_portal_connections.sql"),
    ),
    (
        10,
        "0010_portal_connections_indexes.sql",
        include_str!("../../../../migrations/0010_portal_connections_indexes.sql"),
    ),
    (
        11,
        "0011_mutation_ids.sql",
        include_str!("../../../../migrations/0011_mutation_ids.sql"),
    ),
    (
        12,
        "0012_quarantine.sql",
        include_str!("../../../../migrations/0012_quarantine.sql"),
    ),
    (
        13,
        "0013_upgrade_request_sending.sql",
        include_str!("../../../../migrations/0013_upgrade_request_sending.sql"),
    ),
];

/// TEST ONLY (feature `update-test-migration`): one more schema after the
/// real ones, for the update tests' version B, so that they can check that an
/// update migrates the installed version's database and opens it again after
/// the restart. It records which apps existed when it ran.
#[cfg(feature = "update-test-migration")]
const UPDATE_TEST_MIGRATION: (&str, &str) = (
    "update_test_migration",
    "CREATE TABLE update_test_migrated (app_id TEXT PRIMARY KEY) WITHOUT ROWID;
     INSERT INTO update_test_migrated (app_id) SELECT id FROM apps;",
);

/// Every migration this build knows, as `(version, name, SQL)`: the real
/// ones, then the test-only one where its feature is on.
fn all() -> impl Iterator<Item = (i64, &'static str, &'static str)> {
    let real = MIGRATIONS.iter().copied();
    #[cfg(feature = "update-test-migration")]
    let real = real.chain(std::iter::once((
        MIGRATIONS.len() as i64 + 1,
        UPDATE_TEST_MIGRATION.0,
        UPDATE_TEST_MIGRATION.1,
    )));
    real
}

/// The schema from which `name_folded` is NFKC-folded ([`super::rows::fold`]):
/// moving to it refolds every name in Rust, which SQL cannot do.
const REFOLD_AT: i64 = 3;

/// The schema version this build writes.
pub fn latest() -> i64 {
    all().last().map_or(0, |m| m.0)
}

pub fn schema_version(conn: &Connection) -> rusqlite::Result<i64> {
    conn.query_row("PRAGMA user_version", [], |r| r.get(0))
}

/// Brings the database up to `target`. Safe when several processes open the same
/// file at once: each step re-reads the version inside its write transaction.
pub fn migrate_to(conn: &mut Connection, target: i64) -> Result<()> {
    for (version, _, sql) in all().filter(|m| m.0 <= target) {
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        if schema_version(&tx)? < version {
            tx.execute_batch(sql)?;
            if version == REFOLD_AT {
                refold_names(&tx)?;
            }
            tx.pragma_update(None, "user_version", version)?;
        }
        tx.commit()?;
    }
    Ok(())
}

/// Recomputes every app's folded name (the search index follows by trigger).
fn refold_names(conn: &Connection) -> Result<()> {
    let names: Vec<(i64, String)> = conn
        .prepare("SELECT seq, name FROM apps")?
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    let mut update =
        conn.prepare("UPDATE apps SET name_folded = ?2 WHERE seq = ?1 AND name_folded <> ?2")?;
    for (seq, name) in names {
        update.execute(rusqlite::params![seq, super::rows::fold(&name)])?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_list_matches_the_migrations_folder() {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../../migrations");
        let mut files: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .filter(|n| n.ends_with(".sql"))
            .collect();
        files.sort();
        let listed: Vec<&str> = MIGRATIONS.iter().map(|m| m.1).collect();
        assert_eq!(files, listed);
        for (i, m) in MIGRATIONS.iter().enumerate() {
            assert_eq!(m.0, i as i64 + 1, "versions are 1, 2, 3, …");
            assert!(m.1.starts_with(&format!("{:04}_", m.0)));
        }
    }

    #[cfg(feature = "update-test-migration")]
    #[test]
    fn the_update_test_migration_comes_last_and_records_the_apps() {
        assert_eq!(latest(), MIGRATIONS.len() as i64 + 1);
        let mut conn = Connection::open_in_memory().unwrap();
        migrate_to(&mut conn, latest() - 1).unwrap();
        conn.execute_batch(
            "INSERT INTO apps (id, status, name, organization, homepage_url, audience, \
             credentials, created_at, updated_at) \
             VALUES ('a1', 'draft', 'n', 'o', 'https://o.example', 'private', 'developer', '', '')",
        )
        .unwrap();
        migrate_to(&mut conn, latest()).unwrap();
        let ids: Vec<String> = conn
            .prepare("SELECT app_id FROM update_test_migrated")
            .unwrap()
            .query_map([], |r| r.get(0))
            .unwrap()
            .collect::<rusqlite::Result<_>>()
            .unwrap();
        assert_eq!(ids, ["a1"]);
    }

    #[test]
    fn migrating_twice_changes_nothing() {
        let mut conn = Connection::open_in_memory().unwrap();
        migrate_to(&mut conn, latest()).unwrap();
        migrate_to(&mut conn, latest()).unwrap();
        assert_eq!(schema_version(&conn).unwrap(), latest());
    }
}

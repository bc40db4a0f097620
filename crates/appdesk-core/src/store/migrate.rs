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
    // 3 is taken by another branch (sync); the lead renumbers on merge.
    (
        4,
        "0004_upgrade_requests.sql",
        include_str!("../../../../migrations/0004_upgrade_requests.sql"),
    ),
    (
        5,
        "0005_secret_rotation.sql",
        include_str!("../../../../migrations/0005_secret_rotation.sql"),
    ),
    (
        6,
        "0006_catalogs.sql",
        include_str!("../../../../migrations/0006_catalogs.sql"),
    ),
];

/// The schema version this build writes.
pub fn latest() -> i64 {
    MIGRATIONS.last().map_or(0, |m| m.0)
}

pub fn schema_version(conn: &Connection) -> rusqlite::Result<i64> {
    conn.query_row("PRAGMA user_version", [], |r| r.get(0))
}

/// Brings the database up to `target`. Safe when several processes open the same
/// file at once: each step re-reads the version inside its write transaction.
pub fn migrate_to(conn: &mut Connection, target: i64) -> Result<()> {
    for &(version, _, sql) in MIGRATIONS.iter().filter(|m| m.0 <= target) {
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        if schema_version(&tx)? < version {
            tx.execute_batch(sql)?;
            tx.pragma_update(None, "user_version", version)?;
        }
        tx.commit()?;
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
            // Increasing, not yet contiguous: schema 3 lands from another branch.
            assert!(i == 0 || m.0 > MIGRATIONS[i - 1].0, "versions increase");
            assert!(m.1.starts_with(&format!("{:04}_", m.0)));
        }
    }

    #[test]
    fn migrating_twice_changes_nothing() {
        let mut conn = Connection::open_in_memory().unwrap();
        migrate_to(&mut conn, latest()).unwrap();
        migrate_to(&mut conn, latest()).unwrap();
        assert_eq!(schema_version(&conn).unwrap(), latest());
    }
}

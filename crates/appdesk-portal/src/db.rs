//! The PostgreSQL pool and the portal's schema migrations.
//!
//! Migrations are the numbered files of `migrations/portal/`, embedded at build
//! time. The pending ones run in one transaction under an advisory lock, so several
//! portals (or a `token create` beside a `serve`) starting on a fresh database at
//! once apply each file exactly once. A database whose schema is newer than this
//! build knows is refused before anything is written.

use appdesk_core::secrets::SecretKey;
use deadpool_postgres::{Manager, ManagerConfig, Pool, RecyclingMethod, Runtime, Timeouts};
use std::time::Duration;
use tokio_postgres::NoTls;

use crate::error::AppError;

/// `(version, file name, SQL)`, in order. Numbers may have gaps while
/// branches that each add one are merged (a file is applied when its version
/// is not recorded, not only when it is above the highest recorded one).
pub const MIGRATIONS: &[(i32, &str, &str)] = &[
    (
        1,
        "0001_portal.sql",
        include_str!("../../../migrations/portal/0001_portal.sql"),
    ),
    (
        2,
        "0002_feed_epoch.sql",
        include_str!("../../../migrations/portal/0002_feed_epoch.sql"),
    ),
    (
        3,
        "0003_client_mutations.sql",
        include_str!("../../../migrations/portal/0003_client_mutations.sql"),
    ),
    (
        4,
        "0004_tenant_admins.sql",
        include_str!("../../../migrations/portal/0004_tenant_admins.sql"),
    ),
    (
        5,
        "0005_sessions.sql",
        include_str!("../../../migrations/portal/0005_sessions.sql"),
    ),
    (
        6,
        "0006_upgrade_requests.sql",
        include_str!("../../../migrations/portal/0006_upgrade_requests.sql"),
    ),
    (
        7,
        "0007_rotation.sql",
        include_str!("../../../migrations/portal/0007_rotation.sql"),
    ),
    (
        8,
        "0008_roles_audit.sql",
        include_str!("../../../migrations/portal/0008_roles_audit.sql"),
    ),
];

/// Any value; it only has to be the same in every portal process.
const MIGRATION_LOCK: i64 = 0x6170_7064_6573_6b31; // "appdesk1"

/// Connections the pool opens at most: PostgreSQL's own default limit is 100,
/// and a portal shares the server with others.
const POOL_MAX: usize = 32;

/// How long a request waits for a pooled connection by default.
const POOL_WAIT: Duration = Duration::from_secs(10);

/// Opens a pool over `url` (libpq-style) and brings the schema up to date.
pub async fn open(url: &str) -> Result<Pool, AppError> {
    open_sized(url, POOL_MAX, POOL_WAIT).await
}

/// Like [`open`], with at most `size` connections, each waited for at most
/// `wait` (then the request gets 503, see [`crate::error`]).
pub async fn open_sized(url: &str, size: usize, wait: Duration) -> Result<Pool, AppError> {
    let config: tokio_postgres::Config = url
        .parse()
        .map_err(|e| AppError::setup(format!("the database URL is not valid: {e}")))?;
    let manager = Manager::from_config(
        config,
        NoTls,
        ManagerConfig {
            recycling_method: RecyclingMethod::Fast,
        },
    );
    let timeouts = Timeouts {
        wait: Some(wait),
        create: Some(Duration::from_secs(10)),
        recycle: Some(Duration::from_secs(10)),
    };
    let pool = Pool::builder(manager)
        .max_size(size.max(1))
        .runtime(Runtime::Tokio1)
        .timeouts(timeouts)
        .build()
        .map_err(|e| AppError::setup(format!("cannot build the database pool: {e}")))?;
    migrate(&pool).await?;
    Ok(pool)
}

async fn migrate(pool: &Pool) -> Result<(), AppError> {
    let mut client = pool.get().await?;
    let tx = client.transaction().await?;
    tx.execute("SELECT pg_advisory_xact_lock($1)", &[&MIGRATION_LOCK])
        .await?;
    tx.batch_execute(
        "CREATE TABLE IF NOT EXISTS portal_schema (version integer PRIMARY KEY, \
         applied_at timestamptz NOT NULL DEFAULT now())",
    )
    .await?;
    let applied: Vec<i32> = tx
        .query("SELECT version FROM portal_schema", &[])
        .await?
        .iter()
        .map(|row| row.get(0))
        .collect();
    let found = applied.iter().copied().max().unwrap_or(0);
    let known = MIGRATIONS.last().map_or(0, |m| m.0);
    if found > known {
        return Err(AppError::setup(format!(
            "the database has portal schema {found}, newer than this build knows ({known}); \
             update appdesk-portal"
        )));
    }
    for &(version, name, sql) in MIGRATIONS.iter().filter(|m| !applied.contains(&m.0)) {
        tx.batch_execute(sql).await.map_err(|e| {
            // PostgreSQL's own words (a bare `db error` otherwise).
            let why = e
                .as_db_error()
                .map_or(e.to_string(), |d| d.message().to_owned());
            AppError::setup(format!("migration {name} failed: {why}"))
        })?;
        tx.execute(
            "INSERT INTO portal_schema (version) VALUES ($1)",
            &[&version],
        )
        .await?;
    }
    tx.commit().await?;
    Ok(())
}

/// The schema version this build migrates to.
pub fn schema_version() -> i32 {
    MIGRATIONS.last().map_or(0, |m| m.0)
}

/// Refuses a key file other than the one this database's secrets were sealed
/// with: a check value sealed on first use must open. (Only the check value is
/// stored, never the key.)
pub async fn check_key(pool: &Pool, key: &SecretKey) -> Result<(), AppError> {
    const CHECK: &str = "appdesk-portal key check";
    let client = pool.get().await?;
    let sealed = key.seal(CHECK, "key_check")?;
    client
        .execute(
            "INSERT INTO key_check (sealed) VALUES ($1) ON CONFLICT DO NOTHING",
            &[&sealed],
        )
        .await?;
    let stored: Vec<u8> = client
        .query_one("SELECT sealed FROM key_check", &[])
        .await?
        .get(0);
    match key.open(&stored, "key_check") {
        Ok(text) if text == CHECK => Ok(()),
        _ => Err(AppError::setup(format!(
            "the key file {} is not the one this database's secrets were sealed with",
            key.path().display()
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_list_matches_the_migrations_folder() {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../../migrations/portal");
        let mut files: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .filter(|n| n.ends_with(".sql"))
            .collect();
        files.sort();
        let listed: Vec<&str> = MIGRATIONS.iter().map(|m| m.1).collect();
        assert_eq!(files, listed);
        for pair in MIGRATIONS.windows(2) {
            assert!(pair[0].0 < pair[1].0, "{} before {}", pair[0].1, pair[1].1);
        }
        for m in MIGRATIONS {
            assert!(m.1.starts_with(&format!("{:04}_", m.0)));
        }
    }
}

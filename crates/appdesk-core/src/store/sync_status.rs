//! What the window's sync status shows at a glance (issue 10 §6): the linked
//! remote, when it last synced, how many local changes wait to be pushed, and
//! how many conflicts wait to be resolved. One read, so the counts agree.
//! Whether the portal is reachable is not stored: the caller knows it from
//! its last attempt.

use rusqlite::OptionalExtension;
use serde::Serialize;

use super::Store;
use crate::error::Result;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct SyncStatus {
    /// The linked remote's name; `None`: not linked (offline only).
    pub remote: Option<String>,
    pub url: Option<String>,
    pub last_synced_at: Option<String>,
    /// Intents in the outbox, not yet acknowledged by the portal.
    pub pending: i64,
    /// Apps with a pending creation or version (shown as pending in history).
    pub pending_apps: i64,
    pub conflicts: i64,
}

impl Store {
    pub fn sync_status(&self) -> Result<SyncStatus> {
        self.read(|conn| {
            let linked: Option<(String, String, Option<String>)> = conn
                .query_row(
                    "SELECT r.name, r.url, s.last_synced_at FROM remotes r
                     LEFT JOIN sync_state s ON s.remote = r.name ORDER BY r.name LIMIT 1",
                    [],
                    |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
                )
                .optional()?;
            let count = |sql: &str| -> Result<i64> { Ok(conn.query_row(sql, [], |r| r.get(0))?) };
            let pending = count("SELECT count(*) FROM outbox")?;
            let pending_apps = count("SELECT count(DISTINCT app_id) FROM outbox")?;
            let conflicts = count("SELECT count(*) FROM conflicts")?;
            let (remote, url, last_synced_at) = match linked {
                Some((n, u, l)) => (Some(n), Some(u), l),
                None => (None, None, None),
            };
            Ok(SyncStatus {
                remote,
                url,
                last_synced_at,
                pending,
                pending_apps,
                conflicts,
            })
        })
    }
}

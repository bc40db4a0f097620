//! The connections in effect for an app: the portal's (`portal_connections`,
//! replaced by each pull) in a linked database, its own (`connections`, left
//! as it was while linked) otherwise (issue 10 §5). Every reader of "an app's
//! connections" asks [`InEffect`] which table that is: the apps list's counts,
//! behind filter and sort and client-ID search, the scope preview, the ledger
//! and the state a decision reads. So no reader names a connections table for
//! that question, and the rule is said here only.
//!
//! Why not a SQL view with `UNION ALL` over both tables: SQLite does not push
//! a correlated term (`c.app_id = a.id`) into a compound view, so the apps
//! list's behind filter and sort would rebuild the whole view for each app
//! (its query plan: every connection scanned into an automatic index, per
//! app). A query instead names the one table in effect, chosen once per
//! query, and costs what it did.
//!
//! Writes still name their table: a local action writes `connections` (and is
//! refused in a linked database), a pull writes `portal_connections`. A
//! connection's secrets and rotation are local only and read `connections`.

use rusqlite::{Connection, params};

use super::outbox;
use crate::decide::ConnectionState;
use crate::error::Result;

/// Which table holds the connections in effect.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct InEffect {
    portal: bool,
}

impl InEffect {
    /// The portal's in a linked database, else the local ones.
    pub fn of(conn: &Connection) -> Result<Self> {
        Ok(Self {
            portal: outbox::linked(conn)?.is_some(),
        })
    }

    /// Whether they are the portal's.
    pub fn portal(self) -> bool {
        self.portal
    }

    /// The table, for a query's FROM. Both have the columns `app_id`,
    /// `tenant_id`, `environment`, `version`, `status` and `client_id`.
    pub fn table(self) -> &'static str {
        if self.portal {
            "portal_connections"
        } else {
            "connections"
        }
    }

    /// A connection's id: a portal row has none (nothing local writes it),
    /// so it gets one that no local row can have.
    fn id(self) -> &'static str {
        if self.portal {
            "'portal:' || app_id || ':' || tenant_id || ':' || environment"
        } else {
            "id"
        }
    }
}

/// The connections in effect of the app `app_id`, by tenant and environment,
/// as the decisions read them: only those on a version before `before` and of
/// `tenant`, when given.
pub(super) fn states(
    conn: &Connection,
    app_id: &str,
    before: Option<i64>,
    tenant: Option<&str>,
) -> Result<Vec<ConnectionState>> {
    let from = InEffect::of(conn)?;
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {}, tenant_id, environment, version, status, client_id FROM {}
         WHERE app_id = ?1 AND (?2 IS NULL OR version < ?2) AND (?3 IS NULL OR tenant_id = ?3)
         ORDER BY tenant_id, environment",
        from.id(),
        from.table()
    ))?;
    let found = stmt
        .query_map(params![app_id, before, tenant], |r| {
            Ok(ConnectionState {
                id: r.get(0)?,
                tenant_id: r.get(1)?,
                environment: super::rows::parse_col(r, 2)?,
                version: r.get(3)?,
                status: super::rows::parse_col(r, 4)?,
                client_id: r.get(5)?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    Ok(found)
}

/// How many connections in effect the app `app_id` has; with `before`, only
/// those on a version before it.
pub(super) fn count(conn: &Connection, app_id: &str, before: Option<i64>) -> Result<i64> {
    let table = InEffect::of(conn)?.table();
    Ok(conn
        .prepare_cached(&format!(
            "SELECT count(*) FROM {table} WHERE app_id = ?1 AND (?2 IS NULL OR version < ?2)"
        ))?
        .query_row(params![app_id, before], |r| r.get(0))?)
}

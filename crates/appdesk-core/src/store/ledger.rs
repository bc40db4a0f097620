//! The ledger of connections behind and upgrade requests (issue 12, part 1),
//! over SQLite: load what [`decide::behind`] and [`decide::request_upgrade`]
//! read, call them, write the requests. No rule here.

use rusqlite::{Connection, params};

use super::in_effect::InEffect;
use super::rows::{self, AppRow};
use super::{Store, in_effect, state};
use crate::decide::{
    self, BehindEntry, LedgerApp, RequestState, RequestTarget, UpgradeNotes, UpgradeRequest,
    VersionEntry,
};
use crate::error::Result;
use crate::scope::ScopeSet;

/// In SQL, whether connection `c` (of the table [`InEffect`]) of app `a` is
/// behind the app's latest version: the ledger's test ([`decide::behind`]
/// reads the same), which the apps list's "behind" filter and sort use too.
pub(super) const CONNECTION_BEHIND: &str = "c.version < a.current_version";

impl Store {
    /// Every connection behind its app's latest version, oldest first; only
    /// the app `app` (id, key or name) and the tenant `tenant` when given.
    pub fn behind(&self, app: Option<&str>, tenant: Option<&str>) -> Result<Vec<BehindEntry>> {
        let tenant = tenant.map(decide::tenant_id).transpose()?;
        let now = super::now();
        self.read(|conn| {
            let only = app.map(|a| rows::resolve(conn, a)).transpose()?;
            let table = InEffect::of(conn)?.table();
            let mut stmt = conn.prepare_cached(&format!(
                "SELECT DISTINCT a.id FROM {table} c JOIN apps a ON a.id = c.app_id
                 WHERE {CONNECTION_BEHIND}
                   AND (?1 IS NULL OR a.id = ?1) AND (?2 IS NULL OR c.tenant_id = ?2)"
            ))?;
            let ids: Vec<String> = stmt
                .query_map(params![only.as_ref().map(|r| &r.id), tenant], |r| r.get(0))?
                .collect::<rusqlite::Result<_>>()?;
            let apps = ids
                .iter()
                .map(|id| ledger_app(conn, &rows::app_row(conn, id)?, tenant.as_deref()))
                .collect::<Result<Vec<_>>>()?;
            decide::behind(&apps, &now)
        })
    }

    /// Records that the tenants of `target` were asked to upgrade `app` to its
    /// latest version; returns the requests made. In a linked database each
    /// is also queued for the portal, which the next sync sends it to
    /// ([`Store::sync_requests_to_send`]).
    pub fn request_upgrade(
        &self,
        app: &str,
        target: RequestTarget<'_>,
    ) -> Result<Vec<UpgradeRequest>> {
        let stamp = self.stamp();
        self.write(|conn| {
            let row = rows::resolve(conn, app)?;
            let loaded = state::load(conn, &row)?;
            let latest = loaded.version;
            let notes = |from: i64| -> Result<String> {
                Ok(self.notes_between(conn, &row, from, latest)?.text())
            };
            let (requests, log) = decide::request_upgrade(&loaded, target, &notes, &stamp)?;
            // In a linked database, the next sync sends it to the portal.
            let remote = super::outbox::linked(conn)?;
            let state = remote.as_ref().map(|_| "queued");
            let mut insert = conn.prepare_cached(
                "INSERT INTO upgrade_requests (id, app_id, tenant_id, environment, from_version,
                     to_version, notes, requested_at, requested_by, send_remote, send_state)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
            )?;
            for r in &requests {
                insert.execute(params![
                    r.id,
                    r.app_id,
                    r.tenant_id,
                    r.environment.as_str(),
                    r.from_version,
                    r.to_version,
                    r.notes,
                    r.requested_at,
                    r.requested_by,
                    remote,
                    state
                ])?;
            }
            state::record_all(conn, &stamp, &log)?;
            Ok(requests)
        })
    }

    /// The upgrade notes of `app` from version `from` to `to`; by default from
    /// the oldest version a connection is on, to the latest.
    pub fn notes(&self, app: &str, from: Option<i64>, to: Option<i64>) -> Result<UpgradeNotes> {
        self.read(|conn| {
            let row = rows::resolve(conn, app)?;
            let (from, to) = decide::notes_range(&state::load(conn, &row)?, from, to)?;
            self.notes_between(conn, &row, from, to)
        })
    }

    fn notes_between(
        &self,
        conn: &Connection,
        row: &AppRow,
        from: i64,
        to: i64,
    ) -> Result<UpgradeNotes> {
        let set = |v| rows::version_scopes(conn, &row.id, v).map(|s| ScopeSet::from_stored(&s));
        Ok(decide::upgrade_notes(
            &row.name,
            (from, &set(from)?),
            (to, &set(to)?),
            self.catalog(),
        ))
    }
}

/// One app's versions, its connections behind (of `tenant` if given) and
/// their upgrade requests.
fn ledger_app(conn: &Connection, row: &AppRow, tenant: Option<&str>) -> Result<LedgerApp> {
    let latest = row.version()?;
    let mut stmt =
        conn.prepare_cached("SELECT version, scopes, created_at FROM versions WHERE app_id = ?1")?;
    let raw: Vec<(i64, String, String)> = stmt
        .query_map([&row.id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
        .collect::<rusqlite::Result<_>>()?;
    let versions = raw
        .into_iter()
        .map(|(version, json, created_at)| {
            Ok(VersionEntry {
                version,
                scopes: ScopeSet::from_stored(&rows::decode_scopes(&json, &row.id, version)?),
                created_at,
            })
        })
        .collect::<Result<_>>()?;
    let connections = in_effect::states(conn, &row.id, Some(latest), tenant)?;
    let mut stmt = conn.prepare_cached(
        "SELECT tenant_id, environment, to_version, requested_at FROM upgrade_requests
         WHERE app_id = ?1",
    )?;
    let requests = stmt
        .query_map([&row.id], |r| {
            Ok(RequestState {
                tenant_id: r.get(0)?,
                environment: rows::parse_col(r, 1)?,
                to_version: r.get(2)?,
                requested_at: r.get(3)?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    Ok(LedgerApp {
        id: row.id.clone(),
        name: row.name.clone(),
        latest_version: latest,
        versions,
        connections,
        requests,
    })
}

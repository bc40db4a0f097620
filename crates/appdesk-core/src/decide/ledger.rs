//! The ledger of connections behind (issue 12, part 1), and upgrade requests.
//!
//! A connection is behind when it runs an older version than its app's latest
//! (R8). The ledger says since when (the date the next version was made), by
//! how many versions, and what the tenant would gain and lose; an upgrade
//! request records that the developer asked the tenant's admin to upgrade.
//!
//! Pure: the caller loads the versions, connections and requests and passes
//! the time; nothing here reads a clock or a table.

use chrono::{DateTime, Utc};
use serde::Serialize;

use super::connections::required;
use super::{Action, Activity, AppState, ConnectionState, Stamp, new_id};
use crate::error::{Error, Result};
use crate::model::Environment;
use crate::scope::ScopeSet;

/// One version of an app as the ledger reads it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VersionEntry {
    pub version: i64,
    pub scopes: ScopeSet,
    /// RFC 3339 UTC.
    pub created_at: String,
}

/// An upgrade request as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequestState {
    pub tenant_id: String,
    pub environment: Environment,
    pub to_version: i64,
    /// RFC 3339 UTC.
    pub requested_at: String,
}

/// What the ledger reads about one app.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LedgerApp {
    pub id: String,
    pub name: String,
    pub latest_version: i64,
    /// Every version of the app, in any order.
    pub versions: Vec<VersionEntry>,
    pub connections: Vec<ConnectionState>,
    pub requests: Vec<RequestState>,
}

/// The latest upgrade request of a connection behind: `{requestedAt,
/// toVersion, stale}` in `appdesk behind --json`; the text says how many days
/// ago.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct RequestMark {
    /// RFC 3339 UTC, as stored.
    pub requested_at: String,
    pub to_version: i64,
    #[serde(skip)]
    pub days_ago: i64,
    /// A newer version appeared since the request: it asked for an old one.
    pub stale: bool,
}

impl RequestMark {
    /// How the ledger says it: "requested 3 days ago", or that it went stale.
    pub fn describe(&self) -> String {
        if self.stale {
            format!("stale (asked for version {})", self.to_version)
        } else {
            format!("requested {} days ago", self.days_ago)
        }
    }
}

/// One connection behind. Its JSON is the issue's ten fields and the latest
/// upgrade request (`null` if none); the days are for the text and the window.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct BehindEntry {
    pub app_id: String,
    pub app_name: String,
    pub tenant_id: String,
    pub environment: Environment,
    pub version: i64,
    pub latest_version: i64,
    pub versions_behind: i64,
    /// When the version after the connection's was made.
    pub behind_since: String,
    pub gains: Vec<String>,
    pub loses: Vec<String>,
    #[serde(skip)]
    pub days_behind: i64,
    pub request: Option<RequestMark>,
}

/// Every connection behind, oldest first (longest behind), then by app name,
/// tenant and environment. `now` is RFC 3339.
pub fn behind(apps: &[LedgerApp], now: &str) -> Result<Vec<BehindEntry>> {
    let now = instant(now, "now", "now")?;
    let mut out = Vec::new();
    for app in apps {
        let version = |n: i64| {
            app.versions.iter().find(|v| v.version == n).ok_or_else(|| {
                corrupt(
                    "versions",
                    &format!("{} version {n}", app.id),
                    "version",
                    "missing",
                )
            })
        };
        let latest = version(app.latest_version)?;
        for c in app
            .connections
            .iter()
            .filter(|c| c.version < app.latest_version)
        {
            let next = version(c.version + 1)?;
            let diff = version(c.version)?.scopes.diff(&latest.scopes);
            let request = app
                .requests
                .iter()
                .filter(|r| r.tenant_id == c.tenant_id && r.environment == c.environment)
                .max_by(|a, b| a.requested_at.cmp(&b.requested_at))
                .map(|r| -> Result<RequestMark> {
                    Ok(RequestMark {
                        requested_at: r.requested_at.clone(),
                        to_version: r.to_version,
                        days_ago: days_between(
                            instant(&r.requested_at, "upgrade_requests", "requested_at")?,
                            now,
                        ),
                        stale: super::is_stale(r.to_version, app.latest_version),
                    })
                })
                .transpose()?;
            out.push(BehindEntry {
                app_id: app.id.clone(),
                app_name: app.name.clone(),
                tenant_id: c.tenant_id.clone(),
                environment: c.environment,
                version: c.version,
                latest_version: app.latest_version,
                versions_behind: super::versions_behind(c.version, app.latest_version),
                behind_since: next.created_at.clone(),
                gains: diff.added.to_strings(),
                loses: diff.removed.to_strings(),
                days_behind: days_between(
                    instant(&next.created_at, "versions", "created_at")?,
                    now,
                ),
                request,
            });
        }
    }
    out.sort_by(|a, b| {
        (
            &a.behind_since,
            &a.app_name,
            &a.tenant_id,
            a.environment.as_str(),
        )
            .cmp(&(
                &b.behind_since,
                &b.app_name,
                &b.tenant_id,
                b.environment.as_str(),
            ))
    });
    Ok(out)
}

/// An upgrade request to persist.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct UpgradeRequest {
    pub id: String,
    pub app_id: String,
    pub app_name: String,
    pub tenant_id: String,
    pub environment: Environment,
    pub from_version: i64,
    pub to_version: i64,
    pub notes: String,
    pub requested_at: String,
    pub requested_by: String,
}

/// Which connections an upgrade request is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RequestTarget<'a> {
    /// One tenant, in one environment or (`None`) each of its connections behind.
    Tenant(&'a str, Option<Environment>),
    /// Every connection behind on the app (the bulk form).
    All,
}

/// Records that the developer asked tenants to upgrade to the latest version,
/// each request with its notes: `notes(from_version)`, what the upgrade from
/// that version means for them. A named tenant with no connection behind is
/// `not_allowed`; the bulk form with none asks nothing.
pub fn request_upgrade(
    app: &AppState,
    target: RequestTarget<'_>,
    notes: &dyn Fn(i64) -> Result<String>,
    stamp: &Stamp,
) -> Result<(Vec<UpgradeRequest>, Vec<Activity>)> {
    let chosen: Vec<&ConnectionState> = match target {
        RequestTarget::All => app
            .connections
            .iter()
            .filter(|c| c.version < app.version)
            .collect(),
        RequestTarget::Tenant(tenant, Some(env)) => vec![required(app, tenant, env)?],
        RequestTarget::Tenant(tenant, None) => {
            let tenant = tenant.trim();
            let all: Vec<_> = app
                .connections
                .iter()
                .filter(|c| c.tenant_id == tenant)
                .collect();
            if all.is_empty() {
                return Err(Error::not_allowed(
                    Some("tenant"),
                    format!("tenant {tenant} has no connection to {:?}", app.fields.name),
                ));
            }
            all.into_iter()
                .filter(|c| c.version < app.version)
                .collect()
        }
    };
    if let RequestTarget::Tenant(tenant, _) = target
        && chosen.iter().all(|c| c.version >= app.version)
    {
        return Err(Error::not_allowed(
            Some("tenant"),
            format!(
                "tenant {} is on the latest version ({}) of {:?}; there is nothing to request",
                tenant.trim(),
                app.version,
                app.fields.name
            ),
        ));
    }
    let mut requests = Vec::new();
    let mut log = Vec::new();
    for c in chosen.into_iter().filter(|c| c.version < app.version) {
        let request = UpgradeRequest {
            id: new_id(),
            app_id: app.id.clone(),
            app_name: app.fields.name.clone(),
            tenant_id: c.tenant_id.clone(),
            environment: c.environment,
            from_version: c.version,
            to_version: app.version,
            notes: notes(c.version)?,
            requested_at: stamp.at.clone(),
            requested_by: stamp.user.clone(),
        };
        log.push(request.activity());
        requests.push(request);
    }
    Ok((requests, log))
}

impl UpgradeRequest {
    /// The activity log's line for this request.
    pub fn activity(&self) -> Activity {
        Activity {
            app_id: self.app_id.clone(),
            app_name: self.app_name.clone(),
            action: Action::UpgradeRequest,
            summary: format!(
                "tenant {} in {}: asked to upgrade from version {} to {}",
                self.tenant_id, self.environment, self.from_version, self.to_version
            ),
        }
    }
}

/// Whole days from `from` to `to` (0 when `to` is not later).
pub fn days_between(from: DateTime<Utc>, to: DateTime<Utc>) -> i64 {
    (to - from).num_days().max(0)
}

/// A stored time; one that does not parse is corruption, not "now".
pub(super) fn instant(text: &str, table: &str, column: &str) -> Result<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(text)
        .map(|t| t.with_timezone(&Utc))
        .map_err(|e| corrupt(table, text, column, &format!("not an RFC 3339 time: {e}")))
}

fn corrupt(table: &str, row: &str, column: &str, reason: &str) -> Error {
    Error::Corrupt {
        table: table.to_owned(),
        row: row.to_owned(),
        column: column.to_owned(),
        reason: reason.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::ConnectionStatus;

    fn set(items: &[&str]) -> ScopeSet {
        ScopeSet::from_stored(items)
    }

    fn conn(tenant: &str, version: i64) -> ConnectionState {
        ConnectionState {
            id: format!("c-{tenant}"),
            tenant_id: tenant.into(),
            environment: Environment::Production,
            version,
            status: ConnectionStatus::Active,
            client_id: format!("cid.{tenant}"),
        }
    }

    fn app() -> LedgerApp {
        let v = |n, s: &[&str], at: &str| VersionEntry {
            version: n,
            scopes: set(s),
            created_at: at.into(),
        };
        LedgerApp {
            id: "a".into(),
            name: "Dispatch".into(),
            latest_version: 3,
            versions: vec![
                v(1, &["tn.crm.customers:r"], "2026-01-01T00:00:00.000Z"),
                v(
                    2,
                    &["tn.crm.customers:r", "tn.jpm.jobs:r"],
                    "2026-02-01T00:00:00.000Z",
                ),
                v(
                    3,
                    &["tn.jpm.jobs:r", "tn.jpm.jobs:w"],
                    "2026-03-01T12:00:00.000Z",
                ),
            ],
            connections: vec![conn("1", 1), conn("2", 2), conn("3", 3)],
            requests: vec![RequestState {
                tenant_id: "2".into(),
                environment: Environment::Production,
                to_version: 2,
                requested_at: "2026-03-01T00:00:00.000Z".into(),
            }],
        }
    }

    #[test]
    fn the_ledger_lists_connections_behind_oldest_first_with_gains_and_losses() {
        let got = behind(&[app()], "2026-03-11T00:00:00.000Z").unwrap();
        assert_eq!(got.len(), 2, "tenant 3 is on the latest version");
        assert_eq!(got[0].tenant_id, "1");
        assert_eq!(got[0].versions_behind, 2);
        assert_eq!(got[0].behind_since, "2026-02-01T00:00:00.000Z");
        assert_eq!(got[0].days_behind, 38);
        assert_eq!(got[0].gains, ["tn.jpm.jobs:r", "tn.jpm.jobs:w"]);
        assert_eq!(got[0].loses, ["tn.crm.customers:r"]);
        assert_eq!(got[1].tenant_id, "2");
        assert_eq!(got[1].days_behind, 9, "9.5 days round down");
        let mark = got[1].request.as_ref().unwrap();
        assert!(mark.stale, "asked for 2, the latest is now 3");
        assert_eq!(mark.days_ago, 10);
    }

    #[test]
    fn a_missing_version_row_is_an_error_not_a_guess() {
        let mut a = app();
        a.versions.retain(|v| v.version != 2);
        assert!(behind(&[a], "2026-03-11T00:00:00.000Z").is_err());
    }
}

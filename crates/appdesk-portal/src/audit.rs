//! The audit log (issue 22 §3): who did what, to what, with what outcome,
//! from which address. Every write over HTTP (allowed, refused or failed),
//! sign-in and sign-out pass through [`writes`], a layer around the routes:
//! a write that is made records its entry in its own transaction
//! ([`record_in`], from `idempotency::run`; members' changes from
//! [`crate::members`]), and the layer records the rest once the answer is
//! known. The server's commands (token create and revoke, member changes)
//! record theirs with [`record`] in the transaction of their change.
//!
//! An entry never holds a token, a secret or a body: the actor is a user's
//! name, the target an app's id, a user or a token's prefix, and a path is
//! taken through the request log's redaction ([`crate::log::loggable`]).
//! This module does not decide who may read the log: the routes do
//! ([`crate::role::Role::require_owner`]).

use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use axum::extract::{ConnectInfo, Request, State};
use axum::http::{HeaderMap, Method};
use axum::middleware::Next;
use axum::response::Response;
use deadpool_postgres::GenericClient;

use crate::error::AppError;
use crate::log::Who;
use crate::server::Shared;

/// The actor of the server's own commands, and their address.
pub const COMMAND_LINE: &str = "(command line)";
pub const LOCAL: &str = "local";
/// The actor of a sign-in with no valid token.
const ANONYMOUS: &str = "(anonymous)";

/// One entry, as [`record`] writes it (`at` is the database's clock).
#[derive(Debug, Clone)]
pub struct Entry<'a> {
    pub workspace: Option<uuid::Uuid>,
    pub actor: &'a str,
    pub action: &'a str,
    pub target: &'a str,
    pub outcome: &'a str,
    pub ip: &'a str,
}

/// Writes `entry`, in the caller's transaction when `client` is one.
pub async fn record(client: &impl GenericClient, entry: &Entry<'_>) -> Result<(), AppError> {
    crate::cached::execute(
        client,
        "INSERT INTO audit (workspace_id, actor, action, target, outcome, ip) \
         VALUES ($1, $2, $3, $4, $5, $6)",
        &[
            &entry.workspace,
            &entry.actor,
            &entry.action,
            &entry.target,
            &entry.outcome,
            &entry.ip,
        ],
    )
    .await?;
    Ok(())
}

/// The entry of the request being served, for the write's own transaction
/// to record ([`record_in`]); [`writes`] records it only when the write did
/// not (a refusal, a failure, a replayed answer).
#[derive(Debug)]
struct Pending {
    action: String,
    target: String,
    ip: String,
    recorded: AtomicBool,
}

tokio::task_local! {
    static PENDING: Arc<Pending>;
}

/// Proof that [`record_in`] wrote the entry in a transaction; [`Noted::committed`]
/// once that transaction committed tells [`writes`] not to write it again.
#[derive(Debug)]
pub struct Noted(Option<Arc<Pending>>);

impl Noted {
    pub fn committed(self) {
        if let Some(pending) = self.0 {
            pending.recorded.store(true, Ordering::SeqCst);
        }
    }
}

/// Records the entry of the request being served, as `ok`, in the write's
/// transaction `tx`, by `caller`; `app` names a new app (the path does not).
/// Outside a request (no [`writes`] around it) it records nothing.
pub async fn record_in(
    tx: &impl GenericClient,
    caller: &crate::auth::Caller,
    app: Option<&str>,
) -> Result<Noted, AppError> {
    let Ok(pending) = PENDING.try_with(Arc::clone) else {
        return Ok(Noted(None));
    };
    let target = match app {
        Some(id) if pending.action == "app.create" => id,
        _ => &pending.target,
    };
    let entry = Entry {
        workspace: Some(caller.workspace),
        actor: &caller.user,
        action: &pending.action,
        target,
        outcome: "ok",
        ip: &pending.ip,
    };
    record(tx, &entry).await?;
    Ok(Noted(Some(pending)))
}

/// The client's address as [`writes`] found it, for a handler that records
/// its own entry in its transaction (a member change).
#[derive(Debug, Clone)]
pub struct ClientIp(pub String);

/// A network in CIDR form (`10.0.0.0/8`, `::1/128`, or one address): a
/// `--trusted-proxy`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cidr {
    net: IpAddr,
    bits: u8,
}

impl Cidr {
    /// Refuses anything but an address with an optional `/bits` in range,
    /// naming the text.
    pub fn parse(text: &str) -> Result<Cidr, AppError> {
        let bad = || {
            AppError::setup(format!(
                "--trusted-proxy {text:?} is not an address or network (e.g. 10.0.0.0/8, \
                 192.0.2.7, ::1/128)"
            ))
        };
        let (addr, bits) = match text.trim().split_once('/') {
            Some((addr, bits)) => (addr, Some(bits)),
            None => (text.trim(), None),
        };
        let net: IpAddr = addr.parse().map_err(|_| bad())?;
        let max = if net.is_ipv4() { 32 } else { 128 };
        let bits = match bits {
            Some(bits) => bits
                .parse::<u8>()
                .ok()
                .filter(|b| *b <= max)
                .ok_or_else(bad)?,
            None => max,
        };
        Ok(Cidr { net, bits })
    }

    pub fn contains(&self, ip: IpAddr) -> bool {
        let ip = match ip {
            IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(ip, IpAddr::V4),
            v4 => v4,
        };
        match (self.net, ip) {
            (IpAddr::V4(net), IpAddr::V4(ip)) => prefix_matches(
                u128::from(u32::from(net)) << 96,
                u128::from(u32::from(ip)) << 96,
                self.bits,
            ),
            (IpAddr::V6(net), IpAddr::V6(ip)) => {
                prefix_matches(u128::from(net), u128::from(ip), self.bits)
            }
            _ => false,
        }
    }
}

fn prefix_matches(net: u128, ip: u128, bits: u8) -> bool {
    let mask = if bits == 0 {
        0
    } else {
        u128::MAX << (128 - u32::from(bits))
    };
    net & mask == ip & mask
}

/// The client's address: the peer's, or the first `X-Forwarded-For` hop
/// when the peer is within a trusted proxy (and the hop is an address).
pub fn client_ip(peer: Option<IpAddr>, headers: &HeaderMap, trusted: &[Cidr]) -> String {
    let Some(peer) = peer else {
        return "unknown".to_owned();
    };
    if trusted.iter().any(|net| net.contains(peer)) {
        let first = headers
            .get_all("x-forwarded-for")
            .iter()
            .next()
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.split(',').next())
            .and_then(|hop| hop.trim().parse::<IpAddr>().ok());
        if let Some(hop) = first {
            return hop.to_string();
        }
    }
    match peer {
        IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(peer, IpAddr::V4).to_string(),
        v4 => v4.to_string(),
    }
}

/// The action and target of a write to `path` (as the request log may
/// hold it); `None` for a request that is not audited (a read).
fn action_of(method: &Method, path: &str) -> Option<(String, String)> {
    if crate::origin::is_read(method) {
        return None;
    }
    let decoded = |s: &str| {
        percent_encoding::percent_decode_str(s)
            .decode_utf8_lossy()
            .into_owned()
    };
    let segments: Vec<&str> = path.trim_start_matches('/').split('/').collect();
    let named = |action: &str, target: String| Some((action.to_owned(), target));
    match (method.as_str(), segments.as_slice()) {
        ("POST", ["auth", "session"]) => named("sign_in", "session".into()),
        ("DELETE", ["auth", "session"]) => named("sign_out", "session".into()),
        ("POST", ["v1", "apps"]) => named("app.create", "apps".into()),
        ("PATCH", ["v1", "apps", id]) => named("app.patch", decoded(id)),
        ("DELETE", ["v1", "apps", id]) => named("app.delete", decoded(id)),
        ("POST", ["v1", "apps", id, "connections"]) => named("connection.create", decoded(id)),
        ("POST", ["v1", "apps", id, "connections", tenant, environment, action]) => named(
            &format!("connection.{}", decoded(action)),
            format!(
                "{}/{}/{}",
                decoded(id),
                decoded(tenant),
                decoded(environment)
            ),
        ),
        ("POST", ["v1", "apps", id, "upgrade-requests"]) => {
            named("upgrade_request.create", decoded(id))
        }
        ("POST", ["v1", "members"]) => named("member.add", "members".into()),
        ("DELETE", ["v1", "members", user]) => named("member.remove", decoded(user)),
        (m, _) => Some((format!("{m} {path}"), path.to_owned())),
    }
}

/// `ok` for a success, `refused` for 401 and 403, `failed` for any other.
fn outcome_of(status: u16) -> &'static str {
    match status {
        401 | 403 => "refused",
        s if s < 400 => "ok",
        _ => "failed",
    }
}

/// The layer that records every write under `/v1` and `/auth`, once its
/// answer is known. A request no token speaks for is recorded only when it
/// is a sign-in (a failed one is worth knowing; anything else would let
/// anyone fill the log).
pub async fn writes(State(portal): State<Shared>, mut request: Request, next: Next) -> Response {
    let method = request.method().clone();
    let path = crate::log::loggable(request.uri().path());
    let audited = (path.starts_with("/v1/") || path == "/auth/session")
        .then(|| action_of(&method, &path))
        .flatten();
    let Some((action, target)) = audited else {
        return next.run(request).await;
    };
    let peer = request
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|c| c.0.ip());
    let ip = client_ip(peer, request.headers(), &portal.trusted_proxies);
    let who = request.extensions().get::<Who>().cloned();
    request.extensions_mut().insert(ClientIp(ip.clone()));
    let pending = Arc::new(Pending {
        action: action.clone(),
        target: target.clone(),
        ip: ip.clone(),
        recorded: AtomicBool::new(false),
    });
    let response = PENDING.scope(pending.clone(), next.run(request)).await;
    let outcome = outcome_of(response.status().as_u16());
    // A write that was made recorded itself, in its transaction (a member
    // change always does).
    let recorded = pending.recorded.load(Ordering::SeqCst);
    if recorded || (action.starts_with("member.") && outcome == "ok") {
        return response;
    }
    let (workspace, actor) = who
        .and_then(|w| w.0.lock().ok().and_then(|slot| slot.clone()))
        .map_or((None, None), |(w, u)| {
            (w.parse::<uuid::Uuid>().ok(), Some(u))
        });
    if actor.is_none() && action != "sign_in" {
        return response;
    }
    let entry = Entry {
        workspace,
        actor: actor.as_deref().unwrap_or(ANONYMOUS),
        action: &action,
        target: &target,
        outcome,
        ip: &ip,
    };
    let written = match portal.pool.get().await {
        Ok(client) => record(&client, &entry).await,
        Err(e) => Err(e.into()),
    };
    if let Err(e) = written {
        eprintln!("appdesk-portal: writing the audit log ({action} {target}): {e}");
    }
    response
}

/// Deletes the entries older than `days` days: hourly, from the server's
/// upkeep.
pub async fn prune(pool: &deadpool_postgres::Pool, days: u32) -> Result<u64, AppError> {
    let client = pool.get().await?;
    let days = i32::try_from(days).unwrap_or(i32::MAX);
    crate::cached::execute(
        &client,
        "DELETE FROM audit WHERE at < now() - make_interval(days => $1)",
        &[&days],
    )
    .await
}

/// A moment given as `since`: RFC 3339; anything else is 400 naming `field`.
pub fn since_of(text: &str, field: &str) -> Result<String, AppError> {
    chrono::DateTime::parse_from_rfc3339(text.trim())
        .map(|t| t.to_rfc3339())
        .map_err(|e| {
            AppError::malformed(
                Some(field),
                format!("{text:?} is not an RFC 3339 time (e.g. 2026-01-31T00:00:00Z): {e}"),
            )
        })
}

/// Entries oldest first: of `workspace` (every one when `None`), at or
/// after `since` (RFC 3339, checked by [`since_of`]), after the entry
/// numbered `after`, at most `limit`; with each entry's number.
pub async fn entries(
    client: &impl GenericClient,
    workspace: Option<uuid::Uuid>,
    since: Option<&str>,
    after: i64,
    limit: i64,
) -> Result<Vec<(i64, appdesk_protocol::AuditEntry)>, AppError> {
    let rows = crate::cached::query(
        client,
        "SELECT seq, to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"') AS at, \
                actor, action, target, outcome, ip FROM audit \
          WHERE ($1::uuid IS NULL OR workspace_id = $1) \
            AND ($2::text IS NULL OR at >= $2::text::timestamptz) AND seq > $3 \
          ORDER BY seq LIMIT $4",
        &[&workspace, &since, &after, &limit],
    )
    .await?;
    rows.iter()
        .map(|row| {
            Ok((
                row.try_get("seq")?,
                appdesk_protocol::AuditEntry {
                    at: row.try_get("at")?,
                    actor: row.try_get("actor")?,
                    action: row.try_get("action")?,
                    target: row.try_get("target")?,
                    outcome: row.try_get("outcome")?,
                    ip: row.try_get("ip")?,
                },
            ))
        })
        .collect()
}

/// `audit export`: every entry (of the workspace named `workspace`, since
/// `since`) as JSON lines, oldest first, written to `out` a page at a time.
pub async fn export(
    pool: &deadpool_postgres::Pool,
    since: Option<&str>,
    workspace: Option<&str>,
    out: &mut impl std::io::Write,
) -> Result<(), AppError> {
    let since = since.map(|s| since_of(s, "since")).transpose()?;
    let client = pool.get().await?;
    let workspace = match workspace {
        Some(name) => Some(crate::admin::workspace_named(&client, name).await?),
        None => None,
    };
    let mut after = 0;
    loop {
        let page = entries(&client, workspace, since.as_deref(), after, 1000).await?;
        let Some((last, _)) = page.last() else {
            return Ok(());
        };
        after = *last;
        for (_, entry) in &page {
            let line = serde_json::to_string(entry)
                .map_err(|e| AppError::Internal(format!("an audit entry as JSON: {e}")))?;
            writeln!(out, "{line}")
                .map_err(|e| AppError::setup(format!("writing the export: {e}")))?;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cidr_contains_its_addresses_and_refuses_bad_text() {
        let net = Cidr::parse("10.0.0.0/8").unwrap();
        assert!(net.contains("10.200.3.4".parse().unwrap()));
        assert!(!net.contains("11.0.0.1".parse().unwrap()));
        assert!(net.contains("::ffff:10.1.2.3".parse().unwrap()));
        assert!(
            Cidr::parse("::1/128")
                .unwrap()
                .contains("::1".parse().unwrap())
        );
        assert!(
            Cidr::parse("0.0.0.0/0")
                .unwrap()
                .contains("8.8.8.8".parse().unwrap())
        );
        for bad in ["10.0.0.0/33", "10.0.0/8", "x", "::1/129", "1.2.3.4/"] {
            assert!(Cidr::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn x_forwarded_for_is_taken_only_from_a_trusted_peer() {
        let mut headers = HeaderMap::new();
        headers.insert("x-forwarded-for", "203.0.113.9, 10.0.0.2".parse().unwrap());
        let trusted = [Cidr::parse("127.0.0.0/8").unwrap()];
        let local = Some("127.0.0.1".parse().unwrap());
        let far = Some("192.0.2.1".parse().unwrap());
        assert_eq!(client_ip(local, &headers, &trusted), "203.0.113.9");
        assert_eq!(client_ip(far, &headers, &trusted), "192.0.2.1");
        headers.insert("x-forwarded-for", "not-an-ip".parse().unwrap());
        assert_eq!(client_ip(local, &headers, &trusted), "127.0.0.1");
    }
}

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

use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use axum::extract::{ConnectInfo, Request, State};
use axum::http::Method;
use axum::middleware::Next;
use axum::response::Response;
use deadpool_postgres::GenericClient;

use crate::error::AppError;
use crate::log::Who;
use crate::server::Shared;

mod ip;
mod read;

pub use ip::{Cidr, client_ip};
pub use read::{entries, export, since_of};

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
        ("PATCH", ["v1", "members", user]) => named("member.role", decoded(user)),
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

//! The server: shared state, the router (built in one function), and `serve`.
//!
//! The state is an `Arc` of the pool, the key that seals secrets and the scope
//! catalog; handlers take it, call one function that decides through
//! `appdesk_core::decide` and persists, and return its answer.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use appdesk_core::Catalog;
use appdesk_core::secrets::SecretKey;
use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::routing::{get, post};
use deadpool_postgres::Pool;

use crate::config::ServeLimits;
use crate::error::AppError;
use crate::hygiene::{self, Deadlines};
use crate::{connections, console, feed, health, log, metrics, openapi, session};

/// Request bodies above this get 413.
pub const BODY_LIMIT: usize = 1024 * 1024;

/// What every handler shares.
#[derive(Debug)]
pub struct Portal {
    pub pool: Pool,
    pub key: SecretKey,
    pub catalog: Catalog,
    /// `scheme://host[:port]` of `--public-url`: the console's origin and
    /// scheme, when a proxy in front of the portal decides them.
    pub public_origin: Option<String>,
    /// `--trusted-proxy`: peers whose `X-Forwarded-For` names the client in
    /// the audit log.
    pub trusted_proxies: Vec<crate::audit::Cidr>,
    /// `--audit-retention-days`: older audit entries are deleted hourly.
    pub audit_retention_days: u32,
    /// Request counts and latencies, for `/metrics`.
    pub metrics: Arc<metrics::Metrics>,
    /// Whether and where `/metrics` is served.
    pub metrics_access: metrics::Access,
}

pub type Shared = Arc<Portal>;

/// Every route of the portal, each request within `deadlines` (inside the
/// request log, so that a request stopped at its deadline is logged too).
pub fn router(portal: Shared, deadlines: Deadlines) -> Router {
    let counted = portal.metrics.clone();
    Router::new()
        .route("/openapi.json", get(openapi::serve))
        .route("/healthz", get(health::healthz))
        .route("/readyz", get(health::readyz))
        .route("/metrics", get(metrics::guarded))
        .route("/v1/changes", get(feed::changes))
        .route("/v1/me", get(crate::routes::me))
        .route("/v1/catalog", get(crate::routes::catalog))
        .route(
            "/auth/session",
            post(session::sign_in).delete(session::sign_out),
        )
        .merge(crate::routes::apps())
        .merge(crate::routes::identity())
        // On the routes only (not the console's files): each takes the query
        // parameters hygiene::QUERY_PARAMETERS lists for it, or none.
        .route_layer(axum::middleware::from_fn(hygiene::known_query))
        .fallback(console::serve)
        .layer(DefaultBodyLimit::max(BODY_LIMIT))
        .layer(axum::middleware::from_fn(crate::error::json_errors))
        .layer(axum::middleware::from_fn_with_state(
            portal.clone(),
            crate::audit::writes,
        ))
        .layer(axum::middleware::from_fn_with_state(
            deadlines,
            hygiene::deadlines,
        ))
        .layer(axum::middleware::from_fn(hygiene::head_limits))
        .layer(axum::middleware::from_fn(log::requests))
        .layer(axum::middleware::from_fn_with_state(
            counted,
            metrics::record,
        ))
        .with_state(portal)
}

/// The `--metrics-listen` address's only route.
fn metrics_router(portal: Shared) -> Router {
    Router::new()
        .route("/metrics", get(metrics::open))
        .with_state(portal)
}

/// Serves on `listen` until interrupted, within `limits`; prints the
/// `listening` line first. On SIGTERM or SIGINT, requests in flight may finish
/// for `--drain-timeout`, then it returns anyway.
pub async fn serve(portal: Portal, listen: &str, limits: &ServeLimits) -> Result<(), AppError> {
    let listener = tokio::net::TcpListener::bind(listen)
        .await
        .map_err(|e| AppError::setup(format!("cannot listen on {listen}: {e}")))?;
    let addr: SocketAddr = listener
        .local_addr()
        .map_err(|e| AppError::setup(format!("cannot read the listening address: {e}")))?;
    let portal = Arc::new(portal);
    let seconds = Duration::from_secs;
    let connection_limits = connections::Limits {
        header: seconds(limits.header_timeout),
        idle: seconds(limits.idle_timeout),
        drain: seconds(limits.drain_timeout),
        max_connections: limits.max_connections,
    };
    if let metrics::Access::OwnAddress(at) = &portal.metrics_access {
        let metrics_listener = tokio::net::TcpListener::bind(at)
            .await
            .map_err(|e| AppError::setup(format!("cannot listen for metrics on {at}: {e}")))?;
        let app = metrics_router(portal.clone());
        // The same timeouts and cap as the API's address; it ends with the process.
        let forever = std::future::pending::<()>();
        tokio::spawn(connections::serve(
            metrics_listener,
            app,
            connection_limits,
            forever,
        ));
    }
    tokio::spawn(maintain(portal.clone()));
    let deadlines = Deadlines {
        body: seconds(limits.body_timeout),
        request: seconds(limits.request_timeout),
    };
    let app = router(portal, deadlines);
    log::listening(addr);
    connections::serve(listener, app, connection_limits, stopped()).await;
    Ok(())
}

/// Resolves on SIGINT or SIGTERM: requests in flight finish, then `serve` ends.
async fn stopped() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        if let Ok(mut term) = signal(SignalKind::terminate()) {
            tokio::select! {
                _ = tokio::signal::ctrl_c() => {}
                _ = term.recv() => {}
            }
            return;
        }
    }
    let _ = tokio::signal::ctrl_c().await;
}

/// Hourly, and once at start: forget idempotency keys older than 25 hours
/// (they are promised for at least 24), feed entries older than
/// [`FEED_RETENTION`], console sessions unused for 12 hours, and audit
/// entries older than `--audit-retention-days`.
async fn maintain(portal: Shared) {
    let mut tick = tokio::time::interval(Duration::from_secs(3600));
    loop {
        tick.tick().await;
        if let Err(e) = crate::idempotency::purge(&portal.pool).await {
            eprintln!("appdesk-portal: purging idempotency keys: {e}");
        }
        if let Err(e) = feed::prune_all(&portal.pool, FEED_RETENTION).await {
            eprintln!("appdesk-portal: pruning the change feed: {e}");
        }
        if let Err(e) = session::purge_idle(&portal.pool).await {
            eprintln!("appdesk-portal: deleting idle console sessions: {e}");
        }
        if let Err(e) = crate::audit::prune(&portal.pool, portal.audit_retention_days).await {
            eprintln!("appdesk-portal: deleting old audit entries: {e}");
        }
    }
}

/// How long the change feed keeps an entry: a client offline longer than
/// this lists everything again (410).
pub const FEED_RETENTION: Duration = Duration::from_secs(90 * 24 * 3600);

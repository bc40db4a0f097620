//! `/healthz` and `/readyz`, for a load balancer or an orchestrator; no token.
//!
//! `/healthz` says the process serves (it touches nothing else); `/readyz`
//! says whether this portal can answer requests now: the database answers and
//! holds every migration this build has. Must not write anything.

use std::time::Duration;

use axum::Json;
use axum::extract::State;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;

use crate::db;
use crate::server::Shared;

/// The answer of `/healthz`.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Health {
    /// Always `ok`.
    pub status: String,
}

/// The answer of `/readyz`: `ok`, or what is wrong, for each part.
#[derive(Debug, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Readiness {
    /// `ok` or `unavailable`.
    pub status: String,
    /// `ok`, or why the database did not answer.
    pub database: String,
    /// `ok` when the database holds this build's schema; else which version
    /// was found and which is needed (`unknown` while the database is down).
    pub schema: String,
    /// The highest schema version the database holds, when it answered.
    pub schema_version: Option<i32>,
}

/// How long `/readyz` waits for the database.
const READY_WAIT: Duration = Duration::from_secs(3);

#[utoipa::path(get, path = "/healthz",
    responses((status = 200, description = "The process serves", body = inline(Health))))]
pub async fn healthz() -> Json<Health> {
    Json(Health {
        status: "ok".into(),
    })
}

#[utoipa::path(get, path = "/readyz",
    responses(
        (status = 200, description = "The database answers and holds this build's schema",
         body = inline(Readiness)),
        (status = 503, description = "Not ready: the database does not answer, or its schema \
         is not this build's; the body says which", body = inline(Readiness),
         headers(("Retry-After" = String, description = "Seconds to wait"))),
    ))]
pub async fn readyz(State(portal): State<Shared>) -> Response {
    let needed = db::schema_version();
    let found = tokio::time::timeout(READY_WAIT, async {
        let client = portal.pool.get().await.map_err(|e| e.to_string())?;
        let rows = client
            .query("SELECT version FROM portal_schema", &[])
            .await
            .map_err(|e| e.to_string())?;
        Ok::<Vec<i32>, String>(rows.iter().map(|r| r.get(0)).collect())
    })
    .await
    .unwrap_or_else(|_| Err(format!("no answer within {} s", READY_WAIT.as_secs())));
    let (database, schema, schema_version, ready) = match found {
        Err(why) => (
            format!("unreachable: {why}"),
            "unknown".to_owned(),
            None,
            false,
        ),
        Ok(applied) => {
            let missing: Vec<i32> = db::MIGRATIONS
                .iter()
                .map(|m| m.0)
                .filter(|v| !applied.contains(v))
                .collect();
            let highest = applied.iter().copied().max().unwrap_or(0);
            if missing.is_empty() && highest == needed {
                ("ok".to_owned(), "ok".to_owned(), Some(highest), true)
            } else {
                let text = format!(
                    "the database has schema {highest} without migration(s) {missing:?}; \
                     this build needs {needed} (restart serve to migrate)"
                );
                ("ok".to_owned(), text, Some(highest), false)
            }
        }
    };
    let body = Readiness {
        status: if ready { "ok" } else { "unavailable" }.into(),
        database,
        schema,
        schema_version,
    };
    if ready {
        return Json(body).into_response();
    }
    let mut response = (StatusCode::SERVICE_UNAVAILABLE, Json(body)).into_response();
    response.headers_mut().insert(
        header::RETRY_AFTER,
        HeaderValue::from_static(crate::error::RETRY_AFTER_SECONDS),
    );
    response
}

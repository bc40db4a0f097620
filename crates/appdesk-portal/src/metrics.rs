//! `/metrics`: what an operator watches the portal with, in the Prometheus
//! text format (written by hand: a counter and a histogram are a few numbers
//! behind a lock).
//!
//! Requests are counted and timed by route template (`/v1/apps/{id}`, from
//! axum's `MatchedPath`) and status; a path that matched no route is
//! `unmatched`. The raw path is never a label: it holds ids (and, pasted by
//! mistake, secrets), and would make a series per app. The pool's size, idle
//! connections and waiters are read at scrape time.
//!
//! Metrics are off unless `serve` is given `--metrics-token-file` (then a
//! scrape needs `Authorization: Bearer <token>`) or `--metrics-listen` (then
//! they are served there only, without a token). This module must not log or
//! label anything a request carried besides its method, route and status.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::sync::{Arc, Mutex};
use std::time::Instant;

use axum::extract::{MatchedPath, Request, State};
use axum::http::header::{AUTHORIZATION, CONTENT_TYPE};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use subtle::ConstantTimeEq;

use crate::error::AppError;
use crate::server::Shared;
use appdesk_core::ErrorCode;

/// The upper bounds (seconds) of the latency histogram's buckets.
const BUCKETS: [f64; 12] = [
    0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 10.0,
];

/// One series: method, route template, status.
type Key = (String, String, u16);

#[derive(Debug, Default, Clone)]
struct Series {
    count: u64,
    sum: f64,
    /// Observations at or below each of [`BUCKETS`] (not cumulative here).
    buckets: [u64; BUCKETS.len()],
}

/// The request counters and histograms, shared by every request.
#[derive(Debug, Default)]
pub struct Metrics {
    series: Mutex<BTreeMap<Key, Series>>,
}

/// How `/metrics` may be reached.
#[derive(Debug, Default, Clone)]
pub enum Access {
    /// Not served: `/metrics` is 404.
    #[default]
    Off,
    /// On the API's address, for this bearer token only.
    Token(String),
    /// Only on this `--metrics-listen` address, without a token.
    OwnAddress(String),
}

impl Metrics {
    fn observe(&self, key: Key, seconds: f64) {
        let mut series = self.series.lock().unwrap_or_else(|e| e.into_inner());
        let s = series.entry(key).or_default();
        s.count += 1;
        s.sum += seconds;
        if let Some(i) = BUCKETS.iter().position(|le| seconds <= *le) {
            s.buckets[i] += 1;
        }
    }

    /// The text format of every series, and of the pool's `status`.
    pub fn render(&self, pool: &deadpool_postgres::Status) -> String {
        let series = self
            .series
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone();
        let mut out = String::new();
        out.push_str(
            "# HELP appdesk_portal_http_requests_total Requests answered, by method, route template and status.\n\
             # TYPE appdesk_portal_http_requests_total counter\n",
        );
        for ((method, route, status), s) in &series {
            let labels = labels(method, route, *status);
            let _ = writeln!(
                out,
                "appdesk_portal_http_requests_total{{{labels}}} {}",
                s.count
            );
        }
        out.push_str(
            "# HELP appdesk_portal_http_request_duration_seconds Time to answer, by method, route template and status.\n\
             # TYPE appdesk_portal_http_request_duration_seconds histogram\n",
        );
        let name = "appdesk_portal_http_request_duration_seconds";
        for ((method, route, status), s) in &series {
            let labels = labels(method, route, *status);
            let mut cumulative = 0;
            for (le, n) in BUCKETS.iter().zip(s.buckets) {
                cumulative += n;
                let _ = writeln!(out, "{name}_bucket{{{labels},le=\"{le}\"}} {cumulative}");
            }
            let _ = writeln!(out, "{name}_bucket{{{labels},le=\"+Inf\"}} {}", s.count);
            let _ = writeln!(out, "{name}_sum{{{labels}}} {}", s.sum);
            let _ = writeln!(out, "{name}_count{{{labels}}} {}", s.count);
        }
        for (gauge, help, value) in [
            ("size", "Connections open to PostgreSQL.", pool.size),
            (
                "available",
                "Open connections idle in the pool.",
                pool.available,
            ),
            (
                "waiting",
                "Requests waiting for a connection.",
                pool.waiting,
            ),
            (
                "max_size",
                "The most connections the pool opens.",
                pool.max_size,
            ),
        ] {
            let _ = write!(
                out,
                "# HELP appdesk_portal_db_pool_{gauge} {help}\n\
                 # TYPE appdesk_portal_db_pool_{gauge} gauge\n\
                 appdesk_portal_db_pool_{gauge} {value}\n"
            );
        }
        out
    }
}

fn labels(method: &str, route: &str, status: u16) -> String {
    format!(
        "method=\"{}\",route=\"{}\",status=\"{status}\"",
        escape(method),
        escape(route)
    )
}

/// A label value as the text format wants it.
fn escape(value: &str) -> String {
    value
        .replace('\\', "\\\\")
        .replace('"', "\\\"")
        .replace('\n', "\\n")
}

/// Middleware: times and counts every request under its route template.
pub async fn record(State(metrics): State<Arc<Metrics>>, request: Request, next: Next) -> Response {
    let started = Instant::now();
    let method = request.method().as_str().to_owned();
    let route = request
        .extensions()
        .get::<MatchedPath>()
        .map_or_else(|| "unmatched".to_owned(), |m| m.as_str().to_owned());
    let response = next.run(request).await;
    let seconds = started.elapsed().as_secs_f64();
    metrics.observe((method, route, response.status().as_u16()), seconds);
    response
}

/// `GET /metrics` on the API's address: 404 unless a token file was given,
/// then 401 without that token.
pub async fn guarded(State(portal): State<Shared>, headers: HeaderMap) -> Response {
    match &portal.metrics_access {
        Access::Token(token) if bearer_is(&headers, token) => text(&portal),
        Access::Token(_) => AppError::unauthorized(
            "metrics need Authorization: Bearer with the token of --metrics-token-file",
        )
        .into_response(),
        Access::Off | Access::OwnAddress(_) => AppError::http(
            StatusCode::NOT_FOUND,
            ErrorCode::NotFound,
            None,
            "metrics are off here: serve them with --metrics-token-file or --metrics-listen",
        )
        .into_response(),
    }
}

/// `GET /metrics` on the `--metrics-listen` address.
pub async fn open(State(portal): State<Shared>) -> Response {
    text(&portal)
}

fn text(portal: &Shared) -> Response {
    let body = portal.metrics.render(&portal.pool.status());
    let mut response = body.into_response();
    response.headers_mut().insert(
        CONTENT_TYPE,
        HeaderValue::from_static("text/plain; version=0.0.4; charset=utf-8"),
    );
    response
}

fn bearer_is(headers: &HeaderMap, token: &str) -> bool {
    headers
        .get(AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .is_some_and(|given| bool::from(given.trim().as_bytes().ct_eq(token.as_bytes())))
}

/// The token of `--metrics-token-file`: its one line, which must not be empty.
pub fn read_token(path: &std::path::Path) -> Result<String, AppError> {
    let text = std::fs::read_to_string(path).map_err(|e| {
        AppError::setup(format!(
            "cannot read the metrics token file {}: {e}",
            path.display()
        ))
    })?;
    let token = text.trim();
    if token.is_empty() || token.contains(char::is_whitespace) {
        return Err(AppError::setup(format!(
            "the metrics token file {} must hold one token on one line",
            path.display()
        )));
    }
    Ok(token.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_histogram_is_cumulative_and_its_inf_bucket_is_the_count() {
        let m = Metrics::default();
        let key = || ("GET".to_owned(), "/v1/apps".to_owned(), 200);
        m.observe(key(), 0.002);
        m.observe(key(), 0.2);
        m.observe(key(), 99.0);
        let status = deadpool_postgres::Status {
            max_size: 4,
            size: 2,
            available: 1,
            waiting: 0,
        };
        let text = m.render(&status);
        let l = r#"method="GET",route="/v1/apps",status="200""#;
        for line in [
            format!("appdesk_portal_http_requests_total{{{l}}} 3"),
            format!("appdesk_portal_http_request_duration_seconds_bucket{{{l},le=\"0.001\"}} 0"),
            format!("appdesk_portal_http_request_duration_seconds_bucket{{{l},le=\"0.0025\"}} 1"),
            format!("appdesk_portal_http_request_duration_seconds_bucket{{{l},le=\"0.25\"}} 2"),
            format!("appdesk_portal_http_request_duration_seconds_bucket{{{l},le=\"10\"}} 2"),
            format!("appdesk_portal_http_request_duration_seconds_bucket{{{l},le=\"+Inf\"}} 3"),
            format!("appdesk_portal_http_request_duration_seconds_count{{{l}}} 3"),
            "appdesk_portal_db_pool_max_size 4".to_owned(),
        ] {
            assert!(text.lines().any(|t| t == line), "{line} not in\n{text}");
        }
    }
}

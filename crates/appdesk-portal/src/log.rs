//! The request log: one JSON line per request on stdout, and the `listening`
//! line that tells scripts and tests the port.
//!
//! It writes the method, the path without its query string (a cursor is
//! harmless, but nothing in a query is logged on principle), the status, the
//! time taken, and who asked (workspace and user, filled in by the auth
//! extractor through [`Who`]). Never a header or a body: tokens and secrets
//! travel there.

use std::io::Write;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Instant;

use axum::extract::Request;
use axum::middleware::Next;
use axum::response::Response;
use serde_json::json;

/// Who made the request, once authenticated: `(workspace id, user)`.
#[derive(Debug, Clone, Default)]
pub struct Who(pub Arc<Mutex<Option<(String, String)>>>);

impl Who {
    pub fn set(&self, workspace: String, user: String) {
        if let Ok(mut slot) = self.0.lock() {
            *slot = Some((workspace, user));
        }
    }
}

pub async fn requests(mut request: Request, next: Next) -> Response {
    let started = Instant::now();
    let method = request.method().to_string();
    let path = request.uri().path().to_owned();
    let who = Who::default();
    request.extensions_mut().insert(who.clone());
    let response = next.run(request).await;
    let (workspace, user) = who
        .0
        .lock()
        .ok()
        .and_then(|slot| slot.clone())
        .map_or((None, None), |(w, u)| (Some(w), Some(u)));
    line(json!({
        "ts": now(),
        "level": "info",
        "msg": "request",
        "method": method,
        "path": path,
        "status": response.status().as_u16(),
        "ms": (started.elapsed().as_secs_f64() * 1000.0 * 1000.0).round() / 1000.0,
        "workspace": workspace,
        "user": user,
    }));
    response
}

pub fn listening(addr: SocketAddr) {
    line(json!({"ts": now(), "level": "info", "msg": "listening", "addr": addr.to_string()}));
}

fn line(value: serde_json::Value) {
    let mut out = std::io::stdout().lock();
    let _ = writeln!(out, "{value}");
    let _ = out.flush();
}

fn now() -> String {
    chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}

//! The request log: one JSON line per request on stdout, and the `listening`
//! line that tells scripts and tests the port.
//!
//! It writes the method, the path without its query string (a cursor is
//! harmless, but nothing in a query is logged on principle), the status, the
//! time taken, and who asked (workspace and user, filled in by the auth
//! extractor through [`Who`]). Never a header or a body: tokens and secrets
//! travel there. A path segment that holds a token or a client secret (a
//! client pasted one where an id goes, perhaps percent-encoded) is logged as
//! `[redacted]`, and a path is cut at [`PATH_MAX`] bytes.

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
    let path = loggable(request.uri().path());
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

/// The longest path written to the log, in bytes.
const PATH_MAX: usize = 512;

/// What a token's or a client secret's text starts with.
const SECRET_MARKS: [&str; 2] = ["adp_", "cs1."];

/// `path` as the log may hold it: segments that hold a token or a secret
/// (decoded first, so `%61dp_` is caught too) redacted, and cut at [`PATH_MAX`].
pub(crate) fn loggable(path: &str) -> String {
    let redacted: Vec<&str> = path
        .split('/')
        .map(|segment| {
            let decoded = percent_encoding::percent_decode_str(segment).decode_utf8_lossy();
            let lower = decoded.to_ascii_lowercase();
            if SECRET_MARKS.iter().any(|mark| lower.contains(mark)) {
                "[redacted]"
            } else {
                segment
            }
        })
        .collect();
    let mut path = redacted.join("/");
    if path.len() > PATH_MAX {
        let mut end = PATH_MAX;
        while !path.is_char_boundary(end) {
            end -= 1;
        }
        path.truncate(end);
        path.push('…');
    }
    path
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_path_is_logged_without_tokens_or_secrets_and_cut_when_long() {
        assert_eq!(loggable("/v1/apps/abc/versions"), "/v1/apps/abc/versions");
        assert_eq!(loggable("/v1/apps/adp_1_2"), "/v1/apps/[redacted]");
        assert_eq!(loggable("/v1/apps/%61dp_1_2/x"), "/v1/apps/[redacted]/x");
        assert_eq!(loggable("/a/CS1.xyz"), "/a/[redacted]");
        let long = loggable(&format!("/v1/apps/{}", "é".repeat(400)));
        assert!(long.len() <= PATH_MAX + "…".len() && long.ends_with('…'));
    }
}

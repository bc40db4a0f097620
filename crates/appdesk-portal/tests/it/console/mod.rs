//! The web console (issue 19 §2) over real HTTP against the real binary:
//! sessions made from a token ([`sessions`]), the same-origin rule for the
//! cookie's writes and what never reaches the log ([`origin`]), and the
//! embedded files with their security headers, `/v1/me` and `/v1/catalog`
//! ([`assets`]). A browser's part is played by plain requests that carry the
//! `Cookie` and `Origin` headers a browser would.

mod assets;
mod origin;
mod sessions;

use serde_json::json;

use crate::common::{Api, Portal, Reply};

/// The cookie's name, as the contract gives it.
pub const COOKIE: &str = "appdesk_session";

/// `POST /auth/session` with `token`, from the console's own origin.
pub async fn sign_in(portal: &Portal, token: &str) -> Reply {
    sign_in_from(portal, token, &[("origin", portal.base_url())]).await
}

/// `POST /auth/session` with `token` and these headers.
pub async fn sign_in_from(portal: &Portal, token: &str, headers: &[(&str, String)]) -> Reply {
    let body = serde_json::to_vec(&json!({ "token": token })).unwrap();
    portal
        .api(None)
        .request("POST", "/auth/session", Some(body), headers)
        .await
}

/// The session cookie's value in a sign-in's `Set-Cookie`.
pub fn cookie_of(reply: &Reply) -> String {
    reply.expect(204);
    let set = reply.header("set-cookie").expect("a Set-Cookie header");
    let first = set.split(';').next().unwrap().trim();
    let value = first
        .strip_prefix(&format!("{COOKIE}="))
        .unwrap_or_else(|| panic!("not the session cookie: {set}"));
    value.to_owned()
}

/// Signs in with `token` and returns the cookie's value.
pub async fn session_of(portal: &Portal, token: &str) -> String {
    cookie_of(&sign_in(portal, token).await)
}

/// A browser of the console: no bearer token; the cookie, and the
/// `Origin` it sends on writes (`None`: none).
#[derive(Debug)]
pub struct Browser {
    api: Api,
    cookie: String,
    origin: Option<String>,
}

impl Browser {
    /// On the console's own origin.
    pub fn new(portal: &Portal, cookie: &str) -> Browser {
        Browser::from_origin(portal, cookie, Some(&portal.base_url()))
    }

    pub fn from_origin(portal: &Portal, cookie: &str, origin: Option<&str>) -> Browser {
        Browser {
            api: portal.api(None),
            cookie: cookie.to_owned(),
            origin: origin.map(str::to_owned),
        }
    }

    fn headers<'a>(&self, extra: &[(&'a str, String)]) -> Vec<(&'a str, String)> {
        let mut headers = vec![("cookie", format!("{COOKIE}={}", self.cookie))];
        if let Some(origin) = &self.origin {
            headers.push(("origin", origin.clone()));
        }
        headers.extend(extra.iter().cloned());
        headers
    }

    /// A read (browsers send no `Origin` on a same-origin GET).
    pub async fn get(&self, path: &str) -> Reply {
        let headers = vec![("cookie", format!("{COOKIE}={}", self.cookie))];
        self.api.request("GET", path, None, &headers).await
    }

    /// A write with a fresh idempotency key and, when given, `If-Match`.
    pub async fn write(
        &self,
        method: &str,
        path: &str,
        body: Option<&serde_json::Value>,
        revision: Option<i64>,
    ) -> Reply {
        let mut extra = vec![("idempotency-key", crate::common::new_key())];
        if let Some(revision) = revision {
            extra.push(("if-match", crate::common::if_match(revision)));
        }
        let body = body.map(|b| serde_json::to_vec(b).unwrap());
        self.api
            .request(method, path, body, &self.headers(&extra))
            .await
    }

    /// `DELETE /auth/session`.
    pub async fn sign_out(&self) -> Reply {
        self.api
            .request("DELETE", "/auth/session", None, &self.headers(&[]))
            .await
    }
}

/// The number of session rows (plain SQL).
pub fn session_rows(portal: &Portal) -> i64 {
    portal
        .psql("SELECT count(*) FROM sessions")
        .trim()
        .parse()
        .expect("a count")
}

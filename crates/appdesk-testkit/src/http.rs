//! Plain HTTP to the portal, as any client would speak it: a bearer token, JSON
//! bodies, `If-Match` with the revision from an `ETag`, and a fresh
//! `Idempotency-Key` on every write unless the test gives its own.

use reqwest::header::HeaderMap;
use serde_json::Value;

/// A client of one portal, with one token (or none).
#[derive(Debug, Clone)]
pub struct Api {
    client: reqwest::Client,
    base: String,
    token: Option<String>,
}

/// An answer: status, headers and the body as text (and as JSON on demand).
#[derive(Debug, Clone)]
pub struct Reply {
    pub status: u16,
    pub headers: HeaderMap,
    pub text: String,
}

impl Reply {
    /// The body as JSON; fails the test when it is not.
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.text).unwrap_or_else(|e| {
            panic!(
                "HTTP {}: body is not JSON ({e}): {}",
                self.status, self.text
            )
        })
    }

    /// A header's value as text.
    pub fn header(&self, name: &str) -> Option<String> {
        self.headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned)
    }

    /// The revision in `ETag: "<revision>"`.
    pub fn etag_revision(&self) -> Option<i64> {
        let etag = self.header("etag")?;
        etag.trim_start_matches("W/").trim_matches('"').parse().ok()
    }

    /// Asserts the status, showing the body when it differs.
    #[track_caller]
    pub fn expect(&self, status: u16) -> &Reply {
        assert_eq!(
            self.status, status,
            "unexpected status; body: {}",
            self.text
        );
        self
    }

    /// Asserts that this answer repeats `first` (a replay): same status, same body.
    #[track_caller]
    pub fn assert_replays(&self, first: &Reply) {
        assert_eq!(
            self.status, first.status,
            "a replay's status; body: {}",
            self.text
        );
        assert_eq!(self.json(), first.json(), "a replay's body");
    }

    /// Asserts a 2xx status and returns the JSON body.
    #[track_caller]
    pub fn ok(&self) -> Value {
        assert!(
            (200..300).contains(&self.status),
            "HTTP {}: {}",
            self.status,
            self.text
        );
        self.json()
    }
}

/// A fresh idempotency key (a UUIDv7, as the sync client's outbox uses).
pub fn new_key() -> String {
    uuid::Uuid::now_v7().to_string()
}

/// The value of `If-Match` for a revision.
pub fn if_match(revision: i64) -> String {
    format!("\"{revision}\"")
}

impl Api {
    pub fn new(base: &str, token: Option<&str>) -> Api {
        // Needed only when reqwest was built with rustls (a workspace build, for
        // the desktop's updater); plain HTTP never uses it. Installed once.
        let _ = rustls::crypto::ring::default_provider().install_default();
        let client = reqwest::Client::builder()
            .no_proxy()
            .build()
            .expect("an HTTP client");
        Api {
            client,
            base: base.to_owned(),
            token: token.map(str::to_owned),
        }
    }

    /// The same portal with another token (or none).
    pub fn with_token(&self, token: Option<&str>) -> Api {
        Api {
            token: token.map(str::to_owned),
            ..self.clone()
        }
    }

    /// Any request: `body` is sent as `application/json` when present.
    pub async fn request(
        &self,
        method: &str,
        path: &str,
        body: Option<Vec<u8>>,
        headers: &[(&str, String)],
    ) -> Reply {
        let res = self.send(method, path, body, headers).await;
        let res = res.unwrap_or_else(|e| panic!("{path}: no answer: {e}"));
        let status = res.status().as_u16();
        let headers = res.headers().clone();
        let text = res.text().await.unwrap_or_default();
        Reply {
            status,
            headers,
            text,
        }
    }

    /// Like [`Api::request`], but a request that gets no answer (the server was
    /// killed) is an `Err`, not a failed test: the status and the body.
    pub async fn try_request(
        &self,
        method: &str,
        path: &str,
        body: Option<Vec<u8>>,
        headers: &[(&str, String)],
    ) -> Result<(u16, String), reqwest::Error> {
        let res = self.send(method, path, body, headers).await?;
        let status = res.status().as_u16();
        Ok((status, res.text().await?))
    }

    async fn send(
        &self,
        method: &str,
        path: &str,
        body: Option<Vec<u8>>,
        headers: &[(&str, String)],
    ) -> Result<reqwest::Response, reqwest::Error> {
        let method = reqwest::Method::from_bytes(method.as_bytes()).expect("an HTTP method");
        let mut req = self.client.request(method, format!("{}{path}", self.base));
        if let Some(token) = &self.token {
            req = req.header("authorization", format!("Bearer {token}"));
        }
        if let Some(body) = body {
            req = req.header("content-type", "application/json").body(body);
        }
        for (name, value) in headers {
            req = req.header(*name, value);
        }
        req.send().await
    }

    pub async fn get(&self, path: &str) -> Reply {
        self.request("GET", path, None, &[]).await
    }

    /// A write with its own idempotency key and, when given, `If-Match`.
    pub async fn write(
        &self,
        method: &str,
        path: &str,
        body: Option<&Value>,
        revision: Option<i64>,
    ) -> Reply {
        let mut headers = vec![("idempotency-key", new_key())];
        if let Some(revision) = revision {
            headers.push(("if-match", if_match(revision)));
        }
        let body = body.map(|b| serde_json::to_vec(b).expect("JSON"));
        self.request(method, path, body, &headers).await
    }

    /// `POST /v1/apps`.
    pub async fn create(&self, body: &Value) -> Reply {
        self.write("POST", "/v1/apps", Some(body), None).await
    }

    /// `POST /v1/apps`, which must succeed: the new app.
    pub async fn create_ok(&self, body: &Value) -> Value {
        let reply = self.create(body).await;
        assert_eq!(reply.status, 201, "create failed: {}", reply.text);
        reply.json()
    }

    /// `GET /v1/apps/{id}`, which must succeed.
    pub async fn app(&self, id: &str) -> Value {
        self.get(&format!("/v1/apps/{id}")).await.expect(200).json()
    }

    /// `GET /v1/apps/{id}/versions`, which must succeed: the versions, oldest first.
    pub async fn versions(&self, id: &str) -> Vec<Value> {
        let body = self.get(&format!("/v1/apps/{id}/versions")).await.ok();
        let list = body.get("versions").unwrap_or(&body);
        list.as_array()
            .unwrap_or_else(|| panic!("versions: not a list: {body}"))
            .clone()
    }

    /// `GET /v1/apps`, which must succeed: the apps' ids.
    pub async fn app_ids(&self) -> Vec<String> {
        let body = self.get("/v1/apps").await.ok();
        let list = body.get("items").or(body.get("apps")).unwrap_or(&body);
        let mut ids: Vec<String> = list
            .as_array()
            .unwrap_or_else(|| panic!("apps: not a list: {body}"))
            .iter()
            .map(|app| app["id"].as_str().expect("an app id").to_owned())
            .collect();
        ids.sort();
        ids
    }

    /// `PATCH /v1/apps/{id}` with `If-Match: "<revision>"`.
    pub async fn patch(&self, id: &str, revision: i64, body: &Value) -> Reply {
        self.write(
            "PATCH",
            &format!("/v1/apps/{id}"),
            Some(body),
            Some(revision),
        )
        .await
    }

    /// `DELETE /v1/apps/{id}` with `If-Match: "<revision>"`.
    pub async fn delete(&self, id: &str, revision: i64) -> Reply {
        self.write("DELETE", &format!("/v1/apps/{id}"), None, Some(revision))
            .await
    }

    /// A connection action (`connections` itself, or `…/{tenant}/{env}/{action}`)
    /// with `If-Match` at the app's current revision.
    pub async fn connection_write(&self, app_id: &str, tail: &str, body: Option<&Value>) -> Reply {
        let revision = self
            .get(&format!("/v1/apps/{app_id}"))
            .await
            .etag_revision()
            .unwrap_or(0);
        let path = format!("/v1/apps/{app_id}/connections{tail}");
        self.write("POST", &path, body, Some(revision)).await
    }
}

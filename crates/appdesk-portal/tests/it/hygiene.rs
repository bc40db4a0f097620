//! HTTP hygiene (issue 21 §8): a body that is not JSON gets 415, every error
//! status carries the JSON error body (also those hyper and axum make
//! themselves), a malformed `If-Match` is 400, and an unknown query parameter
//! is 400 naming it, on every route.

use serde_json::Value;

use crate::common::{Portal, Reply, if_match, new_key, sample_app};

#[track_caller]
fn assert_error_body(reply: &Reply, status: u16) -> Value {
    reply.expect(status);
    let ct = reply.header("content-type").unwrap_or_default();
    assert!(
        ct.starts_with("application/json"),
        "{status}: content-type {ct:?}"
    );
    let body = reply.json();
    assert!(
        body["code"].is_string() && body["message"].as_str().is_some_and(|m| !m.is_empty()),
        "{status}: the error body: {body}"
    );
    body
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_body_that_is_not_json_gets_415_and_creates_nothing() {
    let portal = Portal::start();
    let body = serde_json::to_vec(&sample_app("Plain text")).unwrap();
    let client = reqwest::Client::builder().no_proxy().build().unwrap();
    for content_type in ["text/plain", "application/x-www-form-urlencoded"] {
        let res = client
            .post(format!("{}/v1/apps", portal.base_url()))
            .bearer_auth(&portal.dev_token)
            .header("idempotency-key", new_key())
            .header("content-type", content_type)
            .body(body.clone())
            .send()
            .await
            .unwrap();
        let reply = Reply {
            status: res.status().as_u16(),
            headers: res.headers().clone(),
            text: res.text().await.unwrap(),
        };
        let error = assert_error_body(&reply, 415);
        assert!(
            error["message"]
                .as_str()
                .unwrap()
                .contains("application/json"),
            "{error}"
        );
    }
    assert!(portal.dev.app_ids().await.is_empty(), "nothing was created");
}

/// Sends `request` as it is and reads the answer until the server closes.
async fn raw(portal: &Portal, request: &[u8]) -> Reply {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let mut socket = tokio::net::TcpStream::connect(portal.server.addr)
        .await
        .unwrap();
    socket.write_all(request).await.unwrap();
    let mut answer = Vec::new();
    let read = socket.read_to_end(&mut answer);
    let _ = tokio::time::timeout(std::time::Duration::from_secs(30), read).await;
    let text = String::from_utf8_lossy(&answer).into_owned();
    let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
    let mut lines = head.lines();
    let status = lines
        .next()
        .and_then(|l| l.split(' ').nth(1))
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("an HTTP answer: {text:?}"));
    let mut headers = reqwest::header::HeaderMap::new();
    for line in lines {
        if let Some((name, value)) = line.split_once(':') {
            headers.append(
                reqwest::header::HeaderName::from_bytes(name.trim().as_bytes()).unwrap(),
                value.trim().parse().unwrap(),
            );
        }
    }
    Reply {
        status,
        headers,
        text: body.to_owned(),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn every_error_status_has_the_json_error_body() {
    let portal = Portal::start();
    assert_error_body(&portal.dev.get("/v1/nothing-here").await, 404);
    assert_error_body(&portal.dev.request("PUT", "/v1/apps", None, &[]).await, 405);
    let big = vec![b' '; 2 * 1024 * 1024];
    let headers = [("idempotency-key", new_key())];
    let reply = portal
        .dev
        .request("POST", "/v1/apps", Some(big), &headers)
        .await;
    assert_error_body(&reply, 413);
    // An HTTP client library refuses to send these: raw bytes on a socket.
    let long = format!(
        "GET /v1/apps/{} HTTP/1.1\r\nHost: p\r\n\r\n",
        "a".repeat(200 * 1024)
    );
    assert_error_body(&raw(&portal, long.as_bytes()).await, 414);
    let huge = format!(
        "GET /v1/apps HTTP/1.1\r\nHost: p\r\nX-Filler: {}\r\n\r\n",
        "b".repeat(200 * 1024)
    );
    assert_error_body(&raw(&portal, huge.as_bytes()).await, 431);
    let many: String = (0..2000)
        .map(|i| format!("X-Filler-{i}: {}\r\n", "c".repeat(60)))
        .collect();
    let many = format!("GET /v1/apps HTTP/1.1\r\nHost: p\r\n{many}\r\n");
    assert_error_body(&raw(&portal, many.as_bytes()).await, 431);
    // The server still serves.
    portal.dev.get("/v1/apps").await.expect(200);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_malformed_if_match_gets_400_naming_the_header() {
    let portal = Portal::start();
    let app = portal.dev.create_ok(&sample_app("Preconditions")).await;
    let path = format!("/v1/apps/{}", app["id"].as_str().unwrap());
    let body = serde_json::to_vec(&serde_json::json!({"name": "Renamed"})).unwrap();
    for value in ["W/garbage", "1", "W/", "\"1"] {
        let headers = [
            ("idempotency-key", new_key()),
            ("if-match", value.to_owned()),
        ];
        let reply = portal
            .dev
            .request("PATCH", &path, Some(body.clone()), &headers)
            .await;
        let error = assert_error_body(&reply, 400);
        assert_eq!(error["field"], "If-Match", "{value}: {error}");
    }
    // A well-formed weak tag is a stale precondition, as before.
    let headers = [
        ("idempotency-key", new_key()),
        ("if-match", "W/\"1\"".to_owned()),
    ];
    let reply = portal
        .dev
        .request("PATCH", &path, Some(body.clone()), &headers)
        .await;
    reply.expect(412);
    let headers = [("idempotency-key", new_key()), ("if-match", if_match(1))];
    portal
        .dev
        .request("PATCH", &path, Some(body), &headers)
        .await
        .expect(200);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn an_unknown_query_parameter_gets_400_naming_it_on_every_route() {
    let portal = Portal::start();
    let app = portal.dev.create_ok(&sample_app("Queries")).await;
    let id = app["id"].as_str().unwrap();
    let reads = [
        "/v1/apps".to_owned(),
        format!("/v1/apps/{id}"),
        format!("/v1/apps/{id}/versions"),
        format!("/v1/apps/{id}/connections"),
        format!("/v1/apps/{id}/notes"),
        "/v1/changes".to_owned(),
        "/v1/me".to_owned(),
        "/v1/catalog".to_owned(),
        "/v1/upgrade-requests".to_owned(),
        "/openapi.json".to_owned(),
        "/healthz".to_owned(),
        "/readyz".to_owned(),
    ];
    for path in &reads {
        portal.dev.get(path).await.expect(200);
        let reply = portal.dev.get(&format!("{path}?bogus=1")).await;
        let error = assert_error_body(&reply, 400);
        assert_eq!(error["field"], "bogus", "{path}: {error}");
    }
    let body = serde_json::to_vec(&serde_json::json!({"name": "Renamed"})).unwrap();
    let headers = [("idempotency-key", new_key()), ("if-match", if_match(1))];
    let reply = portal
        .dev
        .request(
            "PATCH",
            &format!("/v1/apps/{id}?bogus=1"),
            Some(body),
            &headers,
        )
        .await;
    assert_eq!(assert_error_body(&reply, 400)["field"], "bogus");
    assert_eq!(
        portal.dev.app(id).await["name"],
        "Queries",
        "nothing changed"
    );
    // A route's own parameters are still known.
    portal.dev.get("/v1/changes?limit=10").await.expect(200);
    portal.dev.get("/v1/apps?limit=10").await.expect(200);
    portal
        .dev
        .get(&format!("/v1/apps/{id}/versions?limit=10"))
        .await
        .expect(200);
    portal
        .dev
        .get(&format!("/v1/apps/{id}/notes?from=1&to=1"))
        .await
        .expect(200);
}

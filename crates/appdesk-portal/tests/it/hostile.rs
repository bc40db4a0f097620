//! A hostile tester's pass over the HTTP surface: headers sent twice and odd
//! query strings. Each gets a clear 4xx that names what is wrong (never a 5xx,
//! never a silent pick of one of two values) and leaves the data as it was.

use crate::common::{Portal, Reply, new_key, sample_app};

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_authorization_headers_get_401_even_when_each_is_valid() {
    let portal = Portal::start();
    let anonymous = portal.api(None);
    let bearer = |token: &str| ("authorization", format!("Bearer {token}"));
    // Each alone is accepted: the refusal below is about there being two.
    for token in [&portal.dev_token, &portal.admin_token] {
        anonymous
            .request("GET", "/v1/apps", None, &[bearer(token)])
            .await
            .expect(200);
    }
    let twice = [bearer(&portal.dev_token), bearer(&portal.admin_token)];
    let reply = anonymous.request("GET", "/v1/apps", None, &twice).await;
    reply.expect(401);
    assert_eq!(reply.json()["code"], "unauthorized", "{}", reply.text);
    let body = serde_json::to_vec(&sample_app("Two tokens")).unwrap();
    let headers = [
        bearer(&portal.dev_token),
        bearer(&portal.dev_token),
        ("idempotency-key", new_key()),
    ];
    anonymous
        .request("POST", "/v1/apps", Some(body), &headers)
        .await
        .expect(401);
    assert!(portal.dev.app_ids().await.is_empty(), "nothing was created");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_idempotency_keys_get_400_naming_the_header_and_create_nothing() {
    let portal = Portal::start();
    let body = serde_json::to_vec(&sample_app("Two keys")).unwrap();
    let headers = [
        ("idempotency-key", new_key()),
        ("idempotency-key", new_key()),
    ];
    let reply = portal
        .dev
        .request("POST", "/v1/apps", Some(body.clone()), &headers)
        .await;
    reply.expect(400);
    assert_eq!(reply.json()["field"], "Idempotency-Key", "{}", reply.text);
    // Even the same key twice is refused: a header is either one value or wrong.
    let key = new_key();
    let same = [("idempotency-key", key.clone()), ("idempotency-key", key)];
    portal
        .dev
        .request("POST", "/v1/apps", Some(body), &same)
        .await
        .expect(400);
    assert!(portal.dev.app_ids().await.is_empty(), "nothing was created");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_malformed_feed_query_gets_400_naming_its_parameter() {
    let portal = Portal::start();
    for query in [
        "limit=abc",
        "limit=1.5",
        "limit=99999999999999999999",
        "limit=1&limit=2",
        "since=x&limit=",
    ] {
        let reply = portal.dev.get(&format!("/v1/changes?{query}")).await;
        reply.expect(400);
        assert_eq!(reply.json()["field"], "limit", "{query}: {}", reply.text);
    }
    let reply = portal.dev.get("/v1/changes?since=a&since=b").await;
    reply.expect(400);
    assert_eq!(reply.json()["field"], "since", "{}", reply.text);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn an_if_match_tag_not_byte_for_byte_the_etag_gets_412_and_changes_nothing() {
    let portal = Portal::start();
    let app = portal.dev.create_ok(&sample_app("Strong")).await;
    let id = app["id"].as_str().unwrap().to_owned();
    let path = format!("/v1/apps/{id}");
    let etag = portal.dev.get(&path).await.header("etag").unwrap();
    assert_eq!(etag, "\"1\"", "the oracle: a new app is at revision 1");
    let body = serde_json::to_vec(&serde_json::json!({"name": "Renamed"})).unwrap();
    // Strong comparison (RFC 9110 §8.8.3.2): "+1" and "01" are other tags.
    for tag in ["\"+1\"", "\"01\""] {
        let reply = patch_if_match(&portal, &path, &body, tag).await;
        reply.expect(412);
        assert_eq!(reply.json()["currentRevision"], 1, "{tag}: {}", reply.text);
    }
    // Not an entity-tag list (no comma between tags, a space inside one): 400.
    for tag in ["\"1\" \"1\"", "\" 1\""] {
        let reply = patch_if_match(&portal, &path, &body, tag).await;
        reply.expect(400);
        assert_eq!(reply.json()["field"], "If-Match", "{tag}: {}", reply.text);
    }
    assert_eq!(portal.dev.app(&id).await["name"], "Strong", "unchanged");
}

/// A developer's PATCH of `body` at `path` with this `If-Match` value.
async fn patch_if_match(portal: &Portal, path: &str, body: &[u8], tag: &str) -> Reply {
    let headers = [("idempotency-key", new_key()), ("if-match", tag.to_owned())];
    portal
        .dev
        .request("PATCH", path, Some(body.to_vec()), &headers)
        .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn if_match_sent_as_two_headers_is_one_list() {
    let portal = Portal::start();
    let app = portal.dev.create_ok(&sample_app("Listed")).await;
    let id = app["id"].as_str().unwrap().to_owned();
    let body = serde_json::to_vec(&serde_json::json!({"name": "Renamed"})).unwrap();
    // RFC 9110 §5.3: two field lines of a list header are one comma-joined list.
    let headers = [
        ("idempotency-key", new_key()),
        ("if-match", "\"9\"".to_owned()),
        ("if-match", "\"1\"".to_owned()),
    ];
    let reply = portal
        .dev
        .request("PATCH", &format!("/v1/apps/{id}"), Some(body), &headers)
        .await;
    reply.expect(200);
    assert_eq!(portal.dev.app(&id).await["name"], "Renamed");
}

/// `%XX` escapes decoded: what a path in the log says once read.
fn percent_decoded(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = bytes
            .get(i + 1..i + 3)
            .and_then(|h| std::str::from_utf8(h).ok());
        match (bytes[i], hex.and_then(|h| u8::from_str_radix(h, 16).ok())) {
            (b'%', Some(b)) => {
                out.push(b);
                i += 3;
            }
            (b, _) => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_token_or_secret_pasted_into_a_path_stays_out_of_the_request_log() {
    let portal = Portal::start();
    let token = portal.dev_token.clone();
    let secret = format!("cs1.{}", "s3cr3t".repeat(9));
    let encoded: String = token.bytes().map(|b| format!("%{b:02X}")).collect();
    let paths = [
        format!("/v1/apps/{token}"),
        format!("/v1/apps/{encoded}/versions"),
        format!("/v1/apps/x/connections/{secret}/integration/upgrade"),
        format!("/nowhere/{token}"),
    ];
    for path in &paths {
        let reply = portal.dev.get(path).await;
        assert!(reply.status < 500, "{path}: {}", reply.status);
    }
    // The line is written once the answer is sent: wait for it (10 s at most).
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    let logged = loop {
        let logged: Vec<String> = portal
            .server
            .stdout_lines()
            .iter()
            .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
            .filter(|v| v["msg"] == "request")
            .map(|v| percent_decoded(v["path"].as_str().unwrap_or_default()))
            .collect();
        if logged.len() >= paths.len() || std::time::Instant::now() > deadline {
            break logged;
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    };
    assert!(logged.len() >= paths.len(), "one line each: {logged:#?}");
    let token_secret = token.rsplit('_').next().unwrap();
    for path in &logged {
        assert!(!path.contains(token_secret), "a token in the log: {path}");
        assert!(!path.contains(&secret[4..]), "a secret in the log: {path}");
    }
    assert!(
        logged.iter().any(|p| p.starts_with("/v1/apps/")),
        "the path is still logged: {logged:#?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_key_reused_by_another_user_or_workspace_never_replays_the_first_answer() {
    let portal = Portal::start();
    crate::common::run_command(&portal.database, &["workspace", "create", "other"]);
    let carol = portal.api(Some(&portal.token("team", "carol", &[])));
    let eve = portal.api(Some(&portal.token("other", "eve", &[])));
    let key = [("idempotency-key", new_key())];
    let body = serde_json::to_vec(&sample_app("First")).unwrap();
    let first = portal
        .dev
        .request("POST", "/v1/apps", Some(body.clone()), &key)
        .await;
    first.expect(201);
    let first_id = first.json()["id"].as_str().unwrap().to_owned();

    // Same workspace, another user, same key and body: refused, not replayed.
    let by_carol = carol
        .request("POST", "/v1/apps", Some(body.clone()), &key)
        .await;
    by_carol.expect(422);
    assert!(!by_carol.text.contains(&first_id), "{}", by_carol.text);
    assert_eq!(by_carol.header("idempotent-replayed"), None);

    // Another workspace: its own, new request (keys are per workspace).
    let by_eve = eve.request("POST", "/v1/apps", Some(body), &key).await;
    by_eve.expect(201);
    assert_ne!(by_eve.json()["id"], first.json()["id"]);
    assert_eq!(by_eve.header("idempotent-replayed"), None);
    assert_eq!(portal.dev.app_ids().await, vec![first_id]);
    assert_eq!(eve.app_ids().await.len(), 1);
}

//! Idempotency keys (issue §4, draft-ietf-httpapi-idempotency-key-header): the
//! same key and body replay the first answer without a second change; another body
//! gets 422; a key whose first request still runs gets 409; keys are kept at least
//! 24 hours.

use serde_json::json;

use crate::common::locks::{HeldLock, wait_for_lock_waiters};
use crate::common::{JOBS_R, Portal, if_match, new_key, sample_app};

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn the_same_key_and_body_replay_the_first_answer_and_change_nothing_more() {
    let portal = Portal::start();
    let key = new_key();
    let body = serde_json::to_vec(&sample_app("Dispatch")).unwrap();
    let headers = [("idempotency-key", key.clone())];
    let first = portal
        .dev
        .request("POST", "/v1/apps", Some(body.clone()), &headers)
        .await;
    first.expect(201);
    let again = portal
        .dev
        .request("POST", "/v1/apps", Some(body), &headers)
        .await;
    again.assert_replays(&first);
    assert_eq!(portal.dev.app_ids().await.len(), 1, "one app, not two");

    // A scope change replayed: even with the If-Match it was sent with, now stale.
    let id = first.json()["id"].as_str().unwrap().to_owned();
    let revision = first.json()["revision"].as_i64().unwrap();
    let patch = serde_json::to_vec(&json!({"scopes": {"add": [JOBS_R]}})).unwrap();
    let headers = [
        ("idempotency-key", new_key()),
        ("if-match", if_match(revision)),
    ];
    let path = format!("/v1/apps/{id}");
    let first = portal
        .dev
        .request("PATCH", &path, Some(patch.clone()), &headers)
        .await;
    first.ok();
    let again = portal
        .dev
        .request("PATCH", &path, Some(patch), &headers)
        .await;
    again.assert_replays(&first);
    assert_eq!(
        portal.dev.versions(&id).await.len(),
        2,
        "versions 1 and 2, no 3"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn the_same_key_with_another_body_gets_422_and_changes_nothing() {
    let portal = Portal::start();
    let headers = [("idempotency-key", new_key())];
    let first = serde_json::to_vec(&sample_app("Dispatch")).unwrap();
    portal
        .dev
        .request("POST", "/v1/apps", Some(first), &headers)
        .await
        .expect(201);
    let before = portal.dev.app_ids().await;

    let other = serde_json::to_vec(&sample_app("Another")).unwrap();
    let reply = portal
        .dev
        .request("POST", "/v1/apps", Some(other), &headers)
        .await;
    reply.expect(422);
    assert!(
        reply.json()["code"].is_string(),
        "an error body: {}",
        reply.text
    );
    assert_eq!(portal.dev.app_ids().await, before, "no second app");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_key_whose_first_request_still_runs_gets_409() {
    let portal = Portal::start();
    let app = portal.dev.create_ok(&sample_app("Dispatch")).await;
    let id = app["id"].as_str().unwrap().to_owned();
    let revision = app["revision"].as_i64().unwrap();

    // The first request waits on a row lock held by the test's own session.
    let lock = HeldLock::hold(
        portal.cluster,
        &portal.db,
        &format!("SELECT 1 FROM apps WHERE id::text = '{id}' FOR UPDATE"),
    );
    let headers = vec![
        ("idempotency-key", new_key()),
        ("if-match", if_match(revision)),
    ];
    let body = serde_json::to_vec(&json!({"scopes": {"add": [JOBS_R]}})).unwrap();
    let path = format!("/v1/apps/{id}");
    let first = {
        let (api, path, body, headers) = (
            portal.dev.clone(),
            path.clone(),
            body.clone(),
            headers.clone(),
        );
        tokio::spawn(async move { api.request("PATCH", &path, Some(body), &headers).await })
    };
    wait_for_lock_waiters(portal.cluster, &portal.db, 1);

    let second = portal
        .dev
        .request("PATCH", &path, Some(body.clone()), &headers)
        .await;
    second.expect(409);

    lock.release();
    let first = first.await.expect("the first request's task");
    first.ok();
    let third = portal
        .dev
        .request("PATCH", &path, Some(body), &headers)
        .await;
    third.assert_replays(&first);
    assert_eq!(portal.dev.versions(&id).await.len(), 2, "applied once");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn keys_are_kept_at_least_24_hours() {
    let portal = Portal::start();
    let headers = [("idempotency-key", new_key())];
    let body = serde_json::to_vec(&sample_app("Dispatch")).unwrap();
    let first = portal
        .dev
        .request("POST", "/v1/apps", Some(body.clone()), &headers)
        .await;
    first.expect(201);

    // Age every stored key by 23 h 55 min, as if the retry came a day later.
    portal.psql("UPDATE idempotency SET created_at = created_at - interval '23 hours 55 minutes'");
    let mut portal = portal;
    portal.restart();
    let again = portal
        .dev
        .request("POST", "/v1/apps", Some(body), &headers)
        .await;
    again.assert_replays(&first);
    assert_eq!(portal.dev.app_ids().await.len(), 1, "one app, not two");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_write_without_a_key_or_with_a_malformed_one_gets_400_naming_it_and_writes_nothing() {
    let portal = Portal::start();
    let body = serde_json::to_vec(&sample_app("Keyless")).unwrap();
    let cases: [&[(&str, String)]; 3] = [
        &[],
        &[("idempotency-key", String::new())],
        &[("idempotency-key", "x".repeat(300))],
    ];
    for headers in cases {
        let reply = portal
            .dev
            .request("POST", "/v1/apps", Some(body.clone()), headers)
            .await;
        reply.expect(400);
        let error = reply.json();
        let field = error["field"].as_str().unwrap_or_default().to_lowercase();
        assert_eq!(field, "idempotency-key", "names the header: {error}");
    }
    assert!(portal.dev.app_ids().await.is_empty(), "nothing was created");
}

//! Preconditions (issue §4): a write to an existing app needs `If-Match`; without
//! it the answer is 428, with a stale one 412 and the current revision; either way
//! nothing changes. Every app answer carries `ETag: "<revision>"`.

use serde_json::{Value, json};

use crate::common::{JOBS_R, Portal, sample_app};

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn every_app_answer_carries_its_revision_as_etag() {
    let portal = Portal::start();
    let created = portal.dev.create(&sample_app("Dispatch")).await;
    let app = created.expect(201).json();
    let id = app["id"].as_str().unwrap();
    assert_eq!(
        created.etag_revision(),
        app["revision"].as_i64(),
        "create's ETag"
    );

    let got = portal.dev.get(&format!("/v1/apps/{id}")).await;
    assert_eq!(got.etag_revision(), app["revision"].as_i64(), "GET's ETag");

    let patched = portal
        .dev
        .patch(
            id,
            app["revision"].as_i64().unwrap(),
            &json!({"name": "Renamed"}),
        )
        .await;
    let after = patched.ok();
    assert!(
        after["revision"].as_i64() > app["revision"].as_i64(),
        "a change bumps the revision"
    );
    assert_eq!(
        patched.etag_revision(),
        after["revision"].as_i64(),
        "PATCH's ETag"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_write_without_if_match_gets_428_and_changes_nothing() {
    let portal = Portal::start();
    let created = portal.dev.create_ok(&sample_app("Dispatch")).await;
    let id = created["id"].as_str().unwrap();
    let path = format!("/v1/apps/{id}");
    let app = portal.dev.app(id).await;

    let patch = json!({"name": "Renamed", "scopes": {"add": [JOBS_R]}});
    let reply = portal.dev.write("PATCH", &path, Some(&patch), None).await;
    reply.expect(428);
    assert!(is_precondition(&reply.json()), "{}", reply.text);

    portal
        .dev
        .write("DELETE", &path, None, None)
        .await
        .expect(428);

    assert_eq!(portal.dev.app(id).await, app, "the app is as it was");
    assert_eq!(
        portal.dev.versions(id).await.len(),
        1,
        "no version was made"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_stale_if_match_gets_412_with_the_current_revision_and_changes_nothing() {
    let portal = Portal::start();
    let app = portal.dev.create_ok(&sample_app("Dispatch")).await;
    let id = app["id"].as_str().unwrap();
    let first = app["revision"].as_i64().unwrap();
    let mine = portal
        .dev
        .patch(id, first, &json!({"name": "Mine"}))
        .await
        .ok();
    let current_revision = mine["revision"].as_i64().unwrap();
    let current = portal.dev.app(id).await;

    // A second client still holds the first revision.
    let stale = json!({"name": "Theirs", "scopes": {"add": [JOBS_R]}});
    let reply = portal.dev.patch(id, first, &stale).await;
    reply.expect(412);
    let body = reply.json();
    assert!(is_precondition(&body), "{body}");
    assert_eq!(
        body["currentRevision"].as_i64(),
        Some(current_revision),
        "{body}"
    );
    assert_eq!(reply.etag_revision(), Some(current_revision), "412's ETag");

    let delete = portal.dev.delete(id, first).await;
    delete.expect(412);

    assert_eq!(
        portal.dev.app(id).await,
        current,
        "the app is as the first change left it"
    );
}

/// Whether an error body has a precondition code (the contract's `precondition`
/// family: `precondition_required` for 428, `precondition_failed` for 412).
fn is_precondition(body: &Value) -> bool {
    body["code"]
        .as_str()
        .is_some_and(|c| c.starts_with("precondition"))
}

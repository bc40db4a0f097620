//! Bounded work per request (issue 21 §1): the size limits are checked before
//! any merge work, the merge is linear, and error bodies are bounded, so one
//! oversized request neither stalls the server nor answers megabytes.

use serde_json::{Value, json};

use crate::common::{Portal, RowLock, TENANT, sample_app};

/// `n` distinct tenant ids, none of them [`TENANT`].
fn tenant_ids(n: usize) -> Vec<String> {
    (0..n).map(|i| format!("{}", 10_000_000 + i)).collect()
}

/// `GET /v1/apps/{id}` as sent.
async fn app_as_read(portal: &Portal, id: &str) -> String {
    portal
        .dev
        .get(&format!("/v1/apps/{id}"))
        .await
        .expect(200)
        .text
        .clone()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_patch_adding_40000_tenants_gets_422_naming_the_limit_and_changes_nothing() {
    let portal = Portal::start();
    let app = portal.dev.create_ok(&sample_app("Many tenants")).await;
    let id = app["id"].as_str().unwrap().to_owned();
    let before = app_as_read(&portal, &id).await;
    let adds: Vec<Value> = tenant_ids(40_000)
        .into_iter()
        .map(|id| json!({"id": id}))
        .collect();
    let body = json!({"tenants": {"add": adds}});
    // Another session holds the app's row: a request checked before any work
    // never waits for it, and answers while it is still held.
    let mut lock = RowLock::hold(&portal, &id, 60).await;
    let dev = portal.dev.clone();
    let patch = {
        let id = id.clone();
        tokio::spawn(async move { dev.patch(&id, 1, &body).await })
    };
    // Meanwhile the server answers a normal read (how fast is a benchmark's
    // business, not a test's).
    portal.dev.get("/openapi.json").await.expect(200);
    let reply = patch.await.unwrap();
    let still_locked = lock.is_held();
    drop(lock);
    reply.expect(422);
    assert!(
        still_locked,
        "the 422 came before the row was free: no work was done under its lock"
    );
    let error = reply.json();
    assert_eq!(error["field"], "tenants", "{error}");
    assert!(
        error["message"].as_str().unwrap().contains("200"),
        "the limit is named: {error}"
    );
    assert!(
        reply.text.len() < 16 * 1024,
        "a short answer: {} bytes",
        reply.text.len()
    );
    let after = app_as_read(&portal, &id).await;
    assert_eq!(before, after, "the app is unchanged");
    let listed = portal.psql(&format!(
        "SELECT count(*) FROM app_tenants WHERE app_id = '{id}'"
    ));
    assert_eq!(listed.trim(), "1", "one tenant row, as before");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_patch_removing_60000_unknown_tenants_gets_a_short_422_that_counts_the_rest() {
    let portal = Portal::start();
    let app = portal.dev.create_ok(&sample_app("Many removals")).await;
    let id = app["id"].as_str().unwrap().to_owned();
    let body = json!({"tenants": {"add": [{"id": "7654321"}], "remove": tenant_ids(60_000)}});
    let reply = portal.dev.patch(&id, 1, &body).await;
    reply.expect(422);
    assert!(
        reply.text.len() < 16 * 1024,
        "a short answer: {} bytes",
        reply.text.len()
    );
    let error = reply.json();
    let listed = error["problems"].as_array().expect("problems").len();
    assert!(
        (1..=100).contains(&listed),
        "the first problems are listed: {listed}"
    );
    let more = 60_000 - listed;
    assert!(
        error["message"]
            .as_str()
            .unwrap()
            .contains(&more.to_string()),
        "the message counts the {more} problems not listed: {error}"
    );
    let app = portal.dev.app(&id).await;
    assert_eq!(app["tenants"].as_array().unwrap().len(), 1, "{app}");
    assert_eq!(app["tenants"][0]["id"], TENANT);
}

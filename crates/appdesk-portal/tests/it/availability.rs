//! Health and overload (issue 21 §5, §6): `/healthz` and `/readyz`, and a
//! database that is down or a pool that is exhausted answer 503 with
//! `Retry-After`, never 500; the portal recovers when PostgreSQL is back.

use std::time::{Duration, Instant};

use serde_json::json;

use crate::common::{Cluster, Portal, Reply, RowLock, cluster, sample_app};

#[track_caller]
fn assert_unavailable(reply: &Reply) {
    assert_eq!(
        reply.status, 503,
        "503, not {}: {}",
        reply.status, reply.text
    );
    let retry = reply.header("retry-after").expect("a Retry-After header");
    assert!(retry.parse::<u32>().is_ok_and(|s| s >= 1), "{retry}");
    let body = reply.json();
    assert!(
        body["code"].is_string() && body["message"].is_string(),
        "{body}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn healthz_and_readyz_answer_200_without_a_token() {
    let portal = Portal::start();
    let anonymous = portal.api(None);
    let health = anonymous.get("/healthz").await;
    health.expect(200);
    let ready = anonymous.get("/readyz").await;
    ready.expect(200);
    let body = ready.json();
    assert_eq!(body["database"], "ok", "{body}");
    let version = portal.psql("SELECT max(version) FROM portal_schema");
    assert_eq!(body["schema"], "ok", "{body}");
    assert_eq!(body["schemaVersion"].to_string(), version.trim(), "{body}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn readyz_is_503_naming_the_schema_when_the_database_lacks_a_migration() {
    let portal = Portal::start();
    let latest = portal.psql("SELECT max(version) FROM portal_schema");
    portal.psql(&format!(
        "DELETE FROM portal_schema WHERE version = {}",
        latest.trim()
    ));
    let reply = portal.api(None).get("/readyz").await;
    reply.expect(503);
    let body = reply.json();
    assert!(
        body["schema"]
            .as_str()
            .is_some_and(|s| s.contains(latest.trim())),
        "{body}"
    );
    portal.api(None).get("/healthz").await.expect(200);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_stopped_database_answers_503_with_retry_after_and_the_portal_recovers() {
    let cluster: &'static Cluster = Box::leak(Box::new(Cluster::start(cluster::FAST_UNSAFE)));
    let portal = Portal::start_on(cluster);
    let app = portal.dev.create_ok(&sample_app("Survives")).await;
    let id = app["id"].as_str().unwrap().to_owned();
    cluster.stop();
    assert_unavailable(&portal.dev.get("/v1/apps").await);
    assert_unavailable(&portal.dev.get(&format!("/v1/apps/{id}")).await);
    assert_unavailable(&portal.dev.create(&sample_app("While down")).await);
    let ready = portal.api(None).get("/readyz").await;
    ready.expect(503);
    assert_ne!(ready.json()["database"], "ok", "{}", ready.text);
    portal.api(None).get("/healthz").await.expect(200);

    cluster.start_again();
    let started = Instant::now();
    loop {
        let reply = portal.dev.get(&format!("/v1/apps/{id}")).await;
        if reply.status == 200 {
            break;
        }
        assert!(
            started.elapsed() < Duration::from_secs(30),
            "{}",
            reply.text
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    portal.api(None).get("/readyz").await.expect(200);
    portal.dev.create_ok(&sample_app("After")).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn an_exhausted_pool_answers_503_with_retry_after() {
    let portal = Portal::start_serving_with(
        cluster::shared(),
        &["--pool-size", "1", "--pool-timeout", "1"],
    );
    let app = portal.dev.create_ok(&sample_app("Locked")).await;
    let id = app["id"].as_str().unwrap().to_owned();
    let lock = RowLock::hold(&portal, &id, 30).await;
    // The PATCH waits for the row, holding the pool's one connection.
    let dev = portal.dev.clone();
    let blocked = {
        let id = id.clone();
        tokio::spawn(async move { dev.patch(&id, 1, &json!({"name": "Waited"})).await })
    };
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_unavailable(&portal.dev.get("/v1/apps").await);
    drop(lock);
    blocked.await.unwrap().expect(200);
    portal.dev.get("/v1/apps").await.expect(200);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_request_over_the_request_timeout_gets_503_is_logged_and_changes_nothing() {
    let portal = Portal::start_serving_with(cluster::shared(), &["--request-timeout", "1"]);
    let app = portal.dev.create_ok(&sample_app("Slow")).await;
    let id = app["id"].as_str().unwrap().to_owned();
    let mut lock = RowLock::hold(&portal, &id, 30).await;
    // The PATCH waits for the row past its deadline.
    let reply = portal.dev.patch(&id, 1, &json!({"name": "Too late"})).await;
    let still_locked = lock.is_held();
    drop(lock);
    assert_unavailable(&reply);
    assert!(still_locked, "answered while the row was still held");
    assert_eq!(portal.dev.app(&id).await["name"], "Slow", "nothing changed");
    let logged = portal.server.stdout_lines().iter().any(|line| {
        let entry: serde_json::Value = serde_json::from_str(line).unwrap_or_default();
        entry["method"] == "PATCH" && entry["status"] == 503
    });
    assert!(
        logged,
        "the request log has the 503: {:?}",
        portal.server.stdout_lines()
    );
}

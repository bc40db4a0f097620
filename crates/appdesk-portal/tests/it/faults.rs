//! Faults (issue §5): the server is SIGKILLed during a burst of writes and started
//! again. Every write that got a 2xx answer is there, nothing is half-written, and
//! a request retried with its key is not applied twice.

use std::collections::BTreeSet;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use serde_json::{Value, json};

use crate::common::{Api, Portal, catalog_view_scopes, if_match, new_key, sample_app, strings};

const WRITERS: usize = 8;

/// A write as sent: enough to send it again, byte for byte, with its key.
#[derive(Debug, Clone)]
struct Sent {
    app: String,
    key: String,
    revision: i64,
    body: Vec<u8>,
}

/// What became of a write before the kill: answered (with its answer), or not.
#[derive(Debug)]
enum Outcome {
    Answered(Sent, u16, Value),
    Unanswered(Sent),
}

async fn send(api: &Api, sent: &Sent) -> Result<(u16, String), reqwest::Error> {
    let headers = [
        ("idempotency-key", sent.key.clone()),
        ("if-match", if_match(sent.revision)),
    ];
    api.try_request(
        "PATCH",
        &format!("/v1/apps/{}", sent.app),
        Some(sent.body.clone()),
        &headers,
    )
    .await
}

/// Adds its scopes to its app one after another until the server stops answering.
async fn writer(
    api: Api,
    app: Value,
    scopes: Vec<String>,
    acked: Arc<AtomicUsize>,
) -> Vec<Outcome> {
    let id = app["id"].as_str().unwrap().to_owned();
    let mut revision = app["revision"].as_i64().unwrap();
    let mut outcomes = Vec::new();
    for scope in scopes {
        let body = serde_json::to_vec(&json!({"scopes": {"add": [scope.clone()]}})).unwrap();
        let sent = Sent {
            app: id.clone(),
            key: new_key(),
            revision,
            body,
        };
        match send(&api, &sent).await {
            Ok((status, text)) => {
                let body: Value = serde_json::from_str(&text).unwrap_or(Value::Null);
                assert_eq!(status, 200, "before the kill: {text}");
                revision = body["revision"].as_i64().unwrap();
                acked.fetch_add(1, Ordering::SeqCst);
                outcomes.push(Outcome::Answered(sent, status, body));
            }
            Err(_) => {
                outcomes.push(Outcome::Unanswered(sent));
                break;
            }
        }
    }
    outcomes
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_sigkill_during_writes_loses_no_acknowledged_write_and_applies_no_retry_twice() {
    let mut portal = Portal::start();
    let scopes = catalog_view_scopes();
    let per_writer = scopes.len() / WRITERS;
    let mut apps = Vec::new();
    for w in 0..WRITERS {
        let mut body = sample_app(&format!("Burst {w}"));
        body["scopes"] = json!([scopes[w * per_writer]]);
        apps.push(portal.dev.create_ok(&body).await);
    }

    let acked = Arc::new(AtomicUsize::new(0));
    let tasks: Vec<_> = apps
        .iter()
        .enumerate()
        .map(|(w, app)| {
            let mine = scopes[w * per_writer + 1..(w + 1) * per_writer].to_vec();
            tokio::spawn(writer(
                portal.dev.clone(),
                app.clone(),
                mine,
                Arc::clone(&acked),
            ))
        })
        .collect();
    while acked.load(Ordering::SeqCst) < 40 {
        tokio::time::sleep(Duration::from_millis(2)).await;
    }
    portal.server.kill();
    let mut outcomes = Vec::new();
    for task in tasks {
        outcomes.extend(task.await.expect("a writer"));
    }
    assert!(
        outcomes.iter().any(|o| matches!(o, Outcome::Unanswered(_))),
        "the kill cut writes short"
    );

    portal.restart();
    for outcome in &outcomes {
        match outcome {
            // Answered before the kill: there, and its key replays the same answer.
            Outcome::Answered(sent, status, body) => {
                let versions = portal.dev.versions(&sent.app).await;
                let version = body["version"].as_i64().unwrap();
                let stored = versions.iter().find(|v| v["version"] == version);
                let stored = stored.unwrap_or_else(|| {
                    panic!("acknowledged version {version} of {} is lost", sent.app)
                });
                assert_eq!(strings(&stored["scopes"]), strings(&body["scopes"]));
                let (again, text) = send(&portal.dev, sent).await.expect("an answer");
                assert_eq!(
                    (again, serde_json::from_str::<Value>(&text).unwrap()),
                    (*status, body.clone()),
                    "the replay"
                );
            }
            // Cut short: it either committed or not; the retry with its key makes it so once.
            Outcome::Unanswered(sent) => {
                let (status, text) = send(&portal.dev, sent).await.expect("an answer");
                assert_eq!(status, 200, "the retry of a cut-short write: {text}");
                let (again, text_again) = send(&portal.dev, sent).await.expect("an answer");
                assert_eq!((again, text_again), (status, text), "the retry replays");
            }
        }
    }

    // Nothing half-written, nothing twice: each app's versions are gapless, each
    // adds one scope once, and they replay to the app as it is.
    for app in &apps {
        let id = app["id"].as_str().unwrap();
        let versions = portal.dev.versions(id).await;
        let numbers: Vec<i64> = versions
            .iter()
            .map(|v| v["version"].as_i64().unwrap())
            .collect();
        assert_eq!(
            numbers,
            (1..=versions.len() as i64).collect::<Vec<_>>(),
            "gapless"
        );
        let mut scopes: BTreeSet<String> = strings(&versions[0]["scopes"]).into_iter().collect();
        for v in &versions[1..] {
            assert!(
                strings(&v["removed"]).is_empty(),
                "no write removed a scope: {v}"
            );
            for s in strings(&v["added"]) {
                assert!(scopes.insert(s), "a scope added twice: {v}");
            }
        }
        let current = portal.dev.app(id).await;
        assert_eq!(
            scopes.into_iter().collect::<Vec<_>>(),
            strings(&current["scopes"])
        );
        assert_eq!(
            current["version"].as_i64(),
            numbers.last().copied(),
            "the app's version"
        );
    }
    let written: usize = outcomes.len();
    let total: usize = {
        let mut n = 0;
        for app in &apps {
            n += portal.dev.versions(app["id"].as_str().unwrap()).await.len() - 1;
        }
        n
    };
    assert_eq!(total, written, "each write made exactly one version");
}

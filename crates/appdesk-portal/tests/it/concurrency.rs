//! Concurrency (issue §5): 16 clients change the same app's scopes at once, each
//! retrying on 412 as a real client would. Afterwards the versions are 1, 2, 3…
//! without a gap, every successful answer's version exists with the scopes that
//! answer showed, and the history replays to the final scopes.

use std::collections::BTreeSet;

use serde_json::{Value, json};

use crate::common::{Api, CUSTOMERS_R, Portal, catalog_view_scopes, sample_app, strings};

const CLIENTS: usize = 16;

/// One client's changes: add `a`, add `b`, remove `a`; each retried after a 412
/// with the revision the 412 gave. Returns every successful answer.
async fn client(api: Api, id: String, a: String, b: String) -> Vec<Value> {
    let changes = [
        json!({"scopes": {"add": [a.clone()]}}),
        json!({"scopes": {"add": [b]}}),
        json!({"scopes": {"remove": [a]}}),
    ];
    let mut answers = Vec::new();
    let mut revision = api.app(&id).await["revision"].as_i64().unwrap();
    for change in changes {
        loop {
            let reply = api.patch(&id, revision, &change).await;
            match reply.status {
                200 => {
                    let body = reply.json();
                    revision = body["revision"].as_i64().unwrap();
                    answers.push(body);
                    break;
                }
                412 => revision = reply.json()["currentRevision"].as_i64().unwrap(),
                other => panic!("HTTP {other}: {}", reply.text),
            }
        }
    }
    answers
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn sixteen_clients_on_one_apps_scopes_leave_gapless_versions_that_replay() {
    let portal = Portal::start();
    let app = portal.dev.create_ok(&sample_app("Contended")).await;
    let id = app["id"].as_str().unwrap().to_owned();
    let scopes: Vec<String> = catalog_view_scopes()
        .into_iter()
        .filter(|s| s != CUSTOMERS_R)
        .collect();
    assert!(
        scopes.len() >= 2 * CLIENTS,
        "enough distinct scopes in the catalog"
    );

    let tasks: Vec<_> = (0..CLIENTS)
        .map(|c| {
            let (a, b) = (scopes[2 * c].clone(), scopes[2 * c + 1].clone());
            tokio::spawn(client(portal.dev.clone(), id.clone(), a, b))
        })
        .collect();
    let mut answers = Vec::new();
    for task in tasks {
        answers.extend(task.await.expect("a client"));
    }

    let versions = portal.dev.versions(&id).await;
    let numbers: Vec<i64> = versions
        .iter()
        .map(|v| v["version"].as_i64().unwrap())
        .collect();
    let expected: Vec<i64> = (1..=(1 + 3 * CLIENTS as i64)).collect();
    assert_eq!(
        numbers, expected,
        "every change made a version, numbered without gaps"
    );

    for answer in &answers {
        let version = answer["version"].as_i64().unwrap();
        let stored = &versions[(version - 1) as usize];
        assert_eq!(
            strings(&stored["scopes"]),
            strings(&answer["scopes"]),
            "version {version} as answered"
        );
    }
    let distinct: BTreeSet<i64> = answers
        .iter()
        .map(|a| a["version"].as_i64().unwrap())
        .collect();
    assert_eq!(
        distinct.len(),
        answers.len(),
        "no two answers claim the same version"
    );

    let mut replayed: BTreeSet<String> = strings(&versions[0]["scopes"]).into_iter().collect();
    for v in &versions[1..] {
        for s in strings(&v["removed"]) {
            assert!(
                replayed.remove(&s),
                "version {}: removes {s}, which it did not have",
                v["version"]
            );
        }
        for s in strings(&v["added"]) {
            assert!(
                replayed.insert(s.clone()),
                "version {}: adds {s}, which it had",
                v["version"]
            );
        }
        assert_eq!(
            replayed.iter().cloned().collect::<Vec<_>>(),
            strings(&v["scopes"]),
            "version {}",
            v["version"]
        );
    }
    let final_scopes = strings(&portal.dev.app(&id).await["scopes"]);
    assert_eq!(
        replayed.into_iter().collect::<Vec<_>>(),
        final_scopes,
        "the history replays to the app"
    );
    let mut expected: Vec<String> = (0..CLIENTS).map(|c| scopes[2 * c + 1].clone()).collect();
    expected.push(CUSTOMERS_R.to_owned());
    expected.sort();
    assert_eq!(final_scopes, expected, "every client's net change is there");
}

//! The listings answered as a bare JSON array page like `/v1/apps` (issue 21
//! §4): `?limit=` (default 100, at most 1000) and `?cursor=`, the next
//! page's cursor in the `Next-Cursor` header, absent on the last page; the
//! body stays an array for the clients that read it so. Checked on an app's
//! versions, its connections and the upgrade requests; the oracle is what
//! this test wrote (250 versions, the connections and requests it made).

use std::collections::BTreeSet;

use serde_json::{Value, json};

use crate::common::{Api, JOBS_R, Portal, TENANT, sample_app};

/// Every page of `path`, as arrays, following `Next-Cursor`.
async fn pages(api: &Api, path: &str) -> Vec<Vec<Value>> {
    let mut out = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let url = match &cursor {
            None => path.to_owned(),
            Some(c) if path.contains('?') => format!("{path}&cursor={c}"),
            Some(c) => format!("{path}?cursor={c}"),
        };
        let reply = api.get(&url).await;
        assert_eq!(reply.status, 200, "{url}: {}", reply.text);
        let page = reply.json();
        out.push(
            page.as_array()
                .unwrap_or_else(|| panic!("not an array: {page}"))
                .clone(),
        );
        match reply.header("next-cursor") {
            Some(next) => cursor = Some(next),
            None => return out,
        }
        assert!(out.len() < 50, "more pages than items");
    }
}

#[tokio::test]
async fn versions_page_by_100_by_default_each_once_with_the_same_diffs() {
    let portal = Portal::start();
    let app = portal.dev.create_ok(&sample_app("Versioned")).await;
    let id = app["id"].as_str().expect("an id").to_owned();
    let mut revision = app["revision"].as_i64().expect("a revision");
    for i in 0..249 {
        let edit = if i % 2 == 0 { "add" } else { "remove" };
        let body = json!({"scopes": {edit: [JOBS_R]}});
        let reply = portal.dev.patch(&id, revision, &body).await;
        revision = reply.expect(200).etag_revision().expect("an ETag");
    }
    let paged = pages(&portal.dev, &format!("/v1/apps/{id}/versions")).await;
    let sizes: Vec<usize> = paged.iter().map(Vec::len).collect();
    assert_eq!(sizes, vec![100, 100, 50]);
    let whole = portal
        .dev
        .get(&format!("/v1/apps/{id}/versions?limit=1000"))
        .await;
    assert!(whole.header("next-cursor").is_none());
    let whole = whole.json();
    let numbers: Vec<i64> = paged
        .concat()
        .iter()
        .map(|v| v["version"].as_i64().unwrap())
        .collect();
    assert_eq!(numbers, (1..=250).collect::<Vec<i64>>());
    // What each version added and removed is the same on a page's first entry.
    assert_eq!(Value::Array(paged.concat()), whole);
}

#[tokio::test]
async fn connections_and_upgrade_requests_page_each_once_with_next_cursor() {
    let portal = Portal::start();
    let app = portal.dev.create_ok(&sample_app("Connected")).await;
    let id = app["id"].as_str().expect("an id").to_owned();
    for environment in ["integration", "production"] {
        let body = json!({"tenantId": TENANT, "environment": environment});
        portal
            .admin
            .connection_write(&id, "", Some(&body))
            .await
            .expect(201);
    }
    for api in [&portal.dev, &portal.admin] {
        let paged = pages(api, &format!("/v1/apps/{id}/connections?limit=1")).await;
        let sizes: Vec<usize> = paged.iter().map(Vec::len).collect();
        assert_eq!(sizes, vec![1, 1]);
        let environments: BTreeSet<String> = paged
            .concat()
            .iter()
            .map(|c| c["environment"].as_str().unwrap().to_owned())
            .collect();
        assert_eq!(environments.len(), 2);
    }

    let revision = portal.dev.app(&id).await["revision"].as_i64().unwrap();
    let body = json!({"scopes": {"add": [JOBS_R]}});
    portal.dev.patch(&id, revision, &body).await.expect(200);
    let path = format!("/v1/apps/{id}/upgrade-requests");
    for n in 0..3 {
        let ask = json!({"tenantId": TENANT, "environment": "integration", "fromVersion": 1,
                         "toVersion": 2, "notes": format!("request {n}")});
        portal
            .dev
            .write("POST", &path, Some(&ask), None)
            .await
            .expect(201);
    }
    for api in [&portal.dev, &portal.admin] {
        let paged = pages(api, "/v1/upgrade-requests?limit=1").await;
        let sizes: Vec<usize> = paged.iter().map(Vec::len).collect();
        assert_eq!(sizes, vec![1, 1, 1]);
        let notes: BTreeSet<String> = paged
            .concat()
            .iter()
            .map(|r| r["notes"].as_str().unwrap().to_owned())
            .collect();
        assert_eq!(notes.len(), 3, "each request once");
    }
    for path in [
        format!("/v1/apps/{id}/connections?limit=0"),
        format!("/v1/apps/{id}/versions?limit=1001"),
        "/v1/upgrade-requests?cursor=garbage".to_owned(),
    ] {
        let reply = portal.dev.get(&path).await;
        assert_eq!(reply.status, 400, "{path}: {}", reply.text);
    }
}

//! Paging of the listings (issue 21 §4), over HTTP against the real portal:
//! `GET /v1/apps?limit=&cursor=` answers 100 apps by default and 1000 at
//! most, `nextCursor` leads through every app exactly once and is absent on
//! the last page, a cursor from one workspace shows another nothing of the
//! first, and a bad `limit` or `cursor` is a 400 naming it. The oracle is the
//! set of ids the creations answered.

use std::collections::BTreeSet;

use serde_json::Value;

use crate::common::{Api, Portal, sample_app};

/// Creates `count` apps through `api`, eight at a time; their ids.
async fn create_many(api: &Api, prefix: &str, count: usize) -> BTreeSet<String> {
    let mut ids = BTreeSet::new();
    let names: Vec<String> = (0..count).map(|i| format!("{prefix} {i:05}")).collect();
    for chunk in names.chunks(8) {
        let made = futures_join(api, chunk).await;
        ids.extend(made);
    }
    assert_eq!(ids.len(), count);
    ids
}

async fn futures_join(api: &Api, names: &[String]) -> Vec<String> {
    let mut tasks = Vec::new();
    for name in names {
        let api = api.clone();
        let body = sample_app(name);
        tasks.push(tokio::spawn(async move {
            api.create_ok(&body).await["id"]
                .as_str()
                .expect("an id")
                .to_owned()
        }));
    }
    let mut ids = Vec::new();
    for task in tasks {
        ids.push(task.await.expect("a creation"));
    }
    ids
}

/// Every page of `/v1/apps` from `query` on: each page's ids.
async fn pages(api: &Api, query: &str) -> Vec<Vec<String>> {
    let mut out = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let path = match &cursor {
            None => format!("/v1/apps{query}"),
            Some(c) => {
                let sep = if query.is_empty() { "?" } else { "&" };
                format!("/v1/apps{query}{sep}cursor={c}")
            }
        };
        let body = api.get(&path).await.ok();
        out.push(ids_of(&body));
        match body.get("nextCursor") {
            Some(Value::String(next)) => cursor = Some(next.clone()),
            None | Some(Value::Null) => return out,
            Some(other) => panic!("nextCursor is not a string: {other}"),
        }
        assert!(out.len() < 100, "more pages than apps");
    }
}

fn ids_of(body: &Value) -> Vec<String> {
    body["items"]
        .as_array()
        .unwrap_or_else(|| panic!("no items: {body}"))
        .iter()
        .map(|a| a["id"].as_str().expect("an id").to_owned())
        .collect()
}

#[tokio::test]
async fn apps_page_by_100_by_default_and_1000_at_most_each_app_once() {
    let portal = Portal::start();
    let made = create_many(&portal.dev, "Paged", 2500).await;

    let by_default = pages(&portal.dev, "").await;
    let sizes: Vec<usize> = by_default.iter().map(Vec::len).collect();
    assert_eq!(sizes, [vec![100; 25]].concat(), "pages of 100 by default");
    let seen: Vec<String> = by_default.concat();
    let unique: BTreeSet<String> = seen.iter().cloned().collect();
    assert_eq!(seen.len(), unique.len(), "an app listed twice");
    assert_eq!(unique, made, "every app exactly once");

    let largest = pages(&portal.dev, "?limit=1000").await;
    let sizes: Vec<usize> = largest.iter().map(Vec::len).collect();
    assert_eq!(sizes, vec![1000, 1000, 500]);
    assert_eq!(largest.concat().into_iter().collect::<BTreeSet<_>>(), made);

    // The tenant admin of TENANT sees every one of them (each lists TENANT).
    let admin_pages = pages(&portal.admin, "?limit=1000").await;
    assert_eq!(admin_pages.len(), 3);
    assert_eq!(
        admin_pages.concat().into_iter().collect::<BTreeSet<_>>(),
        made
    );
}

#[tokio::test]
async fn a_cursor_from_one_workspace_shows_another_nothing_of_the_first() {
    let portal = Portal::start();
    crate::common::run_command(&portal.database, &["workspace", "create", "other"]);
    let other = portal.api(Some(&portal.token("other", "odev", &[])));
    let ours = create_many(&portal.dev, "Ours", 5).await;
    let theirs = create_many(&other, "Theirs", 3).await;

    let first = portal.dev.get("/v1/apps?limit=2").await.ok();
    let cursor = first["nextCursor"]
        .as_str()
        .expect("a next cursor")
        .to_owned();
    let there = other.get(&format!("/v1/apps?cursor={cursor}")).await.ok();
    let listed: BTreeSet<String> = ids_of(&there).into_iter().collect();
    assert!(
        listed.is_subset(&theirs),
        "{listed:?} holds apps of another workspace"
    );
    assert!(listed.is_disjoint(&ours));
    assert!(
        !cursor.contains(&portal.workspace),
        "the cursor names the workspace"
    );
}

#[tokio::test]
async fn a_bad_limit_or_cursor_is_a_400_naming_it() {
    let portal = Portal::start();
    create_many(&portal.dev, "Few", 2).await;
    for (query, field) in [
        ("limit=0", "limit"),
        ("limit=1001", "limit"),
        ("limit=-5", "limit"),
        ("limit=ten", "limit"),
        ("cursor=garbage", "cursor"),
        ("cursor=eyJ4Ijoi", "cursor"),
    ] {
        let reply = portal.dev.get(&format!("/v1/apps?{query}")).await;
        assert_eq!(reply.status, 400, "{query}: {}", reply.text);
        let body = reply.json();
        assert_eq!(body["field"], field, "{query}: {body}");
        if query == "limit=1001" {
            let message = body["message"].as_str().unwrap_or_default();
            assert!(message.contains("1000"), "the maximum is named: {message}");
        }
    }
}

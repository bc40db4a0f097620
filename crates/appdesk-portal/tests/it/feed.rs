//! The change feed (issue §3, §5): pages oldest first through every change to the
//! workspace's apps and connections (full snapshots, tombstones for deletions);
//! gapless under concurrent writers, so a reader sees every change exactly once;
//! 410 for a cursor older than the portal keeps.

use std::collections::{BTreeMap, BTreeSet};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

use crate::common::locks::HeldLock;
use crate::common::{
    Api, CUSTOMERS_R, JOBS_R, Portal, TENANT, catalog_view_scopes, run_command, sample_app, strings,
};

/// Pages through `/v1/changes` from `since`, as a client does (always going on from
/// the `next` it is given), until `count` changes have come, then checks that no
/// more follow: every change read, and the cursor to continue from. It waits for
/// changes the feed may still hold back (a committed change can show only once
/// older transactions have ended), up to 30 s.
pub async fn read_feed(
    api: &Api,
    since: Option<&str>,
    limit: usize,
    count: usize,
) -> (Vec<Value>, Option<String>) {
    let deadline = Instant::now() + Duration::from_secs(30);
    let mut cursor = since.map(str::to_owned);
    let mut changes = Vec::new();
    while changes.len() < count {
        let (page, next) = read_page(api, cursor.as_deref(), limit).await;
        assert!(
            page.len() <= limit,
            "a page holds at most limit={limit} changes"
        );
        cursor = next;
        if page.is_empty() {
            assert!(
                Instant::now() < deadline,
                "only {} of {count} changes came in 30 s: {changes:#?}",
                changes.len()
            );
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        changes.extend(page);
    }
    let (more, _) = read_page(api, cursor.as_deref(), limit).await;
    assert!(
        more.is_empty(),
        "more changes than the {count} made: {more:#?}"
    );
    (changes, cursor)
}

/// One page of `/v1/changes`.
pub async fn read_page(
    api: &Api,
    since: Option<&str>,
    limit: usize,
) -> (Vec<Value>, Option<String>) {
    let path = match since {
        Some(cursor) => format!("/v1/changes?since={cursor}&limit={limit}"),
        None => format!("/v1/changes?limit={limit}"),
    };
    let body = api.get(&path).await.ok();
    let changes = body["changes"]
        .as_array()
        .unwrap_or_else(|| panic!("changes: {body}"))
        .clone();
    let next = body["next"]
        .as_str()
        .map(str::to_owned)
        .or_else(|| body["next"].as_i64().map(|n| n.to_string()));
    (changes, next)
}

/// `(type, appId)` of each change, in feed order.
fn kinds(changes: &[Value]) -> Vec<(String, String)> {
    changes
        .iter()
        .map(|c| {
            (
                c["type"].as_str().unwrap().to_owned(),
                c["appId"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn the_feed_pages_oldest_first_through_snapshots_and_tombstones() {
    let portal = Portal::start();
    let a = portal.dev.create_ok(&sample_app("A")).await;
    let b = portal.dev.create_ok(&sample_app("B")).await;
    let (a_id, b_id) = (a["id"].as_str().unwrap(), b["id"].as_str().unwrap());
    portal
        .dev
        .patch(
            a_id,
            a["revision"].as_i64().unwrap(),
            &json!({"scopes": {"add": [JOBS_R]}}),
        )
        .await
        .ok();
    portal
        .dev
        .delete(b_id, b["revision"].as_i64().unwrap())
        .await
        .ok();
    let connect = json!({"tenantId": TENANT, "environment": "production"});
    portal
        .admin
        .connection_write(a_id, "", Some(&connect))
        .await
        .expect(201);

    let (changes, cursor) = read_feed(&portal.dev, None, 2, 6).await;
    let expected = [
        ("app", a_id),
        ("app", b_id),
        ("app", a_id),
        ("deleted", b_id),
        // A connect changes the app too (its revision, its connection counts).
        ("app", a_id),
        ("connection", a_id),
    ];
    let expected: Vec<(String, String)> = expected
        .iter()
        .map(|(t, id)| (t.to_string(), id.to_string()))
        .collect();
    assert_eq!(kinds(&changes), expected, "every change, oldest first");

    // Full snapshots: the scope change's has version 2, the last is the app as GET
    // shows it, the connection's has no secret.
    assert_eq!(changes[2]["version"], 2, "{}", changes[2]);
    assert_eq!(strings(&changes[2]["scopes"]), [CUSTOMERS_R, JOBS_R]);
    let latest = portal.dev.app(a_id).await;
    for (field, value) in latest.as_object().unwrap() {
        assert_eq!(&changes[4][field], value, "the snapshot's {field}");
    }
    let connection = &changes[5];
    assert_eq!(connection["tenantId"], TENANT);
    assert_eq!(connection["environment"], "production");
    assert_eq!(connection["version"], 2, "{connection}");
    assert!(
        connection.get("clientSecret").is_none(),
        "no secret in the feed: {connection}"
    );

    // From the last cursor: only what came since.
    let latest_rev = latest["revision"].as_i64().unwrap();
    portal
        .dev
        .patch(a_id, latest_rev, &json!({"name": "A2"}))
        .await
        .ok();
    let (since, _) = read_feed(&portal.dev, cursor.as_deref(), 10, 1).await;
    assert_eq!(kinds(&since), [("app".to_owned(), a_id.to_owned())]);
    assert_eq!(since[0]["name"], "A2");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_reader_sees_every_change_exactly_once_under_concurrent_writers() {
    const WRITERS: usize = 8;
    const CHANGES_EACH: usize = 12;
    let portal = Portal::start();
    // Not the sample app's own scope: adding it would change nothing.
    let scopes: Vec<String> = catalog_view_scopes()
        .into_iter()
        .filter(|s| s != CUSTOMERS_R)
        .collect();

    // Each writer creates an app and changes its scopes, one change after another;
    // it records every revision the portal acknowledged.
    let mut writers = Vec::new();
    for w in 0..WRITERS {
        let api = portal.dev.clone();
        let scopes: Vec<String> = scopes
            .iter()
            .skip(w * CHANGES_EACH)
            .take(CHANGES_EACH)
            .cloned()
            .collect();
        writers.push(tokio::spawn(async move {
            let app = api.create_ok(&sample_app(&format!("W{w}"))).await;
            let id = app["id"].as_str().unwrap().to_owned();
            let mut revisions = vec![app["revision"].as_i64().unwrap()];
            for scope in scopes {
                let body = json!({"scopes": {"add": [scope]}});
                let after = api.patch(&id, *revisions.last().unwrap(), &body).await.ok();
                revisions.push(after["revision"].as_i64().unwrap());
            }
            (id, revisions)
        }));
    }

    // Meanwhile a reader pages with small pages, as a client polling the feed.
    let mut seen: Vec<Value> = Vec::new();
    let mut cursor: Option<String> = None;
    while !writers.iter().all(|w| w.is_finished()) {
        let (page, next) = read_page(&portal.dev, cursor.as_deref(), 3).await;
        if page.is_empty() {
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
        seen.extend(page);
        cursor = next;
    }
    let mut acknowledged: BTreeMap<String, Vec<i64>> = BTreeMap::new();
    for writer in writers {
        let (id, revisions) = writer.await.expect("a writer");
        acknowledged.insert(id, revisions);
    }
    let made = WRITERS * (CHANGES_EACH + 1);
    let (rest, _) = read_feed(
        &portal.dev,
        cursor.as_deref(),
        3,
        made.saturating_sub(seen.len()),
    )
    .await;
    seen.extend(rest);

    let mut read: BTreeMap<String, Vec<i64>> = BTreeMap::new();
    for change in &seen {
        assert_eq!(change["type"], "app", "{change}");
        let id = change["appId"].as_str().unwrap().to_owned();
        read.entry(id)
            .or_default()
            .push(change["revision"].as_i64().unwrap());
    }
    assert_eq!(
        read, acknowledged,
        "each app's changes, each exactly once and in order"
    );
    let distinct: BTreeSet<_> = seen
        .iter()
        .map(|c| (c["appId"].clone().to_string(), c["revision"].to_string()))
        .collect();
    assert_eq!(distinct.len(), made);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_cursor_older_than_what_is_kept_gets_410() {
    let portal = Portal::start();
    let app = portal.dev.create_ok(&sample_app("Old")).await;
    let (_, first_cursor) = read_feed(&portal.dev, None, 1, 1).await;
    let id = app["id"].as_str().unwrap();
    let renamed = json!({"name": "New"});
    portal
        .dev
        .patch(id, app["revision"].as_i64().unwrap(), &renamed)
        .await
        .ok();
    let (_, newest) = read_feed(&portal.dev, first_cursor.as_deref(), 10, 1).await;

    // Retention forgets every change so far (older than 0 seconds).
    portal.forget_feed("team");
    let path = format!("/v1/changes?since={}", first_cursor.unwrap());
    let reply = portal.dev.get(&path).await;
    reply.expect(410);
    assert!(
        reply.json()["code"].is_string(),
        "the core's error body: {}",
        reply.text
    );

    // The client lists every app again, with the feed cursor of that listing, and
    // follows the feed from there; a reader that was up to date goes on as well.
    let list = portal.dev.get("/v1/apps").await.ok();
    assert_eq!(list["items"][0]["name"], "New", "{list}");
    let listed = list["cursor"]
        .as_str()
        .expect("the listing's feed cursor")
        .to_owned();
    let current = list["items"][0]["revision"].as_i64().unwrap();
    portal
        .dev
        .patch(id, current, &json!({"name": "Newer"}))
        .await
        .ok();
    for cursor in [Some(listed.as_str()), newest.as_deref()] {
        let (changes, _) = read_feed(&portal.dev, cursor, 10, 1).await;
        assert_eq!(
            kinds(&changes),
            [("app".to_owned(), id.to_owned())],
            "from {cursor:?}"
        );
        assert_eq!(changes[0]["name"], "Newer");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_cursor_given_while_a_change_is_held_back_still_leads_to_it() {
    let portal = Portal::start();
    // A writing transaction left open in another database of the same cluster, as
    // any other application's may be.
    let elsewhere = portal.cluster.create_database();
    let open = HeldLock::hold(portal.cluster, &elsewhere, "SELECT txid_current()");
    let app = portal.dev.create_ok(&sample_app("Held")).await;
    let (_, cursor) = read_page(&portal.dev, None, 10).await;

    open.release();
    let (changes, _) = read_feed(&portal.dev, cursor.as_deref(), 10, 1).await;
    assert_eq!(changes[0]["id"], app["id"], "{changes:?}");
}

/// A transaction open anywhere in the cluster holds back the feed, and a
/// listing's cursor with it (its snapshot's xmin). Retention must not prune
/// past it: a floor above that cursor answered 410 to the cursor of the very
/// listing a client made after a 410, for as long as the transaction ran.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_listings_cursor_is_accepted_after_a_prune_while_an_older_transaction_runs() {
    let portal = Portal::start();
    let elsewhere = portal.cluster.create_database();
    let open = HeldLock::hold(portal.cluster, &elsewhere, "SELECT txid_current()");
    let app = portal.dev.create_ok(&sample_app("Newer")).await;
    run_command(
        &portal.database,
        &["feed", "prune", "--workspace", "team", "--older-than", "0"],
    );
    let list = portal.dev.get("/v1/apps").await.ok();
    let cursor = list["cursor"]
        .as_str()
        .expect("a listing cursor")
        .to_owned();
    portal
        .dev
        .get(&format!("/v1/changes?since={cursor}"))
        .await
        .expect(200);

    open.release();
    let (changes, _) = read_feed(&portal.dev, Some(&cursor), 10, 1).await;
    assert_eq!(changes[0]["id"], app["id"], "{changes:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_cursor_from_a_feed_epoch_not_begun_gets_410() {
    let portal = Portal::start();
    portal.dev.create_ok(&sample_app("Now")).await;
    let (_, cursor) = read_feed(&portal.dev, None, 10, 1).await;
    let cursor = cursor.unwrap();
    let (epoch, rest) = cursor.split_once('.').unwrap();
    let ahead = format!("{}.{rest}", epoch.parse::<u64>().unwrap() + 1);
    let reply = portal.dev.get(&format!("/v1/changes?since={ahead}")).await;
    reply.expect(410);
}

/// Every end of a connection is in the feed (issue 18 §4): a tenant removed
/// from the app ends its connection, the app's deletion ends the rest; each is
/// a `connection` entry with status `ended`, naming the connection, before
/// the app's snapshot or tombstone moves on. The oracle for "gone" is the
/// portal's own list of the app's connections.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn every_end_of_a_connection_is_a_connection_entry_with_status_ended() {
    let portal = Portal::start();
    let mut body = sample_app("A");
    body["tenants"] = json!([{"id": TENANT, "note": ""}, {"id": "5678", "note": ""}]);
    let a = portal.dev.create_ok(&body).await;
    let a_id = a["id"].as_str().unwrap();
    let connect = |env: &str| json!({"tenantId": TENANT, "environment": env});
    let mut client_ids = Vec::new();
    for env in ["integration", "production"] {
        let made = portal
            .admin
            .connection_write(a_id, "", Some(&connect(env)))
            .await
            .expect(201)
            .json();
        client_ids.push(made["clientId"].clone());
    }
    let (_, cursor) = read_feed(&portal.dev, None, 100, 5).await;

    let revision = portal.dev.app(a_id).await["revision"].as_i64().unwrap();
    let removal = json!({"tenants": {"remove": [TENANT]}});
    portal.dev.patch(a_id, revision, &removal).await.ok();
    let listed = portal
        .dev
        .get(&format!("/v1/apps/{a_id}/connections"))
        .await;
    assert_eq!(listed.ok(), json!([]), "the portal lists none after");
    let (changes, cursor) = read_feed(&portal.dev, cursor.as_deref(), 100, 3).await;
    let ended: Vec<&Value> = changes.iter().filter(|c| c["status"] == "ended").collect();
    assert_eq!(ended.len(), 2, "one end per connection: {changes:#?}");
    for (end, (env, client_id)) in ended
        .iter()
        .zip(["integration", "production"].iter().zip(&client_ids))
    {
        assert_eq!(end["type"], "connection");
        assert_eq!(end["appId"], a_id);
        assert_eq!(end["tenantId"], TENANT);
        assert_eq!(end["environment"], *env);
        assert_eq!(&end["clientId"], client_id);
    }

    // The app's deletion ends the connections it still has, then tombstones it.
    let b = portal.dev.create_ok(&sample_app("B")).await;
    let b_id = b["id"].as_str().unwrap();
    let made = portal
        .admin
        .connection_write(b_id, "", Some(&connect("integration")))
        .await
        .expect(201)
        .json();
    let revision = portal.dev.app(b_id).await["revision"].as_i64().unwrap();
    portal.dev.delete(b_id, revision).await.ok();
    let (changes, _) = read_feed(&portal.dev, cursor.as_deref(), 100, 5).await;
    let tail: Vec<(Value, Value)> = changes[3..]
        .iter()
        .map(|c| (c["type"].clone(), c["status"].clone()))
        .collect();
    assert_eq!(
        tail,
        [
            (json!("connection"), json!("ended")),
            (json!("deleted"), Value::Null)
        ],
        "{changes:#?}"
    );
    assert_eq!(changes[3]["clientId"], made["clientId"]);
    assert_eq!(changes[3]["appId"], b_id);
}

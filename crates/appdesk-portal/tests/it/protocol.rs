//! The wire types (issue 18 item 10): every answer the real portal gives, to
//! every kind of request, reads into `appdesk-protocol`'s types, as the sync
//! client reads it. The oracle is the portal's own HTTP answers, checked here
//! value by value against what the requests asked for.

use appdesk_core::{AppStatus, ErrorCode};
use appdesk_protocol::{
    App, AppList, Change, ChangesPage, Connection, ConnectionState, Deleted, ErrorBody,
    HistoryEntry,
};
use serde::de::DeserializeOwned;
use serde_json::json;

use crate::common::{Api, CUSTOMERS_R, JOBS_R, Portal, Reply, TENANT, sample_app};
use crate::feed::read_feed;

/// The answer's body as `T`, read strictly: a field of the wrong type or
/// missing fails the test, naming the answer.
fn read<T: DeserializeOwned>(reply: &Reply, status: u16) -> T {
    reply.expect(status);
    serde_json::from_str(&reply.text)
        .unwrap_or_else(|e| panic!("not a {}: {e}: {}", std::any::type_name::<T>(), reply.text))
}

async fn get<T: DeserializeOwned>(api: &Api, path: &str) -> T {
    read(&api.get(path).await, 200)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn every_answer_of_the_portal_reads_into_the_protocol_types() {
    let portal = Portal::start();
    let created: App = read(&portal.dev.create(&sample_app("Wired")).await, 201);
    assert_eq!(
        (created.name.as_str(), created.status, created.version),
        ("Wired", AppStatus::Created, Some(1))
    );
    assert_eq!(created.scopes, [CUSTOMERS_R]);
    assert_eq!(
        (
            created.tenants[0].id.as_str(),
            created.tenants[0].note.as_str()
        ),
        (TENANT, "Acme HQ")
    );
    let id = created.id.clone();

    let add = json!({"scopes": {"add": [JOBS_R], "remove": []}});
    let patched: App = read(&portal.dev.patch(&id, created.revision, &add).await, 200);
    assert_eq!((patched.version, patched.scopes.len()), (Some(2), 2));
    assert!(patched.versions.is_empty(), "versions ride the feed only");

    let list: AppList = get(&portal.dev, "/v1/apps").await;
    assert_eq!(list.items, std::slice::from_ref(&patched));
    assert!(!list.cursor.is_empty());
    let history: Vec<HistoryEntry> = get(&portal.dev, &format!("/v1/apps/{id}/versions")).await;
    assert_eq!(history.len(), 2);
    assert_eq!(
        (history[1].added.clone(), history[1].version),
        (vec![JOBS_R.to_owned()], 2)
    );

    let connect = json!({"tenantId": TENANT, "environment": "integration"});
    let reply = portal.admin.connection_write(&id, "", Some(&connect)).await;
    let connected: Connection = read(&reply, 201);
    assert!(connected.client_secret.is_some(), "shown once, on connect");
    assert_eq!(connected.tenant_id, TENANT);
    let listed: Vec<Connection> = get(&portal.dev, &format!("/v1/apps/{id}/connections")).await;
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0].client_secret, None, "never in the list");

    let app: App = get(&portal.dev, &format!("/v1/apps/{id}")).await;
    let deleted: Deleted = read(&portal.dev.delete(&id, app.revision).await, 200);
    assert_eq!(
        (deleted.app_id.as_str(), deleted.connections_ended),
        (id.as_str(), 1)
    );
    assert_eq!(Some(deleted.app_key), created.app_key);

    // create, patch, connect: an app entry each (the connect one with its
    // connection's); the delete: the connection's end, then the tombstone.
    let (entries, next) = read_feed(&portal.dev, None, 100, 6).await;
    let page: ChangesPage = serde_json::from_value(json!({"changes": entries, "next": next}))
        .unwrap_or_else(|e| panic!("the feed is not a ChangesPage: {e}"));
    let kinds: Vec<&str> = page.changes.iter().map(Change::kind).collect();
    assert_eq!(
        kinds,
        ["app", "app", "app", "connection", "connection", "deleted"]
    );
    assert!(page.changes.iter().all(|c| c.app_id() == id));
    let Change::App(second) = &page.changes[1] else {
        unreachable!()
    };
    assert_eq!(
        second.app.versions[0].version, 2,
        "the patch's version rides along"
    );
    let Change::Connection(end) = &page.changes[4] else {
        unreachable!()
    };
    let ConnectionState::Ended(end) = &end.state else {
        panic!("the delete ends the connection: {:?}", end.state)
    };
    assert_eq!(
        (end.tenant_id.as_str(), end.client_id.as_str()),
        (TENANT, connected.client_id.as_str())
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn every_error_of_the_portal_reads_into_the_error_body_with_the_cores_code() {
    let portal = Portal::start();
    let app: App = read(&portal.dev.create(&sample_app("Erring")).await, 201);
    let rename = json!({"name": "Erring 2"});
    let stale: ErrorBody = read(
        &portal.dev.patch(&app.id, app.revision + 1, &rename).await,
        412,
    );
    assert_eq!(stale.code, ErrorCode::PreconditionFailed);
    assert_eq!(stale.current_revision, Some(app.revision));

    let mut bad = sample_app("");
    bad["homepageUrl"] = json!("not a url");
    let invalid: ErrorBody = read(&portal.dev.create(&bad).await, 422);
    assert_eq!(invalid.code, ErrorCode::Invalid);
    let fields: Vec<&str> = invalid.problems.iter().map(|p| p.field.as_str()).collect();
    assert!(
        fields.contains(&"name") && fields.contains(&"homepageUrl"),
        "{fields:?}"
    );

    let missing: ErrorBody = read(&portal.dev.get("/v1/apps/no-such-app").await, 404);
    assert_eq!(missing.code, ErrorCode::NotFound);
    let gone: ErrorBody = read(&portal.dev.get("/v1/changes?since=0.1.1.1").await, 400);
    assert_eq!(
        (gone.code.known(), gone.field.as_deref()),
        (Some(ErrorCode::Malformed), Some("since"))
    );
    let anonymous: ErrorBody = read(&portal.api(None).get("/v1/apps").await, 401);
    assert_eq!(anonymous.code, ErrorCode::Unauthorized);
}

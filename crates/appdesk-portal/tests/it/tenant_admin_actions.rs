//! What a tenant admin may do (issue 19 §1): connect, upgrade, disable,
//! enable and regenerate their own tenants' connections, on an app of any
//! workspace that lists their tenant; another tenant's connection is 403, an
//! app that lists none of their tenants 404. A replayed answer (same
//! Idempotency-Key) goes only to whom the write itself would go. The oracle
//! is the app's workspace members' list of its connections.

use serde_json::{Value, json};

use crate::common::{Api, JOBS_R, TENANT, new_key};
use crate::tenant_admins::{OTHER, World, id, world};

/// The app's connections as a member of its workspace lists them.
async fn members_view(member: &Api, app: &str) -> Value {
    member
        .get(&format!("/v1/apps/{app}/connections"))
        .await
        .ok()
}

fn connect(tenant: &str) -> Value {
    json!({"tenantId": tenant, "environment": "integration"})
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_tenant_admin_acts_on_their_own_tenants_connections_in_any_workspace() {
    let w = world().await;
    let (here, there) = (id(&w.shared_here), id(&w.shared_there));
    for (app, member) in [(here, &w.portal.dev), (there, &w.other_dev)] {
        let made = w
            .admin
            .connection_write(app, "", Some(&connect(TENANT)))
            .await;
        made.expect(201);
        let made = made.json();
        assert!(made["clientSecret"].as_str().unwrap().starts_with("cs1."));
        let listed = members_view(member, app).await;
        assert_eq!(listed[0]["clientId"], made["clientId"], "{listed}");
        // A developer's scope change, then the admin's upgrade to it.
        let revision = member.app(app).await["revision"].as_i64().unwrap();
        let scopes = json!({"scopes": {"add": [JOBS_R]}});
        member.patch(app, revision, &scopes).await.expect(200);
        let tail = |action: &str| format!("/{TENANT}/integration/{action}");
        let upgraded = w.admin.connection_write(app, &tail("upgrade"), None).await;
        upgraded.expect(200);
        assert_eq!(members_view(member, app).await[0]["version"], 2);
        for (action, status) in [("disable", "disabled"), ("enable", "active")] {
            w.admin
                .connection_write(app, &tail(action), None)
                .await
                .expect(200);
            assert_eq!(members_view(member, app).await[0]["status"], status);
        }
        let again = w
            .admin
            .connection_write(app, &tail("regenerate"), None)
            .await;
        let again = again.expect(200).json();
        assert_ne!(again["clientSecret"], made["clientSecret"]);
        assert_eq!(again["clientId"], made["clientId"]);
        // The app's own workspace hears of the admin's actions in its feed.
        assert!(
            hears_of(member, app, &made["clientId"]).await,
            "no connection change for {app} in its workspace's feed"
        );
    }
}

/// Whether the workspace's feed, read by `member`, carries a change of the
/// connection `client_id` of `app`; waits up to 30 s for changes the feed
/// holds back while older transactions of the cluster (other tests') run.
async fn hears_of(member: &Api, app: &str, client_id: &Value) -> bool {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    while std::time::Instant::now() < deadline {
        let feed = member.get("/v1/changes?limit=5000").await.ok();
        let heard =
            feed["changes"].as_array().unwrap().iter().any(|c| {
                c["type"] == "connection" && c["appId"] == app && c["clientId"] == *client_id
            });
        if heard {
            return true;
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    false
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn another_tenants_connection_is_403_and_an_app_not_theirs_404() {
    let w = world().await;
    let here = id(&w.shared_here);
    // The app lists OTHER as well, but OTHER is not this admin's.
    let reply = w
        .admin
        .connection_write(here, "", Some(&connect(OTHER)))
        .await;
    reply.expect(403);
    assert_eq!(reply.json()["code"], "not_allowed", "{}", reply.text);
    let other_admin = w.portal.api(Some(&w.portal.token("team", "oa", &[OTHER])));
    other_admin
        .connection_write(here, "", Some(&connect(OTHER)))
        .await
        .expect(201);
    let before = members_view(&w.portal.dev, here).await;
    for action in ["upgrade", "disable", "enable", "regenerate"] {
        let tail = format!("/{OTHER}/integration/{action}");
        let reply = w.admin.connection_write(here, &tail, None).await;
        reply.expect(403);
        assert!(!reply.text.contains("cs1."), "{}", reply.text);
    }
    assert_eq!(members_view(&w.portal.dev, here).await, before, "as it was");
    // Apps that list none of their tenants, and no app at all: 404.
    let missing = uuid::Uuid::now_v7().to_string();
    for app in [id(&w.not_ours_here), id(&w.not_ours_there), &missing] {
        let reply = w
            .admin
            .connection_write(app, "", Some(&connect(TENANT)))
            .await;
        reply.expect(404);
        let tail = format!("/{TENANT}/integration/disable");
        w.admin.connection_write(app, &tail, None).await.expect(404);
    }
    let rows = w
        .portal
        .psql("SELECT tenant_id FROM connections ORDER BY 1");
    assert_eq!(
        rows.trim(),
        OTHER,
        "plain SQL: only the other admin's connection"
    );
}

/// `POST /v1/apps/{app}/connections` with the given key and `If-Match: *`.
async fn connect_with_key(api: &Api, app: &str, key: &str, tenant: &str) -> crate::common::Reply {
    let body = serde_json::to_vec(&connect(tenant)).unwrap();
    let headers = [
        ("idempotency-key", key.to_owned()),
        ("if-match", "*".to_owned()),
    ];
    api.request(
        "POST",
        &format!("/v1/apps/{app}/connections"),
        Some(body),
        &headers,
    )
    .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_replayed_connect_goes_only_to_whom_the_connect_itself_would() {
    let World {
        portal,
        admin,
        shared_here,
        ..
    } = world().await;
    let here = id(&shared_here);
    let key = new_key();
    let first = connect_with_key(&admin, here, &key, TENANT).await;
    first.expect(201);
    let secret = first.json()["clientSecret"].as_str().unwrap().to_owned();
    // Same key, same body, same user name: another tenant's admin, and a
    // developer of the app's workspace. Neither gets the stored answer.
    let same_name = portal.api(Some(&portal.token("team", "bea", &[OTHER])));
    let developer = portal.api(Some(&portal.token("team", "bea", &[])));
    for (api, status) in [(&same_name, 403), (&developer, 403)] {
        let reply = connect_with_key(api, here, &key, TENANT).await;
        reply.expect(status);
        assert!(
            !reply.text.contains(&secret),
            "the secret leaked: {}",
            reply.text
        );
        assert!(reply.header("idempotent-replayed").is_none());
    }
    // The admin's own retry is replayed (the control).
    let again = connect_with_key(&admin, here, &key, TENANT).await;
    again.assert_replays(&first);
    // Once the app stops listing the tenant, not even its admin's retry is.
    let revision = portal.dev.app(here).await["revision"].as_i64().unwrap();
    let removal = json!({"tenants": {"remove": [TENANT]}});
    portal.dev.patch(here, revision, &removal).await.expect(200);
    let gone = connect_with_key(&admin, here, &key, TENANT).await;
    gone.expect(404);
    assert!(!gone.text.contains(&secret), "{}", gone.text);
}

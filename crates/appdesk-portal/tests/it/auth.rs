//! Auth (issue §4): no token or a revoked one gets 401; a member's token sees
//! only its own workspace (another workspace's app is 404, never 403); a
//! developer gets 403 on a tenant admin's actions, and so does the admin of
//! another tenant. What tenant admins see is in tenant_admins.rs.

use serde_json::{Value, json};

use crate::common::{Portal, TENANT, run_command, run_quiet, sample_app};

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn no_token_or_a_wrong_one_gets_401() {
    let portal = Portal::start();
    let anonymous = portal.api(None);
    for path in ["/v1/apps", "/v1/changes"] {
        let reply = anonymous.get(path).await;
        reply.expect(401);
        assert!(
            reply.json()["code"].is_string(),
            "an error body: {}",
            reply.text
        );
    }
    anonymous.create(&sample_app("Nobody's")).await.expect(401);

    // A made-up token, one with a real prefix and a wrong secret, and another scheme.
    let prefix: String = portal.dev_token.chars().take("adp_".len() + 8).collect();
    for token in ["adp_00000000_nothing", &format!("{prefix}_wrongsecret"), ""] {
        portal.api(Some(token)).get("/v1/apps").await.expect(401);
    }
    let basic = [("authorization", "Basic ZGV2OmRldg==".to_owned())];
    anonymous
        .request("GET", "/v1/apps", None, &basic)
        .await
        .expect(401);
    assert!(portal.dev.app_ids().await.is_empty(), "nothing was created");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_revoked_token_gets_401() {
    let portal = Portal::start();
    let by_prefix = portal.token("team", "carol", &[]);
    let by_token = portal.token("team", "dave", &[]);
    for token in [&by_prefix, &by_token] {
        portal.api(Some(token)).get("/v1/apps").await.expect(200);
    }

    let prefix: String = by_prefix.chars().take("adp_".len() + 8).collect();
    run_quiet(&portal.database, &["token", "revoke", &prefix]);
    run_quiet(&portal.database, &["token", "revoke", &by_token]);

    for token in [&by_prefix, &by_token] {
        portal.api(Some(token)).get("/v1/apps").await.expect(401);
        portal
            .api(Some(token))
            .create(&sample_app("Revoked"))
            .await
            .expect(401);
    }
    portal.dev.get("/v1/apps").await.expect(200);
    assert!(portal.dev.app_ids().await.is_empty(), "nothing was created");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn another_workspaces_app_is_404_never_403() {
    let portal = Portal::start();
    let app = portal.dev.create_ok(&sample_app("Ours")).await;
    let id = app["id"].as_str().unwrap();
    let before = portal.dev.app(id).await;
    let revision = before["revision"].as_i64().unwrap();

    run_command(&portal.database, &["workspace", "create", "other"]);
    // A member of the other workspace (a tenant admin is a member of none:
    // see tenant_admins.rs).
    let outsider = portal.api(Some(&portal.token("other", "eve", &[])));
    let app_path = format!("/v1/apps/{id}");
    for path in [
        app_path.clone(),
        format!("{app_path}/versions"),
        format!("{app_path}/connections"),
    ] {
        outsider.get(&path).await.expect(404);
    }
    outsider
        .patch(id, revision, &json!({"name": "Taken"}))
        .await
        .expect(404);
    outsider.delete(id, revision).await.expect(404);
    let connect = json!({"tenantId": TENANT, "environment": "integration"});
    outsider
        .connection_write(id, "", Some(&connect))
        .await
        .expect(404);

    assert!(
        outsider.app_ids().await.is_empty(),
        "the other workspace lists no app"
    );
    let feed = outsider.get("/v1/changes").await.ok();
    assert_eq!(
        feed["changes"],
        json!([]),
        "the other workspace's feed is empty"
    );
    assert_eq!(portal.dev.app(id).await, before, "the app is as it was");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_developer_gets_403_on_tenant_admin_actions() {
    let portal = Portal::start();
    let app = portal.dev.create_ok(&sample_app("Dispatch")).await;
    let id = app["id"].as_str().unwrap();
    let connect = json!({"tenantId": TENANT, "environment": "integration"});

    let reply = portal.dev.connection_write(id, "", Some(&connect)).await;
    reply.expect(403);
    assert_eq!(reply.json()["code"], "not_allowed", "{}", reply.text);
    assert_eq!(
        connections(&portal, id).await,
        json!([]),
        "no connection was made"
    );

    portal
        .admin
        .connection_write(id, "", Some(&connect))
        .await
        .expect(201);
    let connected = connections(&portal, id).await;
    for action in ["upgrade", "disable", "enable", "regenerate"] {
        let tail = format!("/{TENANT}/integration/{action}");
        portal
            .dev
            .connection_write(id, &tail, None)
            .await
            .expect(403);
    }
    assert_eq!(
        connections(&portal, id).await,
        connected,
        "the connection is as it was"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn the_admin_of_another_tenant_gets_403() {
    let portal = Portal::start();
    let mut body = sample_app("Two tenants");
    body["tenants"] = json!([{"id": TENANT, "note": ""}, {"id": "7654321", "note": ""}]);
    let app = portal.dev.create_ok(&body).await;
    let id = app["id"].as_str().unwrap();

    let connect = json!({"tenantId": "7654321", "environment": "integration"});
    portal
        .admin
        .connection_write(id, "", Some(&connect))
        .await
        .expect(403);
    assert_eq!(
        connections(&portal, id).await,
        json!([]),
        "no connection was made"
    );
}

/// The app's connections, as the tenant admin lists them.
async fn connections(portal: &Portal, id: &str) -> Value {
    let body = portal
        .admin
        .get(&format!("/v1/apps/{id}/connections"))
        .await
        .ok();
    body.get("connections").cloned().unwrap_or(body)
}

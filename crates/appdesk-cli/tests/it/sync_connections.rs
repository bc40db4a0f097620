//! Connections in a linked database (issue 10 §5), with the real `appdesk`
//! and the real portal on a throwaway PostgreSQL: pulled by `sync` and shown
//! read-only, never with a secret; actions go to the portal's tenant-admin
//! endpoint when the token is an admin of the tenant, and are refused saying
//! why otherwise. The oracle is the portal's own API
//! (`GET /v1/apps/{id}/connections`).

use appdesk_testkit::{Client, Portal, Reply, block_on};
use serde_json::Value;

use crate::sync::{CUSTOMERS_R, sync};

const TENANT: &str = "1234";

/// The portal's answer to `GET /v1/apps/{app}/connections`, read with `token`.
fn connections_reply(portal: &Portal, token: &str, app: &str) -> Reply {
    block_on(portal.api(Some(token)).request(
        "GET",
        &format!("/v1/apps/{app}/connections"),
        None,
        &[],
    ))
}

/// The portal's list of the app's connections, read with `token`.
fn portal_connections(portal: &Portal, token: &str, app: &str) -> Value {
    let reply = connections_reply(portal, token, app);
    assert_eq!(reply.status, 200, "{}", reply.text);
    serde_json::from_str(&reply.text).unwrap()
}

/// An admin of the tenant and a developer, both linked, sharing one app:
/// the developer's (a tenant admin never writes to an app); the admin's
/// sync lists it (tenant admins have no feed).
fn admin_and_dev() -> (Portal, Client, Client, String, String) {
    let portal = Portal::start();
    let admin_token = portal.token("team", "admin", &[TENANT]);
    let (admin, dev) = (Client::new("admin"), Client::new("dev"));
    admin.link(&portal.base_url(), &admin_token);
    dev.link(&portal.base_url(), &portal.token("team", "dev", &[]));
    let app = dev.new_app("Board", &[TENANT], &[CUSTOMERS_R]);
    let id = app["id"].as_str().unwrap().to_owned();
    sync(&dev);
    sync(&admin);
    (portal, admin, dev, id, admin_token)
}

fn bytes_contain(client: &Client, needle: &str) -> bool {
    let dir = client.dir.path();
    std::fs::read_dir(dir).unwrap().any(|e| {
        let bytes = std::fs::read(e.unwrap().path()).unwrap_or_default();
        bytes.windows(needle.len()).any(|w| w == needle.as_bytes())
    })
}

#[test]
fn an_admin_token_connects_on_the_portal_and_the_secret_is_shown_once_never_kept() {
    let (portal, admin, dev, id, admin_token) = admin_and_dev();
    let connected = admin.json(&["conn", "connect", &id, "--tenant", TENANT]);
    let secret = connected["clientSecret"]
        .as_str()
        .expect("the secret, once");
    assert!(secret.starts_with("cs1."), "{connected}");
    let on_portal = portal_connections(&portal, &admin_token, &id);
    assert_eq!(on_portal[0]["clientId"], connected["clientId"]);
    assert!(!bytes_contain(&admin, secret), "the secret was stored");
    // The other client pulls it with the feed, read-only and without secret.
    sync(&dev);
    let listed = dev.json(&["conn", "list", &id]);
    assert_eq!(listed.as_array().unwrap().len(), 1, "{listed}");
    for field in ["tenantId", "environment", "status", "version", "clientId"] {
        assert_eq!(listed[0][field], on_portal[0][field], "{field}");
    }
    assert!(listed[0].get("clientSecret").is_none());
    let text = String::from_utf8(
        dev.cmd()
            .args(["conn", "list", &id])
            .output()
            .unwrap()
            .stdout,
    )
    .unwrap();
    assert!(text.contains("the portal's (origin), read-only"), "{text}");
    let reveal = dev.fails(&["conn", "show", &id, "--tenant", TENANT, "--reveal"]);
    assert_eq!(reveal.code, "not_allowed", "{}", reveal.message);
}

#[test]
fn a_token_that_is_not_the_tenants_admin_is_refused_saying_why_and_nothing_changes() {
    let (portal, admin, dev, id, admin_token) = admin_and_dev();
    admin.json(&["conn", "connect", &id, "--tenant", TENANT]);
    sync(&dev);
    let before = portal_connections(&portal, &admin_token, &id);
    let refused = dev.fails(&["conn", "disable", &id, "--tenant", TENANT]);
    assert_eq!(refused.code, "not_allowed");
    assert!(
        refused
            .message
            .contains("tenant admin's, on the portal \"origin\"")
            && refused.message.contains("not an admin of tenant 1234"),
        "{}",
        refused.message
    );
    assert_eq!(portal_connections(&portal, &admin_token, &id), before);
    assert_eq!(dev.json(&["conn", "list", &id])[0]["status"], "active");
    // The admin's disable goes through, and the developer pulls it.
    let done = admin.json(&["conn", "disable", &id, "--tenant", TENANT]);
    assert_eq!(done["status"], "disabled", "{done}");
    assert_eq!(
        portal_connections(&portal, &admin_token, &id)[0]["status"],
        "disabled"
    );
    sync(&dev);
    assert_eq!(dev.json(&["conn", "list", &id])[0]["status"], "disabled");
}

#[test]
fn an_admin_rotates_and_retires_the_previous_secret_on_the_portal_never_keeping_one() {
    let (portal, admin, dev, id, admin_token) = admin_and_dev();
    let connected = admin.json(&["conn", "connect", &id, "--tenant", TENANT]);
    let rotated = admin.json(&["conn", "rotate", &id, "--tenant", TENANT]);
    let secret = rotated["clientSecret"]
        .as_str()
        .expect("the new secret, once");
    assert!(secret.starts_with("cs1."), "{rotated}");
    assert_ne!(Some(secret), connected["clientSecret"].as_str());
    assert_eq!(rotated["clientId"], connected["clientId"]);
    let on_portal = portal_connections(&portal, &admin_token, &id);
    assert_eq!(on_portal[0]["hasPreviousSecret"], true, "{on_portal}");
    assert!(!bytes_contain(&admin, secret), "the secret was stored");
    // The portal's rule: a second rotation waits for the retirement, said so.
    let again = admin.fails(&["conn", "rotate", &id, "--tenant", TENANT]);
    assert_eq!(again.code, "conflict", "{}", again.message);
    assert!(
        again.message.contains("origin") && again.message.contains("retire the previous"),
        "{}",
        again.message
    );
    let retired = admin.json(&["conn", "retire-previous", &id, "--tenant", TENANT]);
    assert!(retired.get("clientSecret").is_none(), "{retired}");
    let on_portal = portal_connections(&portal, &admin_token, &id);
    assert_eq!(on_portal[0]["hasPreviousSecret"], false, "{on_portal}");
    // A developer's rotation is the portal's refusal too, nothing changed.
    sync(&dev);
    let refused = dev.fails(&["conn", "rotate", &id, "--tenant", TENANT]);
    assert_eq!(refused.code, "not_allowed", "{}", refused.message);
    assert!(
        refused.message.contains("not an admin of tenant 1234"),
        "{}",
        refused.message
    );
    assert_eq!(portal_connections(&portal, &admin_token, &id), on_portal);
}

#[test]
fn actions_on_an_app_never_synced_are_refused_in_a_linked_database() {
    let (_portal, admin, _dev, _, _) = admin_and_dev();
    let local = admin.new_app("Local only", &[TENANT], &[CUSTOMERS_R]);
    let local = local["id"].as_str().unwrap();
    for action in ["connect", "rotate", "retire-previous"] {
        let early = admin.fails(&["conn", action, local, "--tenant", TENANT]);
        assert!(
            early.message.contains("run appdesk sync first"),
            "{action}: {}",
            early.message
        );
    }
}

#[test]
fn a_client_listing_everything_again_after_a_410_ends_with_the_portals_connections() {
    let (portal, admin, dev, id, admin_token) = admin_and_dev();
    admin.json(&["conn", "connect", &id, "--tenant", TENANT]);
    // The feed forgets everything, the connection's change with it: the
    // developer's cursor gets 410 and the sync lists every app again.
    portal.forget_feed("team");
    sync(&dev);
    let on_portal = portal_connections(&portal, &admin_token, &id);
    let listed = dev.json(&["conn", "list", &id]);
    assert_eq!(on_portal.as_array().unwrap().len(), 1, "{on_portal}");
    assert_eq!(listed.as_array().unwrap().len(), 1, "{listed}");
    for field in ["tenantId", "environment", "status", "version", "clientId"] {
        assert_eq!(listed[0][field], on_portal[0][field], "{field}");
    }
}

/// The stored list of the app's connections (`conn list`).
fn listed_connections(client: &Client, app: &str) -> Vec<Value> {
    let listed = client.json(&["conn", "list", app]);
    listed.as_array().cloned().unwrap_or_default()
}

/// Another developer of the workspace, linked and synced.
fn member(portal: &Portal, user: &str) -> Client {
    let client = Client::new(user);
    client.link(&portal.base_url(), &portal.token("team", user, &[]));
    sync(&client);
    client
}

/// The admin (synced first: a connection action sends the app's revision)
/// connects the app's tenant; `observer` syncs and lists it.
fn connected_and_pulled(admin: &Client, observer: &Client, id: &str) {
    sync(admin);
    admin.json(&["conn", "connect", id, "--tenant", TENANT]);
    sync(observer);
    assert_eq!(listed_connections(observer, id).len(), 1, "pulled before");
}

#[test]
fn a_tenant_removed_on_the_portal_ends_its_connection_for_every_client() {
    let (portal, admin, dev, id, _) = admin_and_dev();
    let owner = member(&portal, "owner");
    // Two tenants, so that one can go (an app keeps at least one).
    dev.json(&["app", "tenants", &id, "--add", "5678"]);
    sync(&dev);
    connected_and_pulled(&admin, &owner, &id);
    dev.json(&["app", "tenants", &id, "--remove", TENANT]);
    sync(&dev);
    let on_portal = portal_connections(&portal, &portal.dev_token, &id);
    assert_eq!(on_portal, serde_json::json!([]), "ended on the portal");
    sync(&owner);
    let listed = listed_connections(&owner, &id);
    assert!(
        listed.is_empty(),
        "another client still lists a connection the portal ended: {listed:?}"
    );
}

/// The owner edits offline while the developer deletes the app on the portal:
/// the edit keeps the app at the owner's (a conflict), but its connections
/// ended with it on the portal. With `prune`, the feed forgets everything
/// first, so the owner lists every app again (410) instead of reading the ends.
fn deleted_while_edited(prune: bool) {
    let (portal, admin, dev, id, _) = admin_and_dev();
    let owner = member(&portal, "owner");
    connected_and_pulled(&admin, &owner, &id);
    owner.json(&["app", "edit", &id, "--name", "Still wanted"]);
    dev.json(&["app", "delete", &id]);
    sync(&dev);
    let gone = connections_reply(&portal, &portal.dev_token, &id);
    assert_eq!(gone.status, 404, "{}", gone.text);
    if prune {
        portal.forget_feed("team");
    }
    let report = sync(&owner);
    assert_eq!(report["conflicts"][0]["field"], "app", "{report}");
    let listed = listed_connections(&owner, &id);
    assert!(
        listed.is_empty(),
        "prune {prune}: the owner still lists connections of an app the portal deleted: \
         {listed:?}"
    );
}

#[test]
fn an_app_deleted_on_the_portal_ends_its_connections_even_where_an_edit_keeps_the_app() {
    deleted_while_edited(false);
}

#[test]
fn a_client_listing_everything_again_after_a_410_drops_the_connections_of_an_app_the_portal_deleted()
 {
    deleted_while_edited(true);
}

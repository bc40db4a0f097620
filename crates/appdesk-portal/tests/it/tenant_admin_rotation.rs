//! Rotate and retire-previous (issue 19 §1, the core's rule of issue 12):
//! a tenant admin rotates their own tenant's connection, getting the new
//! secret once while the previous one stays valid, listed as such, until
//! they retire it; a second rotation waits for that. Both actions go the way
//! of the others: 403 for another tenant, 404 for an app that lists none of
//! the admin's tenants, a member refused, a replay answered again without a
//! second rotation, a stale If-Match 412. The previous secret is sealed like
//! the current one. The oracles are the workspace member's list of the
//! app's connections and plain SQL on the portal's database.

use serde_json::{Value, json};

use crate::common::{Api, Reply, TENANT, if_match, new_key};
use crate::tenant_admins::{OTHER, World, id, world};

fn connect(tenant: &str) -> Value {
    json!({"tenantId": tenant, "environment": "integration"})
}

fn tail(tenant: &str, action: &str) -> String {
    format!("/{tenant}/integration/{action}")
}

/// `tenant`'s integration connection as `api` lists the app's connections.
async fn listed(api: &Api, app: &str, tenant: &str) -> Value {
    let list = api.get(&format!("/v1/apps/{app}/connections")).await.ok();
    list.as_array()
        .unwrap_or_else(|| panic!("not a list: {list}"))
        .iter()
        .find(|c| c["tenantId"] == tenant && c["environment"] == "integration")
        .cloned()
        .unwrap_or_else(|| panic!("no connection of {tenant}: {list}"))
}

/// `action` on `tenant`'s integration connection, If-Match at the app's revision.
async fn act(api: &Api, app: &str, tenant: &str, action: &str) -> Reply {
    api.connection_write(app, &tail(tenant, action), None).await
}

/// The first `connection` entry of `app` in the workspace's feed, read by
/// `member`, that `wanted` accepts; waits up to 30 s for entries the feed
/// holds back while older transactions of the cluster (other tests') run.
async fn feed_entry(member: &Api, app: &str, wanted: impl Fn(&Value) -> bool) -> Value {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    while std::time::Instant::now() < deadline {
        let feed = member.get("/v1/changes?limit=5000").await.ok();
        let found = feed["changes"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["type"] == "connection" && c["appId"] == app && wanted(c))
            .cloned();
        if let Some(entry) = found {
            return entry;
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    panic!("no such connection entry of {app} in the feed");
}

/// The connection's secret, as `api` connects it: shown once.
async fn connected(api: &Api, app: &str, tenant: &str) -> Value {
    let made = api.connection_write(app, "", Some(&connect(tenant))).await;
    made.expect(201).json()
}

/// A stored secret's fingerprint in plain SQL (current and previous), to see
/// whether a write touched them.
fn stored_secrets(w: &World, tenant: &str) -> String {
    w.portal.psql(&format!(
        "SELECT md5(secret), coalesce(md5(previous_secret), '-') FROM connections \
         WHERE tenant_id = '{tenant}'"
    ))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_tenant_admin_rotates_their_connection_keeping_the_previous_until_retired() {
    let w = world().await;
    let here = id(&w.shared_here);
    let member = &w.portal.dev;
    let made = connected(&w.admin, here, TENANT).await;
    let first = made["clientSecret"].as_str().unwrap();
    assert_eq!(
        listed(member, here, TENANT).await["hasPreviousSecret"],
        false,
        "one live secret after connect"
    );

    let rotated = act(&w.admin, here, TENANT, "rotate").await;
    let rotated = rotated.expect(200).json();
    let second = rotated["clientSecret"].as_str().expect("the new secret");
    assert!(second.starts_with("cs1."), "{second}");
    assert_ne!(second, first, "a new secret");
    assert_eq!(rotated["clientId"], made["clientId"], "the client id stays");
    assert_eq!(rotated["hasPreviousSecret"], true, "{rotated}");
    // The member's list (and the admin's) shows both secrets live, never a value.
    for api in [member, &w.admin] {
        let c = listed(api, here, TENANT).await;
        assert_eq!(c["hasPreviousSecret"], true, "{c}");
        assert_eq!(c["previousSecretCreatedAt"], made["secretCreatedAt"], "{c}");
        assert_eq!(c["secretCreatedAt"], rotated["secretCreatedAt"], "{c}");
        assert!(c.get("clientSecret").is_none(), "{c}");
    }

    // The app's workspace hears of it in its feed, never the secret.
    let entry = feed_entry(member, here, |c| c["hasPreviousSecret"] == true).await;
    assert_eq!(entry["clientId"], made["clientId"], "{entry}");
    assert!(entry.get("clientSecret").is_none(), "{entry}");

    // The core's rule: at most two live secrets, so a second rotation waits.
    let before = stored_secrets(&w, TENANT);
    let again = act(&w.admin, here, TENANT, "rotate").await;
    again.expect(409);
    assert_eq!(again.json()["code"], "conflict", "{}", again.text);
    assert!(again.text.contains("retire"), "{}", again.text);
    assert!(!again.text.contains("cs1."), "{}", again.text);
    assert_eq!(stored_secrets(&w, TENANT), before, "nothing changed");

    let retired = act(&w.admin, here, TENANT, "retire-previous").await;
    let retired = retired.expect(200).json();
    assert!(retired.get("clientSecret").is_none(), "{retired}");
    assert_eq!(retired["hasPreviousSecret"], false, "{retired}");
    let c = listed(member, here, TENANT).await;
    assert_eq!(c["hasPreviousSecret"], false, "{c}");
    assert!(c.get("previousSecretCreatedAt").is_none(), "{c}");
    assert_eq!(c["secretCreatedAt"], rotated["secretCreatedAt"], "{c}");

    // Nothing left to retire: refused, as the core says.
    let none = act(&w.admin, here, TENANT, "retire-previous").await;
    none.expect(409);
    assert_eq!(none.json()["code"], "not_allowed", "{}", none.text);

    // A plain regenerate ends both secrets at once, a rotation's previous too.
    act(&w.admin, here, TENANT, "rotate").await.expect(200);
    act(&w.admin, here, TENANT, "regenerate").await.expect(200);
    let c = listed(member, here, TENANT).await;
    assert_eq!(c["hasPreviousSecret"], false, "{c}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn rotate_and_retire_previous_are_403_for_another_tenant_and_404_for_an_app_not_theirs() {
    let w = world().await;
    let here = id(&w.shared_here);
    let other_admin = w.portal.api(Some(&w.portal.token("team", "oa", &[OTHER])));
    connected(&other_admin, here, OTHER).await;
    act(&other_admin, here, OTHER, "rotate").await.expect(200);
    let before = stored_secrets(&w, OTHER);
    for action in ["rotate", "retire-previous"] {
        let reply = act(&w.admin, here, OTHER, action).await;
        reply.expect(403);
        assert_eq!(reply.json()["code"], "not_allowed", "{}", reply.text);
        assert!(!reply.text.contains("cs1."), "{}", reply.text);
    }
    assert_eq!(stored_secrets(&w, OTHER), before, "as it was");
    // A misspelt action is no route, and the answer lists the actions.
    let misspelt = act(&w.admin, here, TENANT, "retire_previous").await;
    misspelt.expect(404);
    assert!(
        misspelt.json()["message"]
            .as_str()
            .unwrap()
            .ends_with("(upgrade, disable, enable, regenerate, rotate, retire-previous)"),
        "{}",
        misspelt.text
    );
    let missing = uuid::Uuid::now_v7().to_string();
    for app in [id(&w.not_ours_here), id(&w.not_ours_there), &missing] {
        for action in ["rotate", "retire-previous"] {
            let reply = act(&w.admin, app, TENANT, action).await;
            reply.expect(404);
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_member_is_refused_rotate_and_retire_previous_as_the_other_actions() {
    let w = world().await;
    let (here, there) = (id(&w.shared_here), id(&w.shared_there));
    connected(&w.admin, here, TENANT).await;
    let before = stored_secrets(&w, TENANT);
    let member = &w.portal.dev;
    let regenerate = act(member, here, TENANT, "regenerate").await;
    regenerate.expect(403);
    for action in ["rotate", "retire-previous"] {
        let reply = act(member, here, TENANT, action).await;
        reply.expect(403);
        assert_eq!(reply.json()["code"], regenerate.json()["code"]);
        assert!(!reply.text.contains("cs1."), "{}", reply.text);
        // An app of another workspace is not found, as for the other actions.
        act(member, there, TENANT, action).await.expect(404);
    }
    assert_eq!(stored_secrets(&w, TENANT), before, "as it was");
}

/// `POST …/{tenant}/integration/{action}` with the given key and If-Match.
async fn act_with(api: &Api, app: &str, action: &str, key: &str, revision: i64) -> Reply {
    let headers = [
        ("idempotency-key", key.to_owned()),
        ("if-match", if_match(revision)),
    ];
    let path = format!("/v1/apps/{app}/connections{}", tail(TENANT, action));
    api.request("POST", &path, None, &headers).await
}

async fn revision(api: &Api, app: &str) -> i64 {
    api.get(&format!("/v1/apps/{app}"))
        .await
        .expect(200)
        .etag_revision()
        .expect("an ETag")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_replayed_rotate_answers_the_same_secret_and_rotates_once() {
    let w = world().await;
    let here = id(&w.shared_here);
    connected(&w.admin, here, TENANT).await;
    let key = new_key();
    let at = revision(&w.admin, here).await;
    let first = act_with(&w.admin, here, "rotate", &key, at).await;
    first.expect(200);
    let after_first = stored_secrets(&w, TENANT);
    let again = act_with(&w.admin, here, "rotate", &key, at).await;
    again.assert_replays(&first);
    assert_eq!(
        stored_secrets(&w, TENANT),
        after_first,
        "the replay rotated nothing"
    );
    // The same for retire-previous.
    let key = new_key();
    let at = revision(&w.admin, here).await;
    let first = act_with(&w.admin, here, "retire-previous", &key, at).await;
    first.expect(200);
    let again = act_with(&w.admin, here, "retire-previous", &key, at).await;
    again.assert_replays(&first);
    let c = listed(&w.portal.dev, here, TENANT).await;
    assert_eq!(c["hasPreviousSecret"], false, "{c}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_stale_if_match_is_412_and_rotates_or_retires_nothing() {
    let w = world().await;
    let here = id(&w.shared_here);
    connected(&w.admin, here, TENANT).await;
    let stale = revision(&w.admin, here).await - 1;
    let before = stored_secrets(&w, TENANT);
    let reply = act_with(&w.admin, here, "rotate", &new_key(), stale).await;
    reply.expect(412);
    assert!(!reply.text.contains("cs1."), "{}", reply.text);
    assert_eq!(stored_secrets(&w, TENANT), before, "not rotated");
    let fresh = revision(&w.admin, here).await;
    act_with(&w.admin, here, "rotate", &new_key(), fresh)
        .await
        .expect(200);
    let before = stored_secrets(&w, TENANT);
    let reply = act_with(&w.admin, here, "retire-previous", &new_key(), fresh).await;
    reply.expect(412);
    assert_eq!(stored_secrets(&w, TENANT), before, "not retired");
    assert_eq!(
        listed(&w.portal.dev, here, TENANT).await["hasPreviousSecret"],
        true
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn the_previous_secret_is_sealed_never_plaintext_in_the_database() {
    let w = world().await;
    let here = id(&w.shared_here);
    let first = connected(&w.admin, here, TENANT).await["clientSecret"]
        .as_str()
        .unwrap()
        .to_owned();
    let rotated = act(&w.admin, here, TENANT, "rotate").await;
    let second = rotated.expect(200).json()["clientSecret"]
        .as_str()
        .unwrap()
        .to_owned();
    // The previous secret is kept (the control: else there is nothing to find).
    let kept = w.portal.psql(&format!(
        "SELECT previous_secret IS NOT NULL, length(previous_secret) > {} FROM connections \
         WHERE tenant_id = '{TENANT}'",
        first.len()
    ));
    assert_eq!(kept.trim(), "t|t", "the previous secret, sealed: {kept}");
    let dump = w.portal.dump();
    assert!(dump.contains("Dispatch"), "the dump has the data");
    for secret in [&first, &second] {
        assert!(!dump.contains(secret.as_str()), "a secret in plaintext");
        assert!(
            !dump.contains(&secret["cs1.".len()..]),
            "a secret's body in plaintext"
        );
    }
}

/// A database from before schema 7 (its connection has no secret time and no
/// room for a previous secret) is migrated on start: the connection's secret
/// is dated from the connection, with no previous one, and it rotates.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_connection_made_before_schema_7_is_dated_from_its_connection_and_rotates() {
    let mut w = world().await;
    let here = id(&w.shared_here).to_owned();
    let made = connected(&w.admin, &here, TENANT).await;
    w.portal.psql(
        "ALTER TABLE connections DROP COLUMN secret_created_at, \
         DROP COLUMN previous_secret, DROP COLUMN previous_secret_created_at; \
         DELETE FROM portal_schema WHERE version = 7",
    );
    w.portal.restart();
    let c = listed(&w.portal.dev, &here, TENANT).await;
    assert_eq!(c["secretCreatedAt"], made["connectedAt"], "{c}");
    assert_eq!(c["hasPreviousSecret"], false, "{c}");
    let rotated = act(&w.admin, &here, TENANT, "rotate").await;
    rotated.expect(200);
    let c = listed(&w.portal.dev, &here, TENANT).await;
    assert_eq!(c["previousSecretCreatedAt"], made["connectedAt"], "{c}");
}

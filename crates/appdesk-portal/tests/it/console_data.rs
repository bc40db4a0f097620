//! The console's data (issue 19 §2), over HTTP against the real portal: a
//! tenant admin's apps carry their own tenants' connections with how far
//! behind each is; an app's upgrade notes; upgrade requests, sent by a
//! member, listed to the admins of their tenants only (never another
//! tenant's) and to the members of their workspace, waiting, stale once a
//! developer makes a newer version, done once the admin upgrades. The
//! oracles are the members' own answers (connections, versions) and plain
//! SQL; that the notes are `appdesk notes`' own text is the CLI's test
//! (`upgrade_requests_reach_the_portal`), which compares the two.

use serde_json::{Value, json};

use crate::common::{Api, JOBS_R, TENANT, new_key, run_command};
use crate::tenant_admins::{OTHER, World, id, world};

const CUSTOMERS_W: &str = "tn.crm.customers:w";

/// The admin of [`OTHER`], a customer on the same app as [`TENANT`].
fn other_admin(w: &World) -> Api {
    let token = run_command(
        &w.portal.database,
        &["token", "create", "--tenant-admin", OTHER, "--user", "oda"],
    );
    w.portal.api(Some(&token))
}

/// The world, with [`TENANT`] and [`OTHER`] each connected to the shared
/// app by their own admin (the second returned) at version 1, then a
/// developer's version 2.
async fn both_connected_then_version_2() -> (World, Api) {
    let w = world().await;
    let second = other_admin(&w);
    let here = id(&w.shared_here);
    connect(&w.admin, here, TENANT).await;
    connect(&second, here, OTHER).await;
    add_scope(&w.portal.dev, here, JOBS_R).await;
    (w, second)
}

async fn connect(admin: &Api, app: &str, tenant: &str) {
    let body = json!({"tenantId": tenant, "environment": "integration"});
    admin
        .connection_write(app, "", Some(&body))
        .await
        .expect(201);
}

/// A developer's scope change: a new version.
async fn add_scope(member: &Api, app: &str, scope: &str) {
    let revision = member.app(app).await["revision"].as_i64().unwrap();
    let body = json!({"scopes": {"add": [scope]}});
    member.patch(app, revision, &body).await.expect(200);
}

async fn request(member: &Api, app: &str, body: &Value) -> crate::common::Reply {
    let path = format!("/v1/apps/{app}/upgrade-requests");
    member.write("POST", &path, Some(body), None).await
}

fn ask(tenant: &str, from: i64, to: i64) -> Value {
    json!({"tenantId": tenant, "environment": "integration", "fromVersion": from,
           "toVersion": to, "notes": format!("please upgrade {tenant}")})
}

/// `GET /v1/upgrade-requests` as `(tenantId, toVersion, state)`, sorted.
async fn listed(api: &Api) -> Vec<(String, i64, String)> {
    let list = api.get("/v1/upgrade-requests").await.ok();
    let mut out: Vec<(String, i64, String)> = list
        .as_array()
        .unwrap_or_else(|| panic!("not a list: {list}"))
        .iter()
        .map(|r| {
            (
                r["tenantId"].as_str().unwrap().to_owned(),
                r["toVersion"].as_i64().unwrap(),
                r["state"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    out.sort();
    out
}

fn row(tenant: &str, to: i64, state: &str) -> (String, i64, String) {
    (tenant.to_owned(), to, state.to_owned())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn an_admins_apps_carry_their_own_connections_with_how_far_behind() {
    let (w, _other_admin) = both_connected_then_version_2().await;
    let here = id(&w.shared_here);
    add_scope(&w.portal.dev, here, CUSTOMERS_W).await;
    let items = w.admin.get("/v1/apps").await.ok()["items"].clone();
    let item = |app: &str| {
        items
            .as_array()
            .unwrap()
            .iter()
            .find(|i| i["id"] == app)
            .cloned()
    };
    let seen = item(here).unwrap();
    // The member's list of the app's connections is the oracle for what they
    // are; behindBy is their distance to the latest version.
    let members: Vec<Value> = w
        .portal
        .dev
        .get(&format!("/v1/apps/{here}/connections"))
        .await
        .ok()
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["tenantId"] == TENANT)
        .map(|c| {
            json!({"tenantId": c["tenantId"], "environment": c["environment"],
                   "status": c["status"], "version": c["version"],
                   "latestVersion": c["latestVersion"], "behindBy": 2})
        })
        .collect();
    assert_eq!(seen["connections"], json!(members), "{seen}");
    assert_eq!(seen["connections"][0]["version"], 1);
    assert_eq!(seen["connections"][0]["latestVersion"], 3);
    assert!(
        !seen.to_string().contains(OTHER),
        "another tenant's connection shown: {seen}"
    );
    let one = w.admin.get(&format!("/v1/apps/{here}")).await.ok();
    assert_eq!(one, seen, "a read shows what the list shows");
    let there = item(id(&w.shared_there)).unwrap();
    assert_eq!(there["connections"], json!([]), "not connected: none");
    // After the upgrade, not behind.
    let tail = format!("/{TENANT}/integration/upgrade");
    w.admin
        .connection_write(here, &tail, None)
        .await
        .expect(200);
    let after = w.admin.get(&format!("/v1/apps/{here}")).await.ok();
    assert_eq!(after["connections"][0]["behindBy"], 0, "{after}");
    assert_eq!(after["connections"][0]["version"], 3, "{after}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn notes_put_write_access_and_removals_first_for_whoever_sees_the_app() {
    let w = world().await;
    let here = id(&w.shared_here);
    connect(&w.admin, here, TENANT).await;
    add_scope(&w.portal.dev, here, JOBS_R).await;
    add_scope(&w.portal.dev, here, CUSTOMERS_W).await;
    let notes = w.admin.get(&format!("/v1/apps/{here}/notes")).await.ok();
    // By default from the oldest version a connection is on to the latest.
    assert_eq!(
        (notes["from"].as_i64(), notes["to"].as_i64()),
        (Some(1), Some(3))
    );
    let text = notes["text"].as_str().unwrap();
    assert!(
        text.starts_with("Dispatch: version 1 to version 3\n"),
        "{text}"
    );
    let weigh = text.find("Weigh these first").expect("a weighty section");
    let other = text.find("Other changes").expect("the other changes");
    assert!(weigh < other, "write access first: {text}");
    assert!(text[weigh..other].contains("change your"), "{text}");
    assert!(
        notes["markdown"]
            .as_str()
            .unwrap()
            .starts_with("## Dispatch")
    );
    let member = w
        .portal
        .dev
        .get(&format!("/v1/apps/{here}/notes?from=2&to=3"))
        .await;
    let member = member.ok();
    assert_eq!(
        (member["from"].as_i64(), member["to"].as_i64()),
        (Some(2), Some(3))
    );
    assert!(!member["text"].as_str().unwrap().contains("Other changes"));
    for (query, field) in [("from=4", "from"), ("to=0", "to"), ("from=x", "from")] {
        let bad = w.admin.get(&format!("/v1/apps/{here}/notes?{query}")).await;
        bad.expect(422);
        assert_eq!(bad.json()["field"], field, "{}", bad.text);
    }
    let not_theirs = id(&w.not_ours_here);
    w.admin
        .get(&format!("/v1/apps/{not_theirs}/notes"))
        .await
        .expect(404);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn an_admins_default_notes_start_at_their_own_connection_not_another_customers() {
    let w = world().await;
    let here = id(&w.shared_here);
    // The other customer connects at version 1, the admin's at version 2.
    connect(&other_admin(&w), here, OTHER).await;
    add_scope(&w.portal.dev, here, JOBS_R).await;
    connect(&w.admin, here, TENANT).await;
    add_scope(&w.portal.dev, here, CUSTOMERS_W).await;
    let range = |notes: Value| (notes["from"].as_i64(), notes["to"].as_i64());
    let path = format!("/v1/apps/{here}/notes");
    assert_eq!(range(w.admin.get(&path).await.ok()), (Some(2), Some(3)));
    assert_eq!(
        range(w.portal.dev.get(&path).await.ok()),
        (Some(1), Some(3)),
        "a member's: the oldest of every connection"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn an_admin_lists_the_requests_for_their_tenants_never_another_tenants() {
    let (w, second) = both_connected_then_version_2().await;
    let here = id(&w.shared_here);
    for tenant in [TENANT, OTHER] {
        let made = request(&w.portal.dev, here, &ask(tenant, 1, 2)).await;
        made.expect(201);
        let made = made.json();
        assert_eq!(made["state"], "waiting", "{made}");
        assert_eq!(made["appName"], "Dispatch");
        assert_eq!(made["requestedBy"], "dev");
    }
    assert_eq!(listed(&w.admin).await, [row(TENANT, 2, "waiting")]);
    assert_eq!(listed(&second).await, [row(OTHER, 2, "waiting")]);
    let theirs = w.admin.get("/v1/upgrade-requests").await.text;
    assert!(
        !theirs.contains(OTHER),
        "another tenant's request: {theirs}"
    );
    assert!(
        theirs.contains("please upgrade 1234567"),
        "its notes: {theirs}"
    );
    // The members of the app's workspace see both; another workspace's none.
    assert_eq!(
        listed(&w.portal.dev).await,
        [row(TENANT, 2, "waiting"), row(OTHER, 2, "waiting")]
    );
    assert_eq!(listed(&w.other_dev).await, []);
    // A developer's newer version: both go stale.
    add_scope(&w.portal.dev, here, CUSTOMERS_W).await;
    assert_eq!(listed(&w.admin).await, [row(TENANT, 2, "stale")]);
    assert_eq!(listed(&second).await, [row(OTHER, 2, "stale")]);
    // The admin upgrades (to 3, past the 2 asked for): done, the other's not.
    let tail = format!("/{TENANT}/integration/upgrade");
    w.admin
        .connection_write(here, &tail, None)
        .await
        .expect(200);
    assert_eq!(listed(&w.admin).await, [row(TENANT, 2, "done")]);
    assert_eq!(listed(&second).await, [row(OTHER, 2, "stale")]);
    // Asked again for the latest: waiting.
    request(&w.portal.dev, here, &ask(OTHER, 1, 3))
        .await
        .expect(201);
    assert_eq!(
        listed(&second).await,
        [row(OTHER, 2, "stale"), row(OTHER, 3, "waiting")]
    );
    // The portal's own tables agree: two for OTHER, one for TENANT.
    let counted = w.portal.psql(
        "SELECT tenant_id || ':' || count(*) FROM upgrade_requests GROUP BY tenant_id \
         ORDER BY tenant_id",
    );
    assert_eq!(counted.trim(), format!("{TENANT}:1\n{OTHER}:2"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_bad_upgrade_request_is_refused_naming_its_field_and_stores_nothing() {
    let w = world().await;
    let here = id(&w.shared_here);
    connect(&w.admin, here, TENANT).await;
    add_scope(&w.portal.dev, here, JOBS_R).await;
    let bad = [
        (ask("3333333", 1, 2), "tenantId"),
        (ask("not a tenant", 1, 2), "tenantId"),
        (ask(TENANT, 1, 7), "toVersion"),
        (ask(TENANT, 0, 2), "fromVersion"),
        (ask(TENANT, 2, 1), "toVersion"),
        (ask(OTHER, 1, 2), "environment"),
    ];
    for (body, field) in bad {
        let reply = request(&w.portal.dev, here, &body).await;
        reply.expect(422);
        let error = reply.json();
        let named = error["field"] == field
            || error["problems"]
                .as_array()
                .is_some_and(|ps| ps.iter().any(|p| p["field"] == field));
        assert!(named, "{field} not named: {error}");
    }
    let mut staging = ask(TENANT, 1, 2);
    staging["environment"] = json!("staging");
    let reply = request(&w.portal.dev, here, &staging).await;
    reply.expect(422);
    assert_eq!(reply.json()["field"], "environment");
    let mut extra = ask(TENANT, 1, 2);
    extra["state"] = json!("done");
    assert!(request(&w.portal.dev, here, &extra).await.status >= 400);
    // A tenant admin never writes to an app; an app not theirs is 404.
    request(&w.admin, here, &ask(TENANT, 1, 2))
        .await
        .expect(403);
    request(&w.other_dev, here, &ask(TENANT, 1, 2))
        .await
        .expect(404);
    assert_eq!(
        w.portal
            .psql("SELECT count(*) FROM upgrade_requests")
            .trim(),
        "0"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn an_upgrade_request_sent_again_is_one_request() {
    let w = world().await;
    let here = id(&w.shared_here);
    connect(&w.admin, here, TENANT).await;
    add_scope(&w.portal.dev, here, JOBS_R).await;
    let path = format!("/v1/apps/{here}/upgrade-requests");
    let mut body = ask(TENANT, 1, 2);
    body["id"] = json!("01890a5d-ac96-774b-bcce-b302099a8057");
    let bytes = serde_json::to_vec(&body).unwrap();
    let key = [("idempotency-key", new_key())];
    let first = w
        .portal
        .dev
        .request("POST", &path, Some(bytes.clone()), &key)
        .await;
    first.expect(201);
    // The same key: the first answer again.
    let replay = w.portal.dev.request("POST", &path, Some(bytes), &key).await;
    replay.assert_replays(&first);
    // Another key, the same id (the first answer lost, its key expired).
    let again = request(&w.portal.dev, here, &body).await;
    again.expect(201);
    assert_eq!(again.json(), first.json());
    // Without notes, the portal writes them.
    let mut bare = ask(TENANT, 1, 2);
    bare.as_object_mut().unwrap().remove("notes");
    let made = request(&w.portal.dev, here, &bare).await.ok();
    assert!(
        made["notes"]
            .as_str()
            .unwrap()
            .starts_with("Dispatch: version 1 to version 2"),
        "{made}"
    );
    assert_eq!(
        w.portal
            .psql("SELECT count(*) FROM upgrade_requests")
            .trim(),
        "2"
    );
}

/// A member's connections list says how far behind each is, as the admin's
/// list does: after a developer's version 2 and then 3, a connection at 1 is
/// behind by 2 (the oracle: the versions the member reads).
#[tokio::test]
async fn a_members_connections_say_how_far_behind_each_is() {
    let (w, _second) = both_connected_then_version_2().await;
    let here = id(&w.shared_here);
    add_scope(&w.portal.dev, here, CUSTOMERS_W).await;
    let versions = w
        .portal
        .dev
        .get(&format!("/v1/apps/{here}/versions"))
        .await
        .ok();
    let latest = versions
        .as_array()
        .and_then(|v| v.iter().filter_map(|e| e["version"].as_i64()).max())
        .expect("versions");
    assert_eq!(latest, 3);
    let listed = w
        .portal
        .dev
        .get(&format!("/v1/apps/{here}/connections"))
        .await
        .ok();
    let mine = listed
        .as_array()
        .expect("a list")
        .iter()
        .find(|c| c["tenantId"] == TENANT)
        .cloned()
        .expect("the admin's connection");
    assert_eq!(mine["version"], 1, "{mine}");
    assert_eq!(mine["behindBy"], latest - 1, "{mine}");
}

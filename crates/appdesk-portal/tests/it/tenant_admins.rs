//! What a tenant admin sees (issue 19 §1; DESIGN.md, "Who may see and do
//! what"), over HTTP against the real portal: the apps that list one of their
//! tenants, in every workspace; of such an app only its name, organization,
//! homepage, versions and scopes (and the id, key and revision that identify
//! it) and their own tenants' connections; an app
//! that lists none of their tenants is 404 like one that does not exist;
//! another tenant's id or note never appears in any answer; no write to an
//! app (403); no feed (403). The oracles are the workspace members' own
//! answers and plain SQL on the portal's database.

use serde_json::{Value, json};

use crate::common::{Api, Portal, TENANT, run_command, run_quiet, sample_app};

/// Another customer, on the same apps as [`TENANT`].
pub const OTHER: &str = "2222222";
/// A third customer, on the apps of the second workspace.
pub const THIRD: &str = "3333333";
/// Notes the vendor keeps about each customer: never an admin's to read.
pub const OWN_NOTE: &str = "note about the admin's own tenant";
pub const OTHER_NOTE: &str = "private note about customer two";
pub const THIRD_NOTE: &str = "private note about customer three";

/// Two workspaces, each with an app listing [`TENANT`] among others and an
/// app that does not list it, and the token of a tenant admin of [`TENANT`]
/// made without a workspace.
pub struct World {
    pub portal: Portal,
    /// A member of the second workspace, `other`.
    pub other_dev: Api,
    /// The admin of [`TENANT`], made with `--tenant-admin` alone.
    pub admin: Api,
    /// Workspace `team`: lists TENANT and OTHER.
    pub shared_here: Value,
    /// Workspace `other`: lists TENANT and THIRD.
    pub shared_there: Value,
    /// Workspace `team`: lists OTHER only.
    pub not_ours_here: Value,
    /// Workspace `other`: lists THIRD only.
    pub not_ours_there: Value,
}

fn app_body(name: &str, tenants: &[(&str, &str)]) -> Value {
    let mut body = sample_app(name);
    body["tenants"] = tenants
        .iter()
        .map(|(id, note)| json!({"id": id, "note": note}))
        .collect();
    body
}

pub async fn world() -> World {
    let portal = Portal::start();
    run_command(&portal.database, &["workspace", "create", "other"]);
    let other_dev = portal.api(Some(&portal.token("other", "odev", &[])));
    let admin_token = run_command(
        &portal.database,
        &["token", "create", "--tenant-admin", TENANT, "--user", "bea"],
    );
    let admin = portal.api(Some(&admin_token));
    let here = [(TENANT, OWN_NOTE), (OTHER, OTHER_NOTE)];
    let shared_here = portal.dev.create_ok(&app_body("Dispatch", &here)).await;
    let there = [(TENANT, OWN_NOTE), (THIRD, THIRD_NOTE)];
    let shared_there = other_dev.create_ok(&app_body("Billing", &there)).await;
    let not_ours_here = portal
        .dev
        .create_ok(&app_body("Payroll", &[(OTHER, OTHER_NOTE)]))
        .await;
    let not_ours_there = other_dev
        .create_ok(&app_body("Fleet", &[(THIRD, THIRD_NOTE)]))
        .await;
    World {
        portal,
        other_dev,
        admin,
        shared_here,
        shared_there,
        not_ours_here,
        not_ours_there,
    }
}

pub fn id(app: &Value) -> &str {
    app["id"].as_str().unwrap()
}

fn sorted_keys(value: &Value) -> Vec<String> {
    let mut keys: Vec<String> = value.as_object().unwrap().keys().cloned().collect();
    keys.sort();
    keys
}

/// The fields a tenant admin sees of an app, and nothing else.
const ADMIN_FIELDS: [&str; 10] = [
    "appKey",
    "connections",
    "homepageUrl",
    "id",
    "name",
    "organization",
    "revision",
    "scopes",
    "tenants",
    "version",
];

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_tenant_admin_lists_the_apps_that_list_their_tenants_in_every_workspace() {
    let w = world().await;
    let listed = w.admin.get("/v1/apps").await.ok();
    let items = listed["items"].as_array().unwrap();
    let mut ids: Vec<&str> = items.iter().map(id).collect();
    ids.sort();
    let mut expected = vec![id(&w.shared_here), id(&w.shared_there)];
    expected.sort();
    assert_eq!(ids, expected, "{listed}");
    // Each as its own workspace's member sees it, cut to the admin's fields.
    for (item, member) in [
        (&w.shared_here, &w.portal.dev),
        (&w.shared_there, &w.other_dev),
    ] {
        let full = member.app(id(item)).await;
        let seen = items.iter().find(|i| i["id"] == full["id"]).unwrap();
        assert_eq!(sorted_keys(seen), ADMIN_FIELDS, "{seen}");
        for field in ADMIN_FIELDS
            .iter()
            .filter(|f| !["tenants", "connections"].contains(f))
        {
            assert_eq!(seen[*field], full[*field], "{field}");
        }
        assert_eq!(seen["tenants"], json!([{"id": TENANT}]), "{seen}");
        let one = w.admin.get(&format!("/v1/apps/{}", id(item))).await;
        one.expect(200);
        assert_eq!(&one.json(), seen, "a read shows what the list shows");
        assert_eq!(one.etag_revision(), full["revision"].as_i64());
        assert_eq!(
            w.admin.versions(id(item)).await,
            member.versions(id(item)).await,
            "the versions with their scopes"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn an_app_that_lists_none_of_their_tenants_is_404_like_one_that_does_not_exist() {
    let w = world().await;
    let missing = uuid::Uuid::now_v7().to_string();
    let apps = [id(&w.not_ours_here), id(&w.not_ours_there), &missing];
    for app in apps {
        for tail in ["", "/versions", "/connections"] {
            let reply = w.admin.get(&format!("/v1/apps/{app}{tail}")).await;
            reply.expect(404);
            let body = reply.json();
            assert_eq!(body["code"], "not_found", "{body}");
            // The same words for an app elsewhere and for none at all.
            let message = body["message"].as_str().unwrap().replace(app, "ID");
            assert_eq!(message, "no app \"ID\" lists a tenant of this token");
        }
    }
    // The members of their workspaces still read them.
    w.portal.dev.app(id(&w.not_ours_here)).await;
    w.other_dev.app(id(&w.not_ours_there)).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn another_tenants_id_and_note_never_appear_in_any_answer_to_an_admin() {
    let w = world().await;
    // Connections of every tenant exist, made by each tenant's own admin.
    let other_admin = w.portal.api(Some(&w.portal.token("team", "oa", &[OTHER])));
    let third_admin = w.portal.api(Some(&w.portal.token("other", "ta", &[THIRD])));
    let connect = |tenant: &str| json!({"tenantId": tenant, "environment": "production"});
    let (here, there) = (id(&w.shared_here), id(&w.shared_there));
    for (api, app, tenant) in [
        (&other_admin, here, OTHER),
        (&third_admin, there, THIRD),
        (&w.admin, here, TENANT),
        (&w.admin, there, TENANT),
    ] {
        api.connection_write(app, "", Some(&connect(tenant)))
            .await
            .expect(201);
    }
    let mut bodies = vec![w.admin.get("/v1/apps").await.text];
    for app in [here, there] {
        for tail in ["", "/versions", "/connections"] {
            let reply = w.admin.get(&format!("/v1/apps/{app}{tail}")).await;
            reply.expect(200);
            bodies.push(reply.text);
        }
        for action in ["upgrade", "disable", "enable", "regenerate"] {
            let tail = format!("/{TENANT}/production/{action}");
            let reply = w.admin.connection_write(app, &tail, None).await;
            bodies.push(reply.text);
        }
    }
    bodies.push(w.admin.get("/v1/changes").await.text);
    let connections: Value = serde_json::from_str(&bodies[3]).unwrap();
    assert_eq!(connections.as_array().unwrap().len(), 1, "{connections}");
    assert_eq!(connections[0]["tenantId"], TENANT);
    for body in &bodies {
        for hidden in [OTHER, THIRD, OTHER_NOTE, THIRD_NOTE, OWN_NOTE] {
            assert!(!body.contains(hidden), "{hidden:?} in an answer: {body}");
        }
    }
    // Positive control: the member's answers do hold them.
    let member = w.portal.dev.get(&format!("/v1/apps/{here}")).await.text;
    assert!(
        member.contains(OTHER) && member.contains(OTHER_NOTE),
        "{member}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_tenant_admin_never_writes_to_an_app_and_gets_403_saying_why() {
    let w = world().await;
    let here = id(&w.shared_here);
    let revision = w.shared_here["revision"].as_i64().unwrap();
    let before = w.portal.dev.app(here).await;
    let ids_before = w.portal.dev.app_ids().await;
    let refused = [
        w.admin.create(&sample_app("Admin's own")).await,
        w.admin
            .patch(here, revision, &json!({"name": "Renamed"}))
            .await,
        w.admin
            .patch(here, revision, &json!({"tenants": {"remove": [OTHER]}}))
            .await,
        w.admin.delete(here, revision).await,
        // An app they cannot see: 403 too, saying nothing of its existence.
        w.admin.delete(id(&w.not_ours_here), revision).await,
    ];
    for reply in &refused {
        reply.expect(403);
        let body = reply.json();
        assert_eq!(body["code"], "not_allowed", "{body}");
        let message = body["message"].as_str().unwrap();
        assert!(
            message.contains("a tenant admin never writes to an app"),
            "{message}"
        );
    }
    assert_eq!(w.portal.dev.app(here).await, before, "the app is as it was");
    assert_eq!(w.portal.dev.app_ids().await, ids_before, "nothing created");
    let rows = w.portal.psql("SELECT count(*) FROM apps");
    assert_eq!(rows.trim(), "4", "plain SQL: still four apps");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn tenant_admins_have_no_feed_and_get_403_saying_where_to_look() {
    let w = world().await;
    for path in ["/v1/changes", "/v1/changes?since=0.0.0&limit=5"] {
        let reply = w.admin.get(path).await;
        reply.expect(403);
        let body = reply.json();
        assert_eq!(body["code"], "not_allowed", "{body}");
        let message = body["message"].as_str().unwrap();
        assert!(
            message.contains("tenant admins have no change feed"),
            "{message}"
        );
        assert!(message.contains("GET /v1/apps"), "{message}");
    }
    // A member's feed is as before (its entries may still be held back a
    // moment: only the answer's shape is checked here).
    let feed = w.portal.dev.get("/v1/changes").await.ok();
    assert!(feed["changes"].is_array(), "{feed}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn the_form_with_a_workspace_makes_the_same_admin_token_of_no_workspace() {
    let w = world().await;
    // The issue's own example: bea, admin of 2222222, made with --workspace.
    let out = crate::common::server::portal_command()
        .args(["token", "create", "--workspace", "team", "--user", "bea"])
        .args(["--tenant-admin", OTHER, "--database", &w.portal.database])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("not a member of a workspace"), "{stderr}");
    let token = String::from_utf8(out.stdout).unwrap().trim().to_owned();
    let bea = w.portal.api(Some(&token));
    let mut expected = vec![
        id(&w.shared_here).to_owned(),
        id(&w.not_ours_here).to_owned(),
    ];
    expected.sort();
    assert_eq!(
        bea.app_ids().await,
        expected,
        "only the apps listing 2222222"
    );
    let here = id(&w.shared_here);
    let revision = w.shared_here["revision"].as_i64().unwrap();
    bea.patch(here, revision, &json!({"name": "Renamed"}))
        .await
        .expect(403);
    let seen = bea.app(here).await;
    assert_eq!(seen["tenants"], json!([{"id": OTHER}]), "{seen}");
    let prefix: String = token.chars().take("adp_".len() + 8).collect();
    let stored = w.portal.psql(&format!(
        "SELECT workspace_id IS NULL, tenant_admin FROM tokens WHERE prefix = '{prefix}'"
    ));
    assert_eq!(stored.trim(), format!("t|{{{OTHER}}}"), "plain SQL");
    // Neither a workspace nor a tenant: refused, naming both options.
    let neither = crate::common::server::portal_command()
        .args([
            "token",
            "create",
            "--user",
            "nobody",
            "--database",
            &w.portal.database,
        ])
        .output()
        .unwrap();
    assert!(!neither.status.success());
    let said = String::from_utf8_lossy(&neither.stderr);
    assert!(
        said.contains("--workspace") && said.contains("--tenant-admin"),
        "{said}"
    );
    run_quiet(&w.portal.database, &["token", "revoke", &prefix]);
    bea.get("/v1/apps").await.expect(401);
}

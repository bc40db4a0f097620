//! Tokens made before schema 4 (issue 19 §1): a token made with
//! `--workspace W --tenant-admin ID` was used as an admin's; once the portal
//! migrates, it is a tenant admin's (no workspace), seeing the apps of every
//! workspace that list its tenants and writing to none, while a member's
//! token made then is still a member's. The database is built as schema 2
//! left it (its own migration files, run by psql), then served.

use serde_json::json;

use crate::common::{Api, Server, cluster, run_command, sample_app};

const SCHEMA_1: &str = include_str!("../../../../migrations/portal/0001_portal.sql");
const SCHEMA_2: &str = include_str!("../../../../migrations/portal/0002_feed_epoch.sql");

/// Token texts of the old rows (`adp_` + 8 + `_` + 40 of [a-z0-9]).
const OLD_ADMIN: &str = "adp_oldadmin_0000000000000000000000000000000000000001";
const OLD_MEMBER: &str = "adp_oldmembr_0000000000000000000000000000000000000002";
const FIRST: &str = "1111111";
const SECOND: &str = "7777777";

fn old_token_row(token: &str, user: &str, tenants: &str) -> String {
    let prefix = &token[..12];
    format!(
        "INSERT INTO tokens (prefix, hash, workspace_id, user_name, tenant_admin) \
         SELECT '{prefix}', sha256(convert_to('{token}', 'UTF8')), id, '{user}', \
         '{tenants}' FROM workspaces WHERE name = 'team';\n"
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn an_admin_token_made_with_a_workspace_before_schema_4_becomes_a_tenant_admins() {
    let cluster = cluster::shared();
    let db = cluster.create_database();
    let url = cluster.url(&db);
    let mut script = format!("BEGIN;\n{SCHEMA_1}\n{SCHEMA_2}\n");
    script.push_str(
        "CREATE TABLE portal_schema (version integer PRIMARY KEY, \
         applied_at timestamptz NOT NULL DEFAULT now());\n\
         INSERT INTO portal_schema (version) VALUES (1), (2);\n\
         INSERT INTO workspaces (id, name) VALUES (gen_random_uuid(), 'team');\n",
    );
    script.push_str(&old_token_row(
        OLD_ADMIN,
        "bea",
        &format!("{{{FIRST},{SECOND}}}"),
    ));
    script.push_str(&old_token_row(OLD_MEMBER, "dev", "{}"));
    script.push_str("COMMIT;\n");
    cluster.psql_script(&db, &script);

    let keys = tempfile::tempdir().unwrap();
    let server = Server::start(&url, &keys.path().join("portal.key"));
    let base = server.base_url();
    let (admin, member) = (
        Api::new(&base, Some(OLD_ADMIN)),
        Api::new(&base, Some(OLD_MEMBER)),
    );
    run_command(&url, &["workspace", "create", "other"]);
    let other = Api::new(
        &base,
        Some(&run_command(
            &url,
            &["token", "create", "--workspace", "other", "--user", "odev"],
        )),
    );
    let with_tenant = |name: &str, tenant: &str| {
        let mut body = sample_app(name);
        body["tenants"] = json!([{"id": tenant, "note": "private"}]);
        body
    };
    // The member's token still writes to its workspace.
    let first = member.create_ok(&with_tenant("Dispatch", FIRST)).await;
    let second = other.create_ok(&with_tenant("Billing", SECOND)).await;
    member.create_ok(&sample_app("Not theirs")).await;

    let mut expected = vec![
        first["id"].as_str().unwrap(),
        second["id"].as_str().unwrap(),
    ];
    expected.sort();
    assert_eq!(
        admin.app_ids().await,
        expected,
        "both tenants, both workspaces"
    );
    let revision = first["revision"].as_i64().unwrap();
    let id = first["id"].as_str().unwrap();
    admin
        .patch(id, revision, &json!({"name": "Renamed"}))
        .await
        .expect(403);
    admin.get("/v1/changes").await.expect(403);
    assert_eq!(
        member.app_ids().await.len(),
        2,
        "the member sees its workspace"
    );
    let rows = cluster.psql(
        &db,
        "SELECT user_name, workspace_id IS NULL FROM tokens WHERE user_name <> 'odev' ORDER BY 1",
    );
    assert_eq!(rows.trim(), "bea|t\ndev|f", "plain SQL");
}

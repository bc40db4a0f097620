//! The role matrix (issue 22 §2): {viewer, editor, owner} × every kind of
//! request, each with the status the issue gives it, and the data left as it
//! was after each refusal.

use serde_json::json;

use super::{api_with_role, data_of};
use crate::common::{Api, Portal, Reply, sample_app};
use crate::console::{Browser, session_of};

/// What one role gets: (read apps, create, patch, delete, feed, connection
/// list, members list, member add, member remove, audit read).
const MATRIX: [(&str, [u16; 10]); 3] = [
    ("viewer", [200, 403, 403, 403, 200, 200, 403, 403, 403, 403]),
    ("editor", [200, 201, 200, 200, 200, 200, 403, 403, 403, 403]),
    ("owner", [200, 201, 200, 200, 200, 200, 200, 201, 204, 200]),
];

const CELLS: [&str; 10] = [
    "read apps",
    "create app",
    "patch app",
    "delete app",
    "the feed",
    "connection list",
    "members list",
    "member add",
    "member remove",
    "audit read",
];

/// Checks one cell; a refusal must say the role and change nothing.
fn check(portal: &Portal, role: &str, cell: usize, expected: u16, before: &str, reply: &Reply) {
    assert_eq!(
        reply.status, expected,
        "{role} × {}: {} {}",
        CELLS[cell], reply.status, reply.text
    );
    if expected == 403 {
        assert!(
            reply.text.contains(role),
            "{role} × {}: the refusal does not name the role: {}",
            CELLS[cell],
            reply.text
        );
        assert_eq!(
            data_of(portal),
            before,
            "{role} × {}: a refusal changed the data",
            CELLS[cell]
        );
    }
}

async fn run_row(portal: &Portal, role: &str, api: &Api, expected: [u16; 10]) {
    // Each row works on apps of its own, made by an editor (the dev token).
    let app = portal
        .dev
        .create_ok(&sample_app(&format!("{role} app")))
        .await;
    let id = app["id"].as_str().unwrap().to_owned();
    let revision = app["revision"].as_i64().unwrap();
    let mut before = data_of(portal);
    let mut cells: Vec<Reply> = Vec::new();
    cells.push(api.get("/v1/apps").await);
    cells.push(api.create(&sample_app(&format!("{role} made"))).await);
    cells.push(
        api.patch(&id, revision, &json!({"name": format!("{role} renamed")}))
            .await,
    );
    let replies_so_far = cells.len();
    for (i, reply) in cells.iter().enumerate().take(replies_so_far) {
        // Creates and patches change the data when allowed: compare each
        // refusal with the data just before it.
        check(portal, role, i, expected[i], &before, reply);
        before = data_of(portal);
    }
    let revision = portal.dev.app(&id).await["revision"].as_i64().unwrap();
    let reply = api.delete(&id, revision).await;
    check(portal, role, 3, expected[3], &before, &reply);
    check(
        portal,
        role,
        4,
        expected[4],
        &before,
        &api.get("/v1/changes").await,
    );
    let other = portal
        .dev
        .create_ok(&sample_app(&format!("{role} other")))
        .await;
    let other = other["id"].as_str().unwrap();
    let before = data_of(portal);
    let path = format!("/v1/apps/{other}/connections");
    check(portal, role, 5, expected[5], &before, &api.get(&path).await);
    check(
        portal,
        role,
        6,
        expected[6],
        &before,
        &api.get("/v1/members").await,
    );
    let new_member = json!({"user": format!("{role}-added@example.com"), "role": "viewer"});
    let reply = api
        .write("POST", "/v1/members", Some(&new_member), None)
        .await;
    check(portal, role, 7, expected[7], &before, &reply);
    // Someone to remove, added by the command line.
    let target = format!("{role}-removed@example.com");
    crate::common::run_command(
        &portal.database,
        &[
            "member",
            "add",
            "--workspace",
            "team",
            "--user",
            &target,
            "--role",
            "editor",
        ],
    );
    let before = data_of(portal);
    let reply = api
        .write("DELETE", &format!("/v1/members/{target}"), None, None)
        .await;
    check(portal, role, 8, expected[8], &before, &reply);
    check(
        portal,
        role,
        9,
        expected[9],
        &before,
        &api.get("/v1/audit").await,
    );
}

#[tokio::test]
async fn each_role_gets_the_matrix_status_and_a_refusal_changes_nothing() {
    let portal = Portal::start();
    for (role, expected) in MATRIX {
        let api = api_with_role(&portal, &format!("{role}@example.com"), role);
        run_row(&portal, role, &api, expected).await;
    }
}

#[tokio::test]
async fn a_token_made_without_a_role_is_an_editor() {
    let portal = Portal::start();
    // The testkit's dev token is made without --role.
    portal.dev.create_ok(&sample_app("by an editor")).await;
    let reply = portal.dev.get("/v1/members").await;
    reply.expect(403);
    assert!(reply.text.contains("editor"), "{}", reply.text);
    assert_eq!(
        portal
            .psql("SELECT role FROM tokens WHERE user_name = 'dev'")
            .trim(),
        "editor"
    );
}

#[tokio::test]
async fn a_console_session_carries_its_tokens_role() {
    let portal = Portal::start();
    let viewer = super::token_with_role(&portal, "vera@example.com", "viewer");
    let cookie = session_of(&portal, &viewer).await;
    let browser = Browser::new(&portal, &cookie);
    browser.get("/v1/apps").await.expect(200);
    let me = browser.get("/v1/me").await;
    me.expect(200);
    assert_eq!(me.json()["role"], "viewer", "{}", me.text);
    let before = data_of(&portal);
    let reply = browser
        .write("POST", "/v1/apps", Some(&sample_app("x")), None)
        .await;
    reply.expect(403);
    assert!(reply.text.contains("viewer"), "{}", reply.text);
    assert_eq!(data_of(&portal), before);
}

#[tokio::test]
async fn an_unknown_role_is_refused_by_name() {
    let portal = Portal::start();
    let out = crate::common::server::portal_command()
        .args([
            "token",
            "create",
            "--workspace",
            "team",
            "--user",
            "x",
            "--role",
            "boss",
        ])
        .args(["--database", &portal.database])
        .output()
        .unwrap();
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("boss"), "{stderr}");
    let owner = api_with_role(&portal, "olga@example.com", "owner");
    let reply = owner
        .write(
            "POST",
            "/v1/members",
            Some(&json!({"user": "a@b.c", "role": "boss"})),
            None,
        )
        .await;
    assert!(
        reply.status == 422 || reply.status == 400,
        "{} {}",
        reply.status,
        reply.text
    );
    assert!(reply.text.contains("role"), "{}", reply.text);
    assert_eq!(portal.psql("SELECT count(*) FROM members").trim(), "0");
}

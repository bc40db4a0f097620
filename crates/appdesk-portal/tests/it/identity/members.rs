//! `appdesk-portal member` and `tenant-admin` (issue 22 §2): added, listed
//! and removed by the command line, and the same members over the API.

use serde_json::{Value, json};

use super::api_with_role;
use crate::common::{Portal, run_command, run_quiet, server::portal_command};

/// `member list --workspace team`, one JSON object a line.
fn listed(portal: &Portal) -> Vec<Value> {
    run_quiet(&portal.database, &["member", "list", "--workspace", "team"])
        .lines()
        .map(|l| serde_json::from_str(l).expect("a JSON line"))
        .collect()
}

#[tokio::test]
async fn members_added_by_the_command_line_are_listed_by_it_and_by_the_api() {
    let portal = Portal::start();
    for (user, role) in [("ann@example.com", "owner"), ("ben@example.com", "viewer")] {
        run_command(
            &portal.database,
            &[
                "member",
                "add",
                "--workspace",
                "team",
                "--user",
                user,
                "--role",
                role,
            ],
        );
    }
    let members = listed(&portal);
    assert_eq!(
        members
            .iter()
            .map(|m| (m["user"].as_str().unwrap(), m["role"].as_str().unwrap()))
            .collect::<Vec<_>>(),
        vec![("ann@example.com", "owner"), ("ben@example.com", "viewer")]
    );
    let owner = api_with_role(&portal, "ann@example.com", "owner");
    let over_http = owner.get("/v1/members").await;
    over_http.expect(200);
    let users: Vec<String> = over_http.json()["members"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| {
            format!(
                "{}={}",
                m["user"].as_str().unwrap(),
                m["role"].as_str().unwrap()
            )
        })
        .collect();
    assert_eq!(users, ["ann@example.com=owner", "ben@example.com=viewer"]);

    // Adding again changes the role; removing takes the member away.
    run_command(
        &portal.database,
        &[
            "member",
            "add",
            "--workspace",
            "team",
            "--user",
            "ben@example.com",
            "--role",
            "editor",
        ],
    );
    owner
        .write(
            "POST",
            "/v1/members",
            Some(&json!({"user": "cy@example.com", "role": "viewer"})),
            None,
        )
        .await
        .expect(201);
    run_command(
        &portal.database,
        &[
            "member",
            "remove",
            "--workspace",
            "team",
            "--user",
            "ann@example.com",
        ],
    );
    let roles: Vec<String> = listed(&portal)
        .iter()
        .map(|m| {
            format!(
                "{}={}",
                m["user"].as_str().unwrap(),
                m["role"].as_str().unwrap()
            )
        })
        .collect();
    assert_eq!(roles, ["ben@example.com=editor", "cy@example.com=viewer"]);
    owner
        .write("DELETE", "/v1/members/nobody@example.com", None, None)
        .await
        .expect(404);
    // Hostile bodies: named, and nothing changes.
    let before = super::data_of(&portal);
    for body in [
        json!({"user": "a\u{7}b@example.com", "role": "viewer"}),
        json!({"user": "", "role": "viewer"}),
        json!({"user": "x".repeat(500), "role": "owner"}),
        json!({"user": "d@example.com", "role": "viewer", "admin": true}),
    ] {
        let reply = owner.write("POST", "/v1/members", Some(&body), None).await;
        assert!(
            reply.status == 422 || reply.status == 400,
            "{body}: {}",
            reply.status
        );
        assert!(
            reply.text.contains("user") || reply.text.contains("admin"),
            "{}",
            reply.text
        );
    }
    assert_eq!(super::data_of(&portal), before);
}

#[tokio::test]
async fn member_commands_refuse_an_unknown_workspace_or_role_by_name() {
    let portal = Portal::start();
    for (args, named) in [
        (
            vec![
                "member",
                "add",
                "--workspace",
                "nope",
                "--user",
                "a@b.c",
                "--role",
                "owner",
            ],
            "nope",
        ),
        (
            vec![
                "member",
                "add",
                "--workspace",
                "team",
                "--user",
                "a@b.c",
                "--role",
                "king",
            ],
            "king",
        ),
        (
            vec![
                "member",
                "remove",
                "--workspace",
                "team",
                "--user",
                "ghost@b.c",
            ],
            "ghost@b.c",
        ),
    ] {
        let out = portal_command()
            .args(&args)
            .args(["--database", &portal.database])
            .output()
            .unwrap();
        assert!(!out.status.success(), "{args:?} succeeded");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(stderr.contains(named), "{args:?}: {stderr}");
    }
    assert_eq!(portal.psql("SELECT count(*) FROM members").trim(), "0");
}

#[tokio::test]
async fn tenant_admins_by_user_are_added_listed_and_removed() {
    let portal = Portal::start();
    let db = &portal.database;
    run_command(
        db,
        &[
            "tenant-admin",
            "add",
            "--tenant",
            "1234567",
            "--user",
            "ida@cust.example",
        ],
    );
    run_command(
        db,
        &[
            "tenant-admin",
            "add",
            "--tenant",
            "7654321",
            "--user",
            "ida@cust.example",
        ],
    );
    let lines: Vec<Value> = run_quiet(db, &["tenant-admin", "list"])
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 2, "{lines:?}");
    assert!(lines.iter().all(|l| l["user"] == "ida@cust.example"));
    run_command(
        db,
        &[
            "tenant-admin",
            "remove",
            "--tenant",
            "1234567",
            "--user",
            "ida@cust.example",
        ],
    );
    assert_eq!(
        portal
            .psql("SELECT tenant_id FROM tenant_admin_users")
            .trim(),
        "7654321"
    );
    let out = portal_command()
        .args([
            "tenant-admin",
            "add",
            "--tenant",
            "not a tenant",
            "--user",
            "x@y.z",
        ])
        .args(["--database", db])
        .output()
        .unwrap();
    assert!(!out.status.success());
}

#[tokio::test]
async fn an_owner_changes_a_members_role_with_patch() {
    let portal = Portal::start();
    let owner = api_with_role(&portal, "ann@example.com", "owner");
    owner
        .write(
            "POST",
            "/v1/members",
            Some(&json!({"user": "bo@example.com", "role": "viewer"})),
            None,
        )
        .await
        .expect(201);
    let reply = owner
        .write(
            "PATCH",
            "/v1/members/bo@example.com",
            Some(&json!({"role": "editor"})),
            None,
        )
        .await;
    reply.expect(200);
    assert_eq!(
        reply.json(),
        json!({"user": "bo@example.com", "role": "editor"})
    );
    assert_eq!(
        portal
            .psql("SELECT role FROM members WHERE user_name = 'bo@example.com'")
            .trim(),
        "editor"
    );
    owner
        .write(
            "PATCH",
            "/v1/members/nobody@example.com",
            Some(&json!({"role": "editor"})),
            None,
        )
        .await
        .expect(404);
    let editor = api_with_role(&portal, "ed@example.com", "editor");
    let before = super::data_of(&portal);
    editor
        .write(
            "PATCH",
            "/v1/members/bo@example.com",
            Some(&json!({"role": "owner"})),
            None,
        )
        .await
        .expect(403);
    assert_eq!(super::data_of(&portal), before);
    let entries = super::audit_entries(&owner, "").await;
    assert!(
        entries
            .iter()
            .any(|e| e["action"] == "member.role" && e["target"] == "bo@example.com as editor"),
        "{entries:#?}"
    );
}

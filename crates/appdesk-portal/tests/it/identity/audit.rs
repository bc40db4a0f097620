//! The audit log (issue 22 §3): an entry for each kind of event, owners alone
//! read it, the export is JSON lines with no token in it, `X-Forwarded-For`
//! is believed only from a trusted proxy, and old entries go.

use std::time::{Duration, Instant};

use serde_json::{Value, json};

use super::{api_with_role, audit_entries, token_with_role};
use crate::common::{Portal, Server, run_command, run_quiet, sample_app, server::ServerSetup};
use crate::console::{Browser, session_of};

/// `audit export` (with these extra arguments), each line parsed.
fn exported(portal: &Portal, args: &[&str]) -> (String, Vec<Value>) {
    let mut all = vec!["audit", "export"];
    all.extend(args);
    let text = run_quiet(&portal.database, &all);
    let lines = text
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("not JSON ({e}): {l}")))
        .collect();
    (text, lines)
}

fn has(entries: &[Value], action: &str, outcome: &str) -> bool {
    entries
        .iter()
        .any(|e| e["action"] == action && e["outcome"] == outcome)
}

#[tokio::test]
async fn every_kind_of_event_is_recorded_with_actor_target_outcome_and_ip() {
    let portal = Portal::start();
    let owner = api_with_role(&portal, "olga@example.com", "owner");
    let viewer_token = token_with_role(&portal, "vic@example.com", "viewer");
    let viewer = portal.api(Some(&viewer_token));
    let app = owner.create_ok(&sample_app("audited")).await;
    viewer.create(&sample_app("refused")).await.expect(403);
    let id = app["id"].as_str().unwrap();
    let revision = app["revision"].as_i64().unwrap();
    owner
        .patch(id, revision, &json!({"name": "renamed"}))
        .await
        .expect(200);
    owner
        .write(
            "POST",
            "/v1/members",
            Some(&json!({"user": "max@example.com", "role": "editor"})),
            None,
        )
        .await
        .expect(201);
    owner
        .write("DELETE", "/v1/members/max@example.com", None, None)
        .await
        .expect(204);
    run_command(
        &portal.database,
        &[
            "member",
            "add",
            "--workspace",
            "team",
            "--user",
            "cli@example.com",
            "--role",
            "viewer",
        ],
    );
    let cookie = session_of(&portal, &viewer_token).await;
    Browser::new(&portal, &cookie).sign_out().await.expect(204);
    portal.revoke(&viewer_token);

    let entries = audit_entries(&owner, "").await;
    for (action, outcome) in [
        ("token.create", "ok"),
        ("app.create", "ok"),
        ("app.create", "refused"),
        ("member.add", "ok"),
        ("member.remove", "ok"),
        ("sign_in", "ok"),
        ("sign_out", "ok"),
        ("token.revoke", "ok"),
    ] {
        assert!(
            has(&entries, action, outcome),
            "no {action} {outcome} in {entries:#?}"
        );
    }
    let created = entries
        .iter()
        .find(|e| e["action"] == "app.create" && e["outcome"] == "ok")
        .unwrap();
    assert_eq!(created["actor"], "olga@example.com");
    // Recorded in the create's transaction, which knows the new app's id.
    assert_eq!(created["target"], app["id"]);
    assert_eq!(created["ip"], "127.0.0.1");
    assert!(created["at"].as_str().unwrap().ends_with('Z'));
    let refused = entries
        .iter()
        .find(|e| e["action"] == "app.create" && e["outcome"] == "refused")
        .unwrap();
    assert_eq!(refused["actor"], "vic@example.com");
    assert!(
        entries
            .iter()
            .any(|e| e["action"] == "member.add" && e["target"] == "cli@example.com as viewer"),
        "the command line's member add: {entries:#?}"
    );
    // A write to an app names the app as its target.
    assert!(
        entries
            .iter()
            .any(|e| e["action"] == "app.patch" && e["target"].as_str() == Some(id)),
        "no entry targets {id}: {entries:#?}"
    );
    // since= and limit= narrow the answer.
    let two = audit_entries(&owner, "?limit=2").await;
    assert_eq!(two.len(), 2);
    let later = audit_entries(&owner, "?since=2999-01-01T00:00:00Z").await;
    assert!(later.is_empty(), "{later:?}");
    owner.get("/v1/audit?limit=0").await.expect(400);
    owner.get("/v1/audit?since=yesterday").await.expect(400);
}

#[tokio::test]
async fn only_an_owner_reads_the_audit_log() {
    let portal = Portal::start();
    for role in ["viewer", "editor"] {
        let api = api_with_role(&portal, &format!("{role}@example.com"), role);
        let reply = api.get("/v1/audit").await;
        reply.expect(403);
        assert!(reply.text.contains(role), "{}", reply.text);
    }
    portal.admin.get("/v1/audit").await.expect(403);
    portal.api(None).get("/v1/audit").await.expect(401);
    api_with_role(&portal, "o@example.com", "owner")
        .get("/v1/audit")
        .await
        .expect(200);
}

#[tokio::test]
async fn the_export_is_json_lines_and_no_token_appears_in_it_or_the_table() {
    let portal = Portal::start();
    let owner_token = token_with_role(&portal, "olga@example.com", "owner");
    let owner = portal.api(Some(&owner_token));
    owner.create_ok(&sample_app("exported")).await;
    session_of(&portal, &owner_token).await;
    portal.revoke(&owner_token);
    let (text, lines) = exported(&portal, &[]);
    assert!(lines.len() >= 4, "{text}");
    for line in &lines {
        for field in ["at", "actor", "action", "target", "outcome", "ip"] {
            assert!(line.get(field).is_some(), "no {field} in {line}");
        }
    }
    let (_, team) = exported(&portal, &["--workspace", "team"]);
    assert!(!team.is_empty() && team.len() <= lines.len());
    let (_, none) = exported(&portal, &["--since", "2999-01-01T00:00:00Z"]);
    assert!(none.is_empty());
    let secret_half = owner_token.rsplit('_').next().unwrap();
    let dump = portal.dump();
    for token in [portal.dev_token.as_str(), &owner_token] {
        let secret = token.rsplit('_').next().unwrap();
        assert!(
            !text.contains(token) && !text.contains(secret),
            "a token in the export"
        );
        assert!(
            !dump.contains(token) && !dump.contains(secret),
            "a token in the dump"
        );
    }
    assert!(!dump.contains(secret_half));
}

/// A second server on the portal's database, with these extra flags.
fn server_with(portal: &Portal, flags: &[&str]) -> Server {
    let setup = ServerSetup {
        bin: appdesk_testkit::binaries::portal(),
        database: portal.database.clone(),
        key_file: portal.key_file(),
        args: Vec::new(),
    };
    let mut cmd = setup.command("127.0.0.1:0");
    cmd.args(flags);
    Server::spawn(cmd)
}

#[tokio::test]
async fn x_forwarded_for_is_believed_only_from_a_trusted_proxy() {
    let portal = Portal::start();
    let owner = api_with_role(&portal, "olga@example.com", "owner");
    let forwarded = [("x-forwarded-for", "203.0.113.9, 10.0.0.2".to_owned())];
    let send = |api: &crate::common::Api, name: &str| {
        let body = serde_json::to_vec(&sample_app(name)).unwrap();
        let mut headers = forwarded.to_vec();
        headers.push(("idempotency-key", crate::common::new_key()));
        let api = api.clone();
        async move { api.request("POST", "/v1/apps", Some(body), &headers).await }
    };
    send(&owner, "untrusted").await.expect(201);
    let trusting = server_with(&portal, &["--trusted-proxy", "127.0.0.0/8"]);
    let through_proxy = crate::common::Api::new(&trusting.base_url(), None)
        .with_token(Some(&token_with_role(&portal, "pat@example.com", "editor")));
    send(&through_proxy, "trusted").await.expect(201);
    let other = server_with(&portal, &["--trusted-proxy", "10.0.0.0/8"]);
    let elsewhere = crate::common::Api::new(&other.base_url(), None).with_token(Some(
        &token_with_role(&portal, "quin@example.com", "editor"),
    ));
    send(&elsewhere, "not this proxy").await.expect(201);
    let entries = audit_entries(&owner, "").await;
    let ip_of = |actor: &str| {
        entries
            .iter()
            .find(|e| e["actor"] == actor && e["action"] == "app.create")
            .unwrap_or_else(|| panic!("no app.create by {actor}: {entries:#?}"))["ip"]
            .clone()
    };
    assert_eq!(ip_of("olga@example.com"), "127.0.0.1");
    assert_eq!(ip_of("pat@example.com"), "203.0.113.9");
    assert_eq!(ip_of("quin@example.com"), "127.0.0.1");
    // A malformed CIDR is refused at start, by name.
    let setup = ServerSetup {
        bin: appdesk_testkit::binaries::portal(),
        database: portal.database.clone(),
        key_file: portal.key_file(),
        args: Vec::new(),
    };
    let mut cmd = setup.command("127.0.0.1:0");
    cmd.args(["--trusted-proxy", "10.0.0.0/99"]);
    let out = cmd.output().unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("10.0.0.0/99"));
}

/// Waits (up to 20 s) until `sql` on the portal's database prints `want`.
fn wait_for(portal: &Portal, sql: &str, want: &str) {
    let started = Instant::now();
    loop {
        let got = portal.psql(sql);
        if got.trim() == want {
            return;
        }
        assert!(
            started.elapsed() < Duration::from_secs(20),
            "{sql}: {got:?}, waited for {want:?}"
        );
        std::thread::sleep(Duration::from_millis(200));
    }
}

#[tokio::test]
async fn retention_deletes_entries_older_than_the_days_kept() {
    let mut portal = Portal::start();
    let owner = api_with_role(&portal, "olga@example.com", "owner");
    for name in ["a", "b", "c"] {
        owner.create_ok(&sample_app(name)).await;
    }
    let ids = portal.psql(
        "SELECT string_agg(seq::text, ',' ORDER BY seq) FROM audit WHERE action = 'app.create'",
    );
    let ids: Vec<&str> = ids.trim().split(',').collect();
    assert_eq!(ids.len(), 3);
    portal.psql(&format!(
        "UPDATE audit SET at = now() - interval '400 days' WHERE seq = {}",
        ids[0]
    ));
    portal.psql(&format!(
        "UPDATE audit SET at = now() - interval '40 days' WHERE seq = {}",
        ids[1]
    ));
    // The default keeps 365 days: the upkeep at start deletes the first only.
    portal.restart();
    wait_for(
        &portal,
        &format!("SELECT count(*) FROM audit WHERE seq = {}", ids[0]),
        "0",
    );
    assert_eq!(
        portal
            .psql(&format!(
                "SELECT count(*) FROM audit WHERE seq IN ({}, {})",
                ids[1], ids[2]
            ))
            .trim(),
        "2"
    );
    let _short = server_with(&portal, &["--audit-retention-days", "30"]);
    wait_for(
        &portal,
        &format!("SELECT count(*) FROM audit WHERE seq = {}", ids[1]),
        "0",
    );
    assert_eq!(
        portal
            .psql(&format!(
                "SELECT count(*) FROM audit WHERE seq = {}",
                ids[2]
            ))
            .trim(),
        "1"
    );
}

#[tokio::test]
async fn the_audit_log_pages_with_its_cursor_and_records_a_failed_sign_in() {
    let portal = Portal::start();
    let owner = api_with_role(&portal, "olga@example.com", "owner");
    for name in ["a", "b", "c", "d"] {
        owner.create_ok(&sample_app(name)).await;
    }
    let all = audit_entries(&owner, "").await;
    let first = owner.get("/v1/audit?limit=3").await;
    first.expect(200);
    let first = first.json();
    let next = first["nextCursor"]
        .as_str()
        .expect("a next cursor")
        .to_owned();
    let rest = audit_entries(&owner, &format!("?limit=1000&cursor={next}")).await;
    let mut paged = first["entries"].as_array().unwrap().clone();
    paged.extend(rest);
    assert_eq!(
        paged, all,
        "two pages are the whole log, in order, once each"
    );
    owner.get("/v1/audit?cursor=-1").await.expect(400);

    // A sign-in with a token that is not valid: refused, by nobody known.
    crate::console::sign_in(
        &portal,
        "adp_aaaaaaaa_bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb",
    )
    .await
    .expect(401);
    let (_, exported) = exported(&portal, &[]);
    assert!(
        exported.iter().any(|e| e["action"] == "sign_in"
            && e["outcome"] == "refused"
            && e["actor"] == "(anonymous)"),
        "{exported:#?}"
    );
}

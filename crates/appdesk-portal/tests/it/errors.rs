//! Errors (issue §4): the body is the core's `{code, message, field, problems}`; a
//! malformed body or an invalid field gets 400 or 422 naming the field; a body
//! over 1 MiB gets 413; and none of them writes anything.

use serde_json::{Value, json};

use crate::common::{Portal, Reply, new_key, sample_app};

/// Whether an error body names `field`, in `field` or in one of its `problems`
/// (`tenants` also matches `tenants[0].id`, `scopes` also `scopes.add[0]`).
fn names_field(body: &Value, field: &str) -> bool {
    let matches = |f: &Value| {
        f.as_str().is_some_and(|f| {
            f == field || f.starts_with(&format!("{field}[")) || f.starts_with(&format!("{field}."))
        })
    };
    matches(&body["field"])
        || body["problems"]
            .as_array()
            .is_some_and(|ps| ps.iter().any(|p| matches(&p["field"])))
}

#[track_caller]
fn assert_rejects_field(reply: &Reply, field: &str) {
    assert!(
        reply.status == 400 || reply.status == 422,
        "expected 400 or 422 for {field}, got {}: {}",
        reply.status,
        reply.text
    );
    let body = reply.json();
    assert!(
        body["code"].is_string() && body["message"].is_string(),
        "the core's error body: {body}"
    );
    assert!(names_field(&body, field), "the error names {field}: {body}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_malformed_body_gets_400_and_writes_nothing() {
    let portal = Portal::start();
    let key = [("idempotency-key", new_key())];
    for body in [&b"{\"name\": "[..], b"[]", b"not json", b"\xff\xfe"] {
        let reply = portal
            .dev
            .request("POST", "/v1/apps", Some(body.to_vec()), &key)
            .await;
        assert!(
            reply.status == 400 || reply.status == 422,
            "{body:?}: {} {}",
            reply.status,
            reply.text
        );
        assert!(
            reply.json()["code"].is_string(),
            "the core's error body: {}",
            reply.text
        );
    }
    assert!(portal.dev.app_ids().await.is_empty(), "nothing was created");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn an_invalid_field_on_create_gets_an_error_naming_it_and_writes_nothing() {
    let portal = Portal::start();
    let cases = [
        ("name", json!("x".repeat(121))),
        ("name", json!(42)),
        ("organization", json!("   ")),
        ("homepageUrl", json!("ftp://acme.example")),
        ("audience", json!("everyone")),
        ("credentials", json!(["tenant"])),
        ("scopes", json!(["tn.nope.nothing:r"])),
        ("scopes", json!([])),
        ("tenants", json!([{"id": "12a4", "note": ""}])),
        (
            "tenants",
            json!([{"id": "1234567", "note": "n".repeat(4001)}]),
        ),
    ];
    for (field, value) in cases {
        let mut body = sample_app("Bad");
        body[field] = value.clone();
        let reply = portal.dev.create(&body).await;
        assert_rejects_field(&reply, field);
    }
    assert!(portal.dev.app_ids().await.is_empty(), "nothing was created");
    assert_eq!(
        portal.dev.get("/v1/changes").await.ok()["changes"],
        json!([]),
        "nothing in the feed"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn an_invalid_field_in_a_patch_gets_an_error_naming_it_and_changes_nothing() {
    let portal = Portal::start();
    let app = portal.dev.create_ok(&sample_app("Dispatch")).await;
    let id = app["id"].as_str().unwrap();
    let before = portal.dev.app(id).await;
    let revision = before["revision"].as_i64().unwrap();
    let cases = [
        (
            "name",
            json!({"name": "", "scopes": {"add": ["tn.jpm.jobs:r"]}}),
        ),
        ("homepageUrl", json!({"homepageUrl": "javascript:alert(1)"})),
        ("scopes", json!({"scopes": {"add": ["tn.crm.customers:x"]}})),
        (
            "scopes",
            json!({"scopes": {"remove": ["tn.crm.customers:r"]}}),
        ),
        ("scopes", json!({"scopes": ["tn.jpm.jobs:r"]})),
        (
            "tenants",
            json!({"tenants": {"add": [{"id": "-1", "note": ""}]}}),
        ),
        ("tenants", json!({"tenants": {"remove": ["1234567"]}})),
    ];
    for (field, body) in cases {
        let reply = portal.dev.patch(id, revision, &body).await;
        assert_rejects_field(&reply, field);
    }
    assert_eq!(portal.dev.app(id).await, before, "the app is as it was");
    assert_eq!(
        portal.dev.versions(id).await.len(),
        1,
        "no version was made"
    );
}

/// Creates with `value` in `field` must each get an error naming the field.
async fn assert_creates_rejected(portal: &Portal, cases: &[(&str, Value)]) {
    for (field, value) in cases {
        let mut body = sample_app("Bad");
        body[*field] = value.clone();
        let reply = portal.dev.create(&body).await;
        assert_rejects_field(&reply, field);
    }
    assert!(portal.dev.app_ids().await.is_empty(), "nothing was created");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_nul_character_in_a_field_gets_an_error_naming_it_and_writes_nothing() {
    let portal = Portal::start();
    let cases = [
        ("name", json!("Acme\u{0}HVAC")),
        ("tenants", json!([{"id": "1234567", "note": "a\u{0}b"}])),
    ];
    assert_creates_rejected(&portal, &cases).await;

    let app = portal.dev.create_ok(&sample_app("Good")).await;
    let id = app["id"].as_str().unwrap();
    let before = portal.dev.app(id).await;
    let revision = before["revision"].as_i64().unwrap();
    let reply = portal
        .dev
        .patch(id, revision, &json!({"name": "x\u{0}y"}))
        .await;
    assert_rejects_field(&reply, "name");
    assert_eq!(portal.dev.app(id).await, before, "the app is as it was");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn other_control_characters_in_a_field_get_an_error_naming_it_and_write_nothing() {
    let portal = Portal::start();
    let cases = [
        ("organization", json!("Acme\u{7}")),
        ("name", json!("Acme\u{202e}HVAC")),
        (
            "tenants",
            json!([{"id": "1234567", "note": "a\u{1b}[31mb"}]),
        ),
    ];
    assert_creates_rejected(&portal, &cases).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_duplicate_member_gets_an_error_naming_it_and_writes_nothing() {
    let portal = Portal::start();
    let key = [("idempotency-key", new_key())];
    let valid = sample_app("Twice").to_string();
    let duplicate = valid.replacen('{', r#"{"name": "Once", "#, 1);
    let reply = portal
        .dev
        .request("POST", "/v1/apps", Some(duplicate.into_bytes()), &key)
        .await;
    assert_rejects_field(&reply, "name");
    assert!(portal.dev.app_ids().await.is_empty(), "nothing was created");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_body_over_one_mib_gets_413_and_writes_nothing() {
    let portal = Portal::start();
    let mut body = sample_app("Huge");
    body["tenants"][0]["note"] = json!("n".repeat(1024 * 1024 + 1));
    let reply = portal.dev.create(&body).await;
    reply.expect(413);
    assert!(
        reply.json()["code"].is_string(),
        "the core's error body: {}",
        reply.text
    );
    assert!(portal.dev.app_ids().await.is_empty(), "nothing was created");
}

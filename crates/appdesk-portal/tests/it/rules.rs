//! The rules on the portal (issue §4, DESIGN R4, R5, R7, R9): versions 1, 2, 3…
//! without gaps, made only by scope changes; the app key never changes; a proposed
//! id or key is kept only when well-formed, unused and never retired; a deleted
//! app's key never resolves again and is never reissued.

use serde_json::{Value, json};

use crate::common::{CUSTOMERS_R, JOBS_R, Portal, TENANT, sample_app, strings};

const CAPACITY_W: &str = "tn.dis.capacity:w";

fn is_app_key(key: &str) -> bool {
    key.strip_prefix("ak1.").is_some_and(|rest| {
        rest.len() == 25
            && rest
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
    })
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn only_scope_changes_make_versions_numbered_without_gaps() {
    let portal = Portal::start();
    let app = portal.dev.create_ok(&sample_app("Dispatch")).await;
    let id = app["id"].as_str().unwrap();
    assert_eq!(app["version"], 1, "{app}");
    let key = app["appKey"].as_str().unwrap().to_owned();
    assert!(is_app_key(&key), "R4: {key}");

    let mut revision = app["revision"].as_i64().unwrap();
    let steps = [
        (json!({"scopes": {"add": [JOBS_R]}}), 2),
        (json!({"name": "Renamed", "audience": "public"}), 2),
        (
            json!({"tenants": {"add": [{"id": "76543210987", "note": "big id"}]}}),
            2,
        ),
        (json!({"scopes": {"add": [JOBS_R]}}), 2),
        (
            json!({"scopes": {"add": [CAPACITY_W], "remove": [JOBS_R]}}),
            3,
        ),
        (json!({"tenants": {"remove": ["76543210987"]}}), 3),
    ];
    for (patch, version) in steps {
        let after = portal.dev.patch(id, revision, &patch).await.ok();
        let after = after.get("app").unwrap_or(&after).clone();
        assert_eq!(after["version"], version, "after {patch}: {after}");
        assert_eq!(after["appKey"], key, "R4: the key never changes");
        revision = after["revision"].as_i64().unwrap();
    }

    let versions = portal.dev.versions(id).await;
    let numbers: Vec<i64> = versions
        .iter()
        .map(|v| v["version"].as_i64().unwrap())
        .collect();
    assert_eq!(numbers, [1, 2, 3]);
    assert_eq!(strings(&versions[0]["scopes"]), [CUSTOMERS_R]);
    assert_eq!(strings(&versions[1]["added"]), [JOBS_R]);
    assert_eq!(strings(&versions[2]["added"]), [CAPACITY_W]);
    assert_eq!(strings(&versions[2]["removed"]), [JOBS_R]);
    // Sorted: tn.crm… before tn.dis….
    assert_eq!(strings(&versions[2]["scopes"]), [CUSTOMERS_R, CAPACITY_W]);
    let final_app = portal.dev.app(id).await;
    assert_eq!(final_app["name"], "Renamed");
    assert_eq!(
        final_app["tenants"],
        json!([{"id": TENANT, "note": "Acme HQ"}]),
        "R7"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_proposed_id_and_key_are_kept_when_well_formed_and_unused() {
    let portal = Portal::start();
    let id = uuid::Uuid::now_v7().to_string();
    let key = "ak1.abcdefghijklmnopqrstuvwx0";
    let mut body = sample_app("Proposed");
    body["id"] = json!(id);
    body["appKey"] = json!(key);
    let app = portal.dev.create_ok(&body).await;
    assert_eq!(
        (app["id"].as_str(), app["appKey"].as_str()),
        (Some(id.as_str()), Some(key))
    );
    assert!(
        noticed_fields(&app).is_empty(),
        "no notice when kept: {app}"
    );
    assert_eq!(portal.dev.app(&id).await["appKey"], key);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_malformed_or_used_proposed_id_or_key_is_replaced_by_the_portals_own() {
    let portal = Portal::start();
    let taken = portal.dev.create_ok(&sample_app("Taken")).await;
    let proposals = [
        (json!("not-a-uuid"), json!("ak1.SHOUTING00000000000000000")),
        (
            json!("\u{202e}0193a3c2-0000-7000-8000-000000000000"),
            json!("ak1.short"),
        ),
        (taken["id"].clone(), taken["appKey"].clone()),
    ];
    for (proposed_id, proposed_key) in proposals {
        let mut body = sample_app("Proposing");
        body["id"] = proposed_id.clone();
        body["appKey"] = proposed_key.clone();
        let reply = portal.dev.create(&body).await;
        let app = reply.expect(201).json();
        assert_ne!(app["id"], proposed_id, "{reply:?}");
        assert_ne!(app["appKey"], proposed_key, "{reply:?}");
        assert!(is_app_key(app["appKey"].as_str().unwrap()), "R4: {app}");
        assert_eq!(noticed_fields(&app), ["appKey", "id"], "it says so: {app}");
    }
    assert_eq!(
        portal.dev.app(taken["id"].as_str().unwrap()).await["name"],
        "Taken",
        "untouched"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_deleted_apps_key_never_resolves_again_and_is_never_reissued() {
    let portal = Portal::start();
    let app = portal.dev.create_ok(&sample_app("Doomed")).await;
    let (id, key) = (app["id"].clone(), app["appKey"].clone());
    let id_str = id.as_str().unwrap();
    portal
        .dev
        .delete(id_str, app["revision"].as_i64().unwrap())
        .await
        .ok();

    let gone = portal.dev.get(&format!("/v1/apps/{id_str}")).await;
    assert!(
        gone.status == 404 || gone.status == 410,
        "R9: {} {}",
        gone.status,
        gone.text
    );
    assert!(portal.dev.app_ids().await.is_empty(), "R9: not listed");
    assert!(
        !portal
            .dev
            .get("/v1/apps")
            .await
            .text
            .contains(key.as_str().unwrap()),
        "R9"
    );

    // Proposing the retired id or key gets the portal's own.
    let mut body = sample_app("Reborn");
    body["id"] = id.clone();
    body["appKey"] = key.clone();
    let reborn = portal.dev.create_ok(&body).await;
    assert_ne!(reborn["id"], id, "R9: the id is never reused");
    assert_ne!(reborn["appKey"], key, "R9: the key is never reissued");
    assert_eq!(
        noticed_fields(&reborn),
        ["appKey", "id"],
        "it says so: {reborn}"
    );
    let again = portal.dev.get(&format!("/v1/apps/{id_str}")).await;
    assert!(
        again.status == 404 || again.status == 410,
        "R9: {}",
        again.text
    );
}

/// The fields a create answer's `notices` name: what it did not keep as proposed.
fn noticed_fields(body: &Value) -> Vec<String> {
    let notices = body["notices"].as_array().cloned().unwrap_or_default();
    let mut fields: Vec<String> = notices
        .iter()
        .filter_map(|n| n["field"].as_str().map(str::to_owned))
        .collect();
    fields.sort();
    fields
}

//! What the sync tests compare, read from outside the code under test: the
//! portal over its HTTP API, a client through `appdesk --json`. An app is
//! reduced to what both must agree on after a sync (identity, fields, scope and
//! tenant sets, and the versions, number by number); revisions and timestamps
//! are each side's own.

use std::collections::BTreeMap;

use serde_json::{Value, json};

use crate::client::Client;
use crate::http::Api;

/// Apps by id, each as [`shown`] makes it, with its `versions`.
pub type Apps = BTreeMap<String, Value>;

/// The strings of a JSON array of strings, sorted.
pub fn sorted_strings(value: &Value) -> Vec<String> {
    let mut items: Vec<String> = value
        .as_array()
        .unwrap_or_else(|| panic!("not an array: {value}"))
        .iter()
        .map(|v| {
            v.as_str()
                .unwrap_or_else(|| panic!("not a string: {v}"))
                .to_owned()
        })
        .collect();
    items.sort();
    items
}

/// The fields both sides must show alike; `app` is either side's app JSON
/// (the CLI's and the portal's use the same names).
pub fn shown(app: &Value) -> Value {
    let mut tenants: Vec<(String, String)> = app["tenants"]
        .as_array()
        .unwrap_or_else(|| panic!("no tenants in {app}"))
        .iter()
        .map(|t| {
            (
                t["id"].as_str().unwrap_or_default().to_owned(),
                t["note"].as_str().unwrap_or_default().to_owned(),
            )
        })
        .collect();
    tenants.sort();
    json!({
        "id": app["id"],
        "appKey": app["appKey"],
        "name": app["name"],
        "organization": app["organization"],
        "homepageUrl": app["homepageUrl"],
        "audience": app["audience"],
        "credentials": app["credentials"],
        "scopes": sorted_strings(&app["scopes"]),
        "tenants": tenants,
    })
}

/// Versions as both sides must list them: number, scope set, who.
fn versions(list: &Value) -> Value {
    let list = list.get("versions").unwrap_or(list);
    let items = list
        .as_array()
        .unwrap_or_else(|| panic!("versions: not a list: {list}"));
    Value::Array(
        items
            .iter()
            .map(|v| {
                json!({
                    "version": v["version"],
                    "scopes": sorted_strings(&v["scopes"]),
                    "createdBy": v["createdBy"],
                })
            })
            .collect(),
    )
}

/// Every app on the portal, with its versions (blocking).
pub fn portal_apps(api: &Api) -> Apps {
    crate::block_on(async {
        let body = api.get("/v1/apps").await.ok();
        let items = body.get("items").unwrap_or(&body);
        let mut apps = Apps::new();
        for app in items.as_array().unwrap_or_else(|| panic!("apps: {body}")) {
            let id = app["id"].as_str().expect("an app id").to_owned();
            let history = api.get(&format!("/v1/apps/{id}/versions")).await.ok();
            let mut shown = shown(app);
            shown["versions"] = versions(&history);
            apps.insert(id, shown);
        }
        apps
    })
}

/// Every created app of a client (drafts are local), with its history.
pub fn local_apps(client: &Client) -> Apps {
    let mut apps = Apps::new();
    for app in client.apps() {
        if app["status"] != "created" {
            continue;
        }
        let id = app["id"].as_str().expect("an app id").to_owned();
        let mut shown = shown(&app);
        shown["versions"] = versions(&client.history(&id));
        apps.insert(id, shown);
    }
    apps
}

/// Each app's versions are 1, 2, 3… with no gap, the last one its `version`.
#[track_caller]
pub fn assert_gapless(apps: &Apps) {
    for (id, app) in apps {
        let numbers: Vec<i64> = app["versions"]
            .as_array()
            .expect("versions")
            .iter()
            .map(|v| v["version"].as_i64().expect("a version number"))
            .collect();
        let expected: Vec<i64> = (1..=numbers.len() as i64).collect();
        assert_eq!(numbers, expected, "app {id}: versions are not 1..n");
    }
}

/// The client's apps equal the portal's, app for app and version for version,
/// and nothing is left in its outbox.
#[track_caller]
pub fn assert_converged(client: &Client, api: &Api) -> Apps {
    let portal = portal_apps(api);
    assert_gapless(&portal);
    let local = local_apps(client);
    let only_local: Vec<&String> = local.keys().filter(|k| !portal.contains_key(*k)).collect();
    let only_portal: Vec<&String> = portal.keys().filter(|k| !local.contains_key(*k)).collect();
    assert!(
        only_local.is_empty() && only_portal.is_empty(),
        "{}: apps only here {only_local:?}, only on the portal {only_portal:?}",
        client.user
    );
    for (id, app) in &portal {
        assert_eq!(
            &local[id], app,
            "{}: app {id} differs from the portal's",
            client.user
        );
    }
    assert_eq!(
        client.pending(),
        0,
        "{}: intents left in the outbox",
        client.user
    );
    portal
}

/// The scope sets of an app's versions, oldest first.
pub fn version_scopes(apps: &Apps, id: &str) -> Vec<Vec<String>> {
    apps[id]["versions"]
        .as_array()
        .expect("versions")
        .iter()
        .map(|v| sorted_strings(&v["scopes"]))
        .collect()
}

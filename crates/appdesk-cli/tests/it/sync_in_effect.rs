//! Every reader of an app's connections reads the portal's in a linked
//! database (issue 10 follow-up), with the real `appdesk` and the real portal
//! on a throwaway PostgreSQL: `app list --summary` counts, `--only behind`,
//! `--sort behind` and search by client ID, `behind`, `upgrade-request`, the
//! scope change's "N show upgrade available" and the notes' default range.
//!
//! The developer's database holds a local connection made before linking
//! (Alpha, tenant 1234, behind); on the portal a tenant admin connects 5678 to
//! Beta instead, which a new version then puts behind. The oracle is the
//! portal's own `GET /v1/apps/{id}/connections`.

use appdesk_testkit::{Client, Portal, block_on};
use serde_json::Value;

use crate::sync::{CUSTOMERS_R, JOBS_R, LOCATIONS_R, sync};

const LOCAL_TENANT: &str = "1234";
const PORTAL_TENANT: &str = "5678";

struct Linked {
    portal: Portal,
    dev: Client,
    admin_token: String,
    alpha: String,
    beta: String,
    local_client: String,
}

fn id(app: &Value) -> String {
    app["id"].as_str().unwrap().to_owned()
}

/// The portal's list of the app's connections, read with `token`.
fn portal_connections(portal: &Portal, token: &str, app: &str) -> Vec<Value> {
    let path = format!("/v1/apps/{app}/connections");
    let reply = block_on(portal.api(Some(token)).request("GET", &path, None, &[]));
    assert_eq!(reply.status, 200, "{}", reply.text);
    let list: Value = serde_json::from_str(&reply.text).unwrap();
    list.as_array().expect("a list").clone()
}

fn linked_with_different_connections() -> Linked {
    let portal = Portal::start();
    let dev = Client::new("dev");
    let tenants = [LOCAL_TENANT, PORTAL_TENANT];
    let alpha = id(&dev.new_app("Alpha", &tenants, &[CUSTOMERS_R]));
    let local = dev.json(&["conn", "connect", &alpha, "--tenant", LOCAL_TENANT]);
    dev.json(&["app", "scopes", &alpha, "--add", JOBS_R]);
    let beta = id(&dev.new_app("Beta", &tenants, &[CUSTOMERS_R]));
    dev.link(&portal.base_url(), &portal.token("team", "dev", &[]));
    sync(&dev);
    let admin_token = portal.token("team", "admin", &[PORTAL_TENANT]);
    let admin = Client::new("admin");
    admin.link(&portal.base_url(), &admin_token);
    sync(&admin);
    admin.json(&["conn", "connect", &beta, "--tenant", PORTAL_TENANT]);
    dev.json(&["app", "scopes", &beta, "--add", JOBS_R]);
    sync(&dev);
    sync(&dev);
    Linked {
        portal,
        dev,
        admin_token,
        alpha,
        beta,
        local_client: local["clientId"].as_str().unwrap().to_owned(),
    }
}

/// `(name, connections, behind)` of each app `app list --summary ARGS` shows.
fn summaries(dev: &Client, args: &[&str]) -> Vec<(String, i64, i64)> {
    let list = dev.json(&[&["app", "list", "--summary"], args].concat());
    let row = |a: &Value| {
        let n = |f: &str| a[f].as_i64().unwrap();
        let name = a["name"].as_str().unwrap().to_owned();
        (name, n("connectionCount"), n("behindCount"))
    };
    list.as_array().unwrap().iter().map(row).collect()
}

fn row(name: &str, connections: usize, behind: usize) -> (String, i64, i64) {
    (name.to_owned(), connections as i64, behind as i64)
}

#[test]
fn the_apps_list_counts_filters_sorts_and_searches_the_portals_connections() {
    let l = linked_with_different_connections();
    let on_alpha = portal_connections(&l.portal, &l.admin_token, &l.alpha);
    let on_beta = portal_connections(&l.portal, &l.admin_token, &l.beta);
    assert_eq!((on_alpha.len(), on_beta.len()), (0, 1), "{on_beta:?}");
    let beta_behind = on_beta.iter().filter(|c| c["version"] == 1).count();
    assert_eq!(
        beta_behind, 1,
        "the portal's connection is on version 1 of 2"
    );
    let alpha_row = row("Alpha", on_alpha.len(), 0);
    let beta_row = row("Beta", on_beta.len(), beta_behind);
    assert_eq!(
        summaries(&l.dev, &[]),
        [alpha_row.clone(), beta_row.clone()]
    );
    assert_eq!(
        summaries(&l.dev, &["--only", "behind"]),
        std::slice::from_ref(&beta_row)
    );
    assert_eq!(
        summaries(&l.dev, &["--sort", "behind"]),
        [beta_row.clone(), alpha_row]
    );
    let client = on_beta[0]["clientId"].as_str().unwrap();
    assert_eq!(summaries(&l.dev, &["--filter", client]), [beta_row]);
    let listed = l.dev.json(&["app", "list", "--filter", &l.local_client]);
    assert_eq!(
        listed,
        Value::Array(vec![]),
        "a local client ID is not in effect"
    );
}

#[test]
fn behind_upgrade_requests_scope_changes_and_notes_read_the_portals_connections() {
    let l = linked_with_different_connections();
    let on_beta = portal_connections(&l.portal, &l.admin_token, &l.beta);
    let behind = l.dev.json(&["behind"]);
    let found: Vec<_> = behind
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["appId"].clone(),
                e["tenantId"].clone(),
                e["version"].clone(),
            )
        })
        .collect();
    let expected: Vec<_> = on_beta
        .iter()
        .map(|c| {
            (
                Value::from(l.beta.clone()),
                c["tenantId"].clone(),
                c["version"].clone(),
            )
        })
        .collect();
    assert_eq!(found, expected);
    let asked = l.dev.json(&["upgrade-request", &l.beta, "--all"]);
    let asked: Vec<_> = asked
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["tenantId"].clone())
        .collect();
    assert_eq!(asked, [on_beta[0]["tenantId"].clone()]);
    let refused = l
        .dev
        .fails(&["upgrade-request", &l.alpha, "--tenant", LOCAL_TENANT]);
    assert_eq!(refused.code, "not_allowed", "{}", refused.message);
    let notes = l.dev.json(&["notes", &l.beta]);
    assert_eq!(notes["from"], on_beta[0]["version"], "{notes}");
    // A third version puts the portal's one connection of Beta behind it,
    // and none of Alpha's (it has none on the portal).
    let changed = l
        .dev
        .json(&["app", "scopes", &l.beta, "--add", LOCATIONS_R]);
    assert_eq!(changed["connectionsBehind"], on_beta.len(), "{changed}");
    let changed = l
        .dev
        .json(&["app", "scopes", &l.alpha, "--add", LOCATIONS_R]);
    assert_eq!(changed["connectionsBehind"], 0, "{changed}");
}

//! The listing is paged (issue 21 §4): `GET /v1/apps` answers 100 apps unless
//! asked for up to 1000, and `nextCursor` leads to the rest. A sync that lists
//! (a member after a `410`, a tenant admin always) follows every page: the
//! real `appdesk` against the real portal, with more apps than one page of the
//! largest size; the oracle is the ids the portal answered at creation.

use std::collections::BTreeSet;

use appdesk_testkit::{Client, Portal, block_on};

use crate::common::CUSTOMERS_R;
use crate::sync::sync;

const TENANT: &str = "1234";
/// More than the largest page (1000): a client must follow `nextCursor`.
const APPS: usize = 1005;

fn create_apps(portal: &Portal) -> BTreeSet<String> {
    block_on(async {
        let mut ids = BTreeSet::new();
        for i in 0..APPS {
            let body = serde_json::json!({
                "name": format!("Paged {i:05}"),
                "organization": "Acme HVAC",
                "homepageUrl": "https://acme.example",
                "audience": "private",
                "credentials": "tenant",
                "scopes": [CUSTOMERS_R],
                "tenants": [{"id": TENANT, "note": ""}],
            });
            let made = portal.dev.create_ok(&body).await;
            ids.insert(made["id"].as_str().expect("an id").to_owned());
        }
        assert_eq!(ids.len(), APPS);
        ids
    })
}

fn ids(client: &Client) -> BTreeSet<String> {
    client
        .apps()
        .iter()
        .map(|a| a["id"].as_str().expect("an id").to_owned())
        .collect()
}

#[test]
fn a_listing_sync_follows_every_page_of_apps() {
    let portal = Portal::start();
    let made = create_apps(&portal);
    portal.forget_feed("team");

    let reader = Client::new("reader");
    reader.link(&portal.base_url(), &portal.token("team", "reader", &[]));
    sync(&reader);
    let synced = ids(&reader);
    assert_eq!(synced.len(), APPS, "a member's sync after a 410");
    assert!(
        synced == made,
        "a member's sync has other apps than the portal"
    );

    let admin = Client::new("admin");
    admin.link(
        &portal.base_url(),
        &portal.token("team", "admin", &[TENANT]),
    );
    sync(&admin);
    let synced = ids(&admin);
    assert_eq!(synced.len(), APPS, "a tenant admin's sync");
    assert!(
        synced == made,
        "a tenant admin's sync has other apps than the portal"
    );
}

/// An app's versions page too (100 by default): a sync after a `410` reads
/// the whole history of an app with more versions than one default page.
#[test]
fn a_listing_sync_reads_every_page_of_an_apps_versions() {
    let portal = Portal::start();
    let id = block_on(async {
        let body = serde_json::json!({
            "name": "Versioned",
            "organization": "Acme HVAC",
            "homepageUrl": "https://acme.example",
            "audience": "private",
            "credentials": "tenant",
            "scopes": [CUSTOMERS_R],
            "tenants": [{"id": TENANT, "note": ""}],
        });
        let app = portal.dev.create_ok(&body).await;
        let id = app["id"].as_str().expect("an id").to_owned();
        let mut revision = app["revision"].as_i64().expect("a revision");
        for i in 0..149 {
            let edit = if i % 2 == 0 { "add" } else { "remove" };
            let body = serde_json::json!({"scopes": {edit: [crate::common::JOBS_R]}});
            let reply = portal.dev.patch(&id, revision, &body).await;
            revision = reply.expect(200).etag_revision().expect("an ETag");
        }
        id
    });
    portal.forget_feed("team");
    let reader = Client::new("reader");
    reader.link(&portal.base_url(), &portal.token("team", "reader", &[]));
    sync(&reader);
    let history = reader.history(&id);
    let versions = history
        .as_array()
        .or_else(|| history["versions"].as_array())
        .unwrap_or_else(|| panic!("no versions: {history}"));
    assert_eq!(versions.len(), 150, "every version of the app");
}

//! The console's files as the binary embeds them (whatever `portal-ui/dist`
//! held at build time, or the page saying it was not built), their security
//! headers, the single page's fallback, and the two reads the console makes
//! first: `/v1/me` and `/v1/catalog`.

use serde_json::{Value, json};

use super::{Browser, session_of};
use crate::common::{Portal, Reply};

/// The contract's Content-Security-Policy, character for character.
const CSP: &str = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' \
                   data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; \
                   form-action 'self'";

#[track_caller]
fn assert_secured(reply: &Reply, what: &str) {
    assert_eq!(
        reply.header("content-security-policy").as_deref(),
        Some(CSP),
        "{what}"
    );
    assert_eq!(
        reply.header("x-content-type-options").as_deref(),
        Some("nosniff"),
        "{what}"
    );
    assert_eq!(
        reply.header("referrer-policy").as_deref(),
        Some("no-referrer"),
        "{what}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn the_index_is_served_at_every_console_path_with_the_security_headers() {
    let portal = Portal::start();
    let api = portal.api(None);
    let index = api.get("/").await;
    index.expect(200);
    assert_secured(&index, "/");
    assert_eq!(
        index.header("content-type").as_deref(),
        Some("text/html; charset=utf-8")
    );
    assert!(index.text.contains("<html"), "{}", index.text);
    // The single page's own routes answer the same page, for a reload.
    for path in ["/apps/0190aaaa", "/sign-in", "/apps/x/versions?from=1"] {
        let page = api.get(path).await;
        page.expect(200);
        assert_eq!(page.text, index.text, "{path}");
        assert_secured(&page, path);
    }
    // The API's unknown paths stay the API's 404, in its error body.
    for path in ["/v1/nothing", "/auth/nothing", "/v1"] {
        let reply = api.get(path).await;
        reply.expect(404);
        assert_eq!(reply.json()["code"], "not_found", "{path}: {}", reply.text);
    }
    // The console only reads.
    let posted = api.request("POST", "/apps", None, &[]).await;
    posted.expect(405);
    assert_secured(&posted, "POST /apps");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn the_assets_the_index_names_are_served_with_their_type_and_cached_for_good() {
    let portal = Portal::start();
    let api = portal.api(None);
    let index = api.get("/").await.text;
    let assets = asset_paths(&index);
    if assets.is_empty() {
        // This binary was built without portal-ui/dist: the page says how
        // to build it, and the browser tests fail on it.
        assert!(
            index.contains("npm --prefix portal-ui ci &amp;&amp; npm --prefix portal-ui run build"),
            "an index with no asset must be the not-built page: {index}"
        );
    }
    for path in &assets {
        let reply = api.get(path).await;
        reply.expect(200);
        assert_secured(&reply, path);
        let wanted = if path.ends_with(".js") {
            "text/javascript; charset=utf-8"
        } else if path.ends_with(".css") {
            "text/css; charset=utf-8"
        } else {
            continue;
        };
        assert_eq!(
            reply.header("content-type").as_deref(),
            Some(wanted),
            "{path}"
        );
        let cache = reply.header("cache-control").unwrap_or_default();
        assert!(cache.contains("immutable"), "{path}: {cache}");
    }
    let missing = api.get("/assets/no-such-file-1a2b3c.js").await;
    missing.expect(404);
    assert_secured(&missing, "a missing asset");
}

/// The `/assets/…` paths in the index's `src` and `href` attributes.
fn asset_paths(index: &str) -> Vec<String> {
    let mut paths = Vec::new();
    for attribute in ["src=\"", "href=\""] {
        for piece in index.split(attribute).skip(1) {
            let value = piece.split('"').next().unwrap_or_default();
            let value = value.trim_start_matches('.');
            if value.starts_with("/assets/") {
                paths.push(value.to_owned());
            }
        }
    }
    paths
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn me_names_a_member_or_a_tenant_admin_by_token_or_cookie() {
    let portal = Portal::start();
    let member = json!({"kind": "member", "user": "dev", "workspace": "team", "role": "editor"});
    let admin = json!({"kind": "tenantAdmin", "user": "admin", "tenants": [crate::common::TENANT]});
    assert_eq!(portal.dev.get("/v1/me").await.ok(), member);
    assert_eq!(portal.admin.get("/v1/me").await.ok(), admin);
    let two = portal.token("team", "bea", &["2222222", "3333333"]);
    assert_eq!(
        portal.api(Some(&two)).get("/v1/me").await.ok(),
        json!({"kind": "tenantAdmin", "user": "bea", "tenants": ["2222222", "3333333"]})
    );
    for (token, expected) in [(&portal.dev_token, member), (&portal.admin_token, admin)] {
        let browser = Browser::new(&portal, &session_of(&portal, token).await);
        assert_eq!(browser.get("/v1/me").await.ok(), expected);
    }
    portal.api(None).get("/v1/me").await.expect(401);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn the_catalog_is_the_scope_catalog_file_the_portal_embeds() {
    let portal = Portal::start();
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../appdesk-core/catalog/scope-catalog.json"
    );
    let file: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let browser = Browser::new(&portal, &session_of(&portal, &portal.admin_token).await);
    for answer in [
        portal.dev.get("/v1/catalog").await.ok(),
        portal.admin.get("/v1/catalog").await.ok(),
        browser.get("/v1/catalog").await.ok(),
    ] {
        assert_eq!(answer["catalogVersion"], file["catalogVersion"]);
        assert_eq!(answer["source"], file["source"]);
        assert_eq!(answer["modules"], file["modules"]);
        assert_eq!(
            answer["labels"]["tn.crm.customers:r"], "CRM › Customers (View)",
            "the labels the desktop shows"
        );
    }
    portal.api(None).get("/v1/catalog").await.expect(401);
}

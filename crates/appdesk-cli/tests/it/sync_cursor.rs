//! The cursor moves last (issue 18, item 3): a page of the feed is stored with
//! everything it implies (the connection lists a `connection` change names)
//! and its cursor in one transaction; a read that fails part-way leaves the
//! cursor where it was, so the next sync reads the page again and nothing is
//! skipped. The real `appdesk`, the fault proxy, the real portal; the oracle
//! is the portal's own `GET /v1/apps/{id}/connections`.

use appdesk_testkit::{Client, Fault, Portal, Proxy, Rule, block_on};
use serde_json::Value;

use crate::sync::{CUSTOMERS_R, sync};

const TENANT: &str = "1234";

fn portal_connections(portal: &Portal, token: &str, app: &str) -> Value {
    let reply = block_on(portal.api(Some(token)).request(
        "GET",
        &format!("/v1/apps/{app}/connections"),
        None,
        &[],
    ));
    assert_eq!(reply.status, 200, "{}", reply.text);
    serde_json::from_str(&reply.text).expect("JSON")
}

#[test]
fn a_connection_list_that_fails_once_arrives_on_the_next_sync() {
    let portal = Portal::start();
    let admin_token = portal.token("team", "admin", &[TENANT]);
    let proxy = Proxy::start(portal.server.addr);
    let dev = Client::new("dev");
    dev.link(&proxy.url(), &portal.token("team", "dev", &[]));
    let app = dev.new_app("Board", &[TENANT], &[CUSTOMERS_R]);
    let id = app["id"].as_str().expect("an id").to_owned();
    sync(&dev);
    let admin = Client::new("admin");
    admin.link(&portal.base_url(), &admin_token);
    sync(&admin);
    admin.json(&["conn", "connect", &id, "--tenant", TENANT]);

    proxy.add(Rule::methods(&["GET"], Fault::Status(500)).path("/connections"));
    let failure = dev.sync().expect_err("the connection list fails once");
    assert!(failure.message.contains("origin"), "{}", failure.message);
    assert!(!proxy.faulted().is_empty(), "{:?}", proxy.seen());

    sync(&dev);
    let listed = dev.json(&["conn", "list", &id]);
    let on_portal = portal_connections(&portal, &admin_token, &id);
    assert_eq!(
        listed.as_array().map(Vec::len),
        Some(1),
        "the connection arrived: {listed}"
    );
    for field in ["tenantId", "environment", "status", "version", "clientId"] {
        assert_eq!(listed[0][field], on_portal[0][field], "{field}");
    }
}

/// A transient error on each kind of read a pull makes (the feed, the full
/// listing after a `410`, an app's versions) fails that sync naming the
/// remote, and the next sync ends equal to the portal, nothing skipped.
#[test]
fn a_transient_error_on_each_kind_of_read_is_made_good_by_the_next_sync() {
    use appdesk_testkit::oracle::assert_converged;
    for (what, part, prune) in [
        ("the feed", "/v1/changes", false),
        ("the listing after a 410", "/v1/apps", true),
        ("an app's versions after a 410", "/versions", true),
    ] {
        let portal = Portal::start();
        let proxy = Proxy::start(portal.server.addr);
        let dev = Client::new("dev");
        dev.link(&portal.base_url(), &portal.dev_token);
        let reader = Client::new("reader");
        reader.link(&proxy.url(), &portal.token("team", "reader", &[]));
        let app = dev.new_app("Board", &[TENANT], &[CUSTOMERS_R]);
        let id = app["id"].as_str().expect("an id").to_owned();
        sync(&dev);
        sync(&reader);
        dev.json(&["app", "edit", &id, "--name", "Board 2"]);
        dev.json(&["app", "scopes", &id, "--add", crate::common::JOBS_R]);
        dev.new_app("Second", &[TENANT], &[CUSTOMERS_R]);
        sync(&dev);
        if prune {
            portal.forget_feed("team");
        }
        proxy.add(Rule::methods(&["GET"], Fault::Status(500)).path(part));
        let failure = reader.sync().expect_err(what);
        assert!(
            failure.message.contains("origin"),
            "{what}: {}",
            failure.message
        );
        assert!(!proxy.faulted().is_empty(), "{what}: {:?}", proxy.seen());
        proxy.clear();
        sync(&reader);
        let apps = assert_converged(&reader, &portal.dev);
        assert_eq!(apps.len(), 2, "{what}: {apps:?}");
        assert_eq!(apps[&id]["name"], "Board 2", "{what}");
    }
}

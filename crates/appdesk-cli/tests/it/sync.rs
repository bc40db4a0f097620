//! `appdesk sync` with the real binary: two and three clients (each its own
//! database file and token) against the real portal on a throwaway
//! PostgreSQL (`appdesk-testkit`), editing offline and syncing in every
//! order. The oracle is the portal's own API (`GET /v1/apps`, `/versions`),
//! compared field by field and version by version (`testkit::oracle`).

use appdesk_testkit::oracle::{assert_converged, portal_apps, version_scopes};
use appdesk_testkit::{Client, Portal};
use serde_json::Value;

pub const CUSTOMERS_R: &str = "tn.crm.customers:r";
pub const JOBS_R: &str = "tn.jpm.jobs:r";
pub const LOCATIONS_R: &str = "tn.crm.locations:r";

/// A portal and `users.len()` clients, each linked with its own token.
pub fn team(users: &[&str]) -> (Portal, Vec<Client>) {
    let portal = Portal::start();
    let clients = users
        .iter()
        .map(|user| {
            let client = Client::new(user);
            client.link(&portal.base_url(), &portal.token("team", user, &[]));
            client
        })
        .collect();
    (portal, clients)
}

#[track_caller]
pub fn sync(client: &Client) -> Value {
    client
        .sync()
        .unwrap_or_else(|f| panic!("{}: sync failed: {}", client.user, f.stderr))
}

/// An app made by `owner` and synced to every client; its id.
pub fn shared_app(clients: &[Client], name: &str) -> String {
    let app = clients[0].new_app(name, &["1234"], &[CUSTOMERS_R]);
    for c in clients {
        sync(c);
    }
    app["id"].as_str().unwrap().to_owned()
}

pub fn app(client: &Client, id: &str) -> Value {
    client.json(&["app", "show", id])
}

/// Every order of `n` clients.
pub fn orders(n: usize) -> Vec<Vec<usize>> {
    if n == 1 {
        return vec![vec![0]];
    }
    let mut out = Vec::new();
    for rest in orders(n - 1) {
        for at in 0..=rest.len() {
            let mut o = rest.clone();
            o.insert(at, n - 1);
            out.push(o);
        }
    }
    out
}

/// Syncs in `order`, then everyone again until nothing moves (twice round).
pub fn sync_in(clients: &[Client], order: &[usize]) {
    for &i in order {
        sync(&clients[i]);
    }
    for _ in 0..2 {
        for c in clients {
            sync(c);
        }
    }
}

fn sorted(value: &Value) -> Vec<String> {
    let mut v: Vec<String> = value
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s.as_str().unwrap().to_owned())
        .collect();
    v.sort();
    v
}

#[test]
fn different_fields_and_both_sides_scope_additions_merge_in_every_order() {
    for order in orders(2) {
        let (portal, clients) = team(&["alice", "bob"]);
        let id = shared_app(&clients, "Dispatch Board");
        let (a, b) = (&clients[0], &clients[1]);
        a.json(&["app", "edit", &id, "--org", "Acme North"]);
        a.json(&["app", "scopes", &id, "--add", JOBS_R]);
        b.json(&["app", "edit", &id, "--homepage", "https://b.example"]);
        b.json(&["app", "scopes", &id, "--add", LOCATIONS_R]);
        sync_in(&clients, &order);
        for c in &clients {
            let shown = app(c, &id);
            assert_eq!(shown["organization"], "Acme North", "{order:?} {}", c.user);
            assert_eq!(shown["homepageUrl"], "https://b.example/", "{order:?}");
            assert_eq!(
                sorted(&shown["scopes"]),
                [CUSTOMERS_R, LOCATIONS_R, JOBS_R],
                "{order:?}: both additions survive"
            );
            assert_eq!(c.json(&["conflicts", "list"]), serde_json::json!([]));
            assert_converged(c, &portal.dev);
        }
        let apps = portal_apps(&portal.dev);
        assert_eq!(
            version_scopes(&apps, &id).len(),
            3,
            "{order:?}: v1 and one per addition"
        );
    }
}

#[test]
fn three_clients_adding_scopes_and_renaming_converge_in_every_order() {
    let (portal, clients) = team(&["alice", "bob", "carol"]);
    for order in orders(3) {
        let id = shared_app(&clients, &format!("Board {order:?}"));
        clients[0].json(&["app", "scopes", &id, "--add", JOBS_R]);
        clients[1].json(&["app", "scopes", &id, "--add", LOCATIONS_R]);
        clients[2].json(&["app", "edit", &id, "--name", &format!("Renamed {order:?}")]);
        clients[2].json(&["app", "tenants", &id, "--add", "5678"]);
        sync_in(&clients, &order);
        for c in &clients {
            let shown = app(c, &id);
            assert_eq!(shown["name"], format!("Renamed {order:?}"));
            assert_eq!(sorted(&shown["scopes"]), [CUSTOMERS_R, LOCATIONS_R, JOBS_R]);
            let tenants: Vec<&str> = shown["tenants"]
                .as_array()
                .unwrap()
                .iter()
                .map(|t| t["id"].as_str().unwrap())
                .collect();
            assert_eq!(tenants, ["1234", "5678"], "{order:?}");
        }
    }
    for c in &clients {
        assert_converged(c, &portal.dev);
    }
}

#[test]
fn pending_versions_show_as_pending_until_synced_then_carry_the_portals_numbers() {
    let (portal, clients) = team(&["alice", "bob"]);
    let id = shared_app(&clients, "Board");
    let (a, b) = (&clients[0], &clients[1]);
    b.json(&["app", "scopes", &id, "--add", LOCATIONS_R]);
    a.json(&["app", "scopes", &id, "--add", JOBS_R]);
    let history = a.history(&id);
    let last = history.as_array().unwrap().last().unwrap().clone();
    assert_eq!(
        (last["version"].as_i64(), &last["pending"]),
        (Some(2), &Value::Bool(true))
    );
    sync(b); // the portal numbers bob's change 2
    sync(a); // alice's becomes 3 there
    let history = a.history(&id);
    let numbers: Vec<(i64, bool)> = history
        .as_array()
        .unwrap()
        .iter()
        .map(|v| {
            (
                v["version"].as_i64().unwrap(),
                v["pending"].as_bool().unwrap_or(false),
            )
        })
        .collect();
    assert_eq!(numbers, [(1, false), (2, false), (3, false)]);
    let created_by: Vec<&str> = history
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["createdBy"].as_str().unwrap())
        .collect();
    assert_eq!(
        created_by,
        ["alice", "bob", "alice"],
        "the portal's user stamps"
    );
    sync(b);
    for c in &clients {
        assert_converged(c, &portal.dev);
    }
}

#[test]
fn linking_a_database_with_apps_pushes_them_and_deletes_no_local_app() {
    let (portal, clients) = team(&["alice"]);
    let a = &clients[0];
    let theirs = a.new_app("On the portal", &["1234"], &[CUSTOMERS_R]);
    sync(a);
    let b = Client::new("bob");
    let mine: Vec<String> = ["Local one", "Local two"]
        .iter()
        .map(|n| {
            b.new_app(n, &["99"], &[JOBS_R])["id"]
                .as_str()
                .unwrap()
                .to_owned()
        })
        .collect();
    let linked = b.link(&portal.base_url(), &portal.token("team", "bob", &[]));
    assert_eq!(linked["queuedApps"], 2);
    let report = sync(&b);
    assert_eq!(report["pushed"], 2);
    assert_eq!(report["pulled"], 1, "{report}");
    assert_eq!(report["conflicts"], serde_json::json!([]));
    let cursor = report["cursor"].as_str().unwrap_or_default();
    assert_eq!(
        cursor.split('.').count(),
        3,
        "a feed position epoch.xid.seq: {report}"
    );
    let ids: Vec<String> = b
        .apps()
        .iter()
        .map(|a| a["id"].as_str().unwrap().to_owned())
        .collect();
    for id in mine
        .iter()
        .chain([theirs["id"].as_str().unwrap().to_owned()].iter())
    {
        assert!(ids.contains(id), "{id} is in bob's database: {ids:?}");
    }
    assert_converged(&b, &portal.dev);
    sync(a);
    assert_converged(a, &portal.dev);
}

#[test]
fn a_never_synced_app_survives_a_full_relisting_and_is_pushed() {
    let (portal, clients) = team(&["alice"]);
    let a = &clients[0];
    a.new_app("Synced", &["1234"], &[CUSTOMERS_R]);
    sync(a);
    let local = a.new_app("Never synced", &["1234"], &[JOBS_R]);
    let other = portal.token("team", "bob", &[]);
    let api = portal.api(Some(&other));
    appdesk_testkit::block_on(api.create_ok(&serde_json::json!({
        "name": "From elsewhere", "organization": "Acme", "homepageUrl": "https://x.example",
        "tenants": [{"id": "42"}], "scopes": [CUSTOMERS_R]
    })));
    // The feed forgets everything: alice's cursor gets 410 and she lists again.
    portal.forget_feed("team");
    let report = sync(a);
    assert_eq!(report["pushed"], 1, "{report}");
    let names: Vec<String> = a
        .apps()
        .iter()
        .map(|x| x["name"].as_str().unwrap().to_owned())
        .collect();
    assert!(names.contains(&"Never synced".to_owned()), "{names:?}");
    assert!(names.contains(&"From elsewhere".to_owned()), "{names:?}");
    assert!(app(a, local["id"].as_str().unwrap())["appKey"].is_string());
    assert_converged(a, &portal.dev);
}

#[test]
fn sync_plan_writes_nothing_here_or_on_the_portal_and_lists_what_it_would_do() {
    let (portal, clients) = team(&["alice", "bob"]);
    let id = shared_app(&clients, "Board");
    let (a, b) = (&clients[0], &clients[1]);
    b.json(&["app", "edit", &id, "--name", "Theirs"]);
    sync(b);
    a.json(&["app", "edit", &id, "--name", "Mine"]);
    a.json(&["app", "scopes", &id, "--add", JOBS_R]);
    // pg_dump marks each dump with a random `\restrict` key: not data.
    let rows = || -> String {
        let dump = portal.dump();
        dump.lines()
            .filter(|l| !l.contains("restrict "))
            .collect::<Vec<_>>()
            .join("\n")
    };
    let (bytes, dump) = (a.db_bytes(), rows());
    let plan = a.json(&["sync", "--plan"]);
    assert_eq!(
        a.db_bytes(),
        bytes,
        "the database file is byte for byte the same"
    );
    assert_eq!(rows(), dump, "the portal's rows are the same");
    assert_eq!(plan["plan"], true);
    assert_eq!(plan["pulled"], 1, "{plan}");
    assert_eq!(
        plan["pushed"], 1,
        "the scope change; the rename is held back: {plan}"
    );
    assert_eq!(plan["pushes"][0]["what"], "scopes");
    let conflict = &plan["conflicts"][0];
    assert_eq!(
        (
            &conflict["field"],
            &conflict["mine"],
            &conflict["theirs"],
            &conflict["base"]
        ),
        (
            &"name".into(),
            &"Mine".into(),
            &"Theirs".into(),
            &"Board".into()
        )
    );
    assert_eq!(
        a.json(&["conflicts", "list"]),
        serde_json::json!([]),
        "not stored"
    );
    let report = sync(a);
    assert_eq!(
        (&report["pulled"], &report["pushed"]),
        (&plan["pulled"], &plan["pushed"])
    );
    assert_eq!(report["conflicts"], plan["conflicts"]);
}

#[test]
fn sync_on_a_database_with_no_remote_says_how_to_link_one() {
    let c = Client::new("alice");
    let failure = c.fails(&["sync"]);
    assert_eq!(
        (failure.exit, failure.code.as_str()),
        (Some(1), "not_allowed")
    );
    assert!(
        failure.message.contains("appdesk remote add"),
        "{}",
        failure.message
    );
    let (_portal, clients) = team(&["bob"]);
    let failure = clients[0].fails(&["sync", "--remote", "elsewhere"]);
    assert_eq!(failure.code, "invalid");
    assert!(failure.message.contains("elsewhere"), "{}", failure.message);
}

#[test]
fn an_unreachable_portal_fails_naming_the_remote_and_loses_nothing() {
    let c = Client::new("alice");
    // A loopback port nothing listens on.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    c.new_app("Board", &["1234"], &[CUSTOMERS_R]);
    c.link(&format!("http://127.0.0.1:{port}"), "adp_token_x");
    let failure = c.fails(&["sync"]);
    assert_eq!(failure.code, "unreachable", "{}", failure.stderr);
    assert!(failure.message.contains("origin") && failure.message.contains("nothing was lost"));
    assert_eq!(c.pending(), 1, "the creation stays queued");
}

#[test]
fn an_answer_lost_after_the_portal_committed_is_not_applied_twice() {
    let portal = Portal::start();
    let proxy = appdesk_testkit::Proxy::start(portal.server.addr);
    let a = Client::new("alice");
    a.link(&proxy.url(), &portal.token("team", "alice", &[]));
    let id = a.new_app("Board", &["1234"], &[CUSTOMERS_R])["id"]
        .as_str()
        .unwrap()
        .to_owned();
    use appdesk_testkit::{Fault, Rule};
    // The creation commits on the portal; its answer never arrives.
    proxy.add(Rule::writes(Fault::DropAfterCommit));
    let failure = a.fails(&["sync"]);
    assert_eq!(failure.code, "unreachable", "{}", failure.stderr);
    assert_eq!(
        a.pending(),
        1,
        "the intent stays until its answer is stored"
    );
    sync(&a);
    // Then a scope change: committed, answer lost, synced again.
    a.json(&["app", "scopes", &id, "--add", JOBS_R]);
    proxy.add(Rule::writes(Fault::DropAfterCommit));
    a.fails(&["sync"]);
    sync(&a);
    let apps = assert_converged(&a, &portal.dev);
    assert_eq!(apps.len(), 1, "one app on the portal: {apps:?}");
    assert_eq!(
        version_scopes(&apps, &id),
        [
            vec![CUSTOMERS_R.to_owned()],
            vec![CUSTOMERS_R.to_owned(), JOBS_R.to_owned()]
        ],
        "versions 1 and 2, the change applied once"
    );
    let writes = proxy.seen().iter().filter(|s| s.method != "GET").count();
    assert!(writes >= 2, "both writes went through the proxy");
}

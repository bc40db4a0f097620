//! The model-based property test of sync (issue 10): random sequences of
//! offline edits on 2–3 clients (each the real `appdesk` on its own database,
//! behind its own fault-injecting proxy), syncs at random points, some under a
//! random fault; then every client syncs until nothing moves, resolving each
//! conflict by taking the portal's value.
//!
//! The model is what the edits must add up to, whatever the order: every scope
//! and tenant is added once (unique values) and removed only by a client that
//! has seen it, so sets merge without conflicts, and each app's final scope set,
//! tenant set and number of versions follow from the edits alone. Invariants:
//! - convergence: every client's apps and histories equal the portal's;
//! - gapless versions, one per scope change: none lost, none applied twice;
//! - an app's key never changes once a client has seen it;
//! - a failed sync names the remote.
//!
//! One PostgreSQL cluster for the test binary, a portal database per case.
//! `PROPTEST_CASES=N` runs more cases than the default.

use std::collections::{BTreeMap, BTreeSet};

use appdesk_testkit::oracle::{assert_converged, version_scopes};
use appdesk_testkit::{Client, Fault, Portal, Proxy, Rule, TENANT};
use proptest::prelude::*;
use serde_json::Value;

use crate::common::CUSTOMERS_R;

#[derive(Debug, Clone, Copy)]
enum Kind {
    DropBefore,
    DropAfter,
    Status500,
    Unavailable,
}

#[derive(Debug, Clone)]
enum Op {
    Create(usize),
    AddScope(usize, usize),
    RemoveScope(usize, usize, usize),
    Rename(usize, usize),
    AddTenant(usize, usize),
    RemoveTenant(usize, usize, usize),
    /// Sync a client; with a fault on its `skip`-th write.
    Sync(usize, Option<(Kind, usize)>),
}

fn op() -> impl Strategy<Value = Op> {
    let c = 0..3usize;
    let a = 0..8usize;
    let kind = prop_oneof![
        Just(Kind::DropBefore),
        Just(Kind::DropAfter),
        Just(Kind::Status500),
        Just(Kind::Unavailable)
    ];
    prop_oneof![
        2 => c.clone().prop_map(Op::Create),
        3 => (c.clone(), a.clone()).prop_map(|(c, a)| Op::AddScope(c, a)),
        1 => (c.clone(), a.clone(), a.clone()).prop_map(|(c, a, p)| Op::RemoveScope(c, a, p)),
        2 => (c.clone(), a.clone()).prop_map(|(c, a)| Op::Rename(c, a)),
        1 => (c.clone(), a.clone()).prop_map(|(c, a)| Op::AddTenant(c, a)),
        1 => (c.clone(), a.clone(), a).prop_map(|(c, a, p)| Op::RemoveTenant(c, a, p)),
        3 => (c, proptest::option::weighted(0.4, (kind, 0..3usize))).prop_map(|(c, f)| Op::Sync(c, f)),
    ]
}

/// What the edits add up to for one app.
#[derive(Debug, Default)]
struct Expected {
    scopes: BTreeSet<String>,
    removed: BTreeSet<String>,
    versions: usize,
    tenants: BTreeSet<String>,
    names: BTreeSet<String>,
    key: String,
}

struct Member {
    client: Client,
    proxy: Proxy,
}

struct World {
    portal: Portal,
    members: Vec<Member>,
    apps: BTreeMap<String, Expected>,
    /// Unique values for scopes, tenants and names.
    next: usize,
    scope_pool: Vec<String>,
}

impl World {
    fn new(clients: usize) -> World {
        let portal = Portal::start();
        let members = (0..clients)
            .map(|i| {
                let user = format!("user{i}");
                let token = portal.token("team", &user, &[]);
                let proxy = Proxy::start(portal.server.addr);
                let client = Client::new(&user);
                client.link(&proxy.url(), &token);
                Member { client, proxy }
            })
            .collect();
        let mut scope_pool = appdesk_testkit::catalog_view_scopes();
        scope_pool.retain(|s| s != CUSTOMERS_R);
        World {
            portal,
            members,
            apps: BTreeMap::new(),
            next: 0,
            scope_pool,
        }
    }

    fn unique(&mut self) -> usize {
        self.next += 1;
        self.next
    }

    /// The client's created apps, by id.
    fn local(&self, c: usize) -> Vec<Value> {
        let mut apps = self.members[c].client.apps();
        apps.retain(|a| a["status"] == "created");
        apps.sort_by(|a, b| a["id"].as_str().cmp(&b["id"].as_str()));
        apps
    }

    /// The `pick`-th app of client `c`, if it has any.
    fn pick_app(&self, c: usize, pick: usize) -> Option<Value> {
        let apps = self.local(c);
        (!apps.is_empty()).then(|| apps[pick % apps.len()].clone())
    }

    fn apply(&mut self, op: &Op) {
        let n = self.members.len();
        match *op {
            Op::Create(c) => {
                let name = format!("App {}", self.unique());
                let app = self.members[c % n]
                    .client
                    .new_app(&name, &[TENANT], &[CUSTOMERS_R]);
                let id = app["id"].as_str().expect("an id").to_owned();
                let expected = Expected {
                    scopes: [CUSTOMERS_R.to_owned()].into(),
                    versions: 1,
                    tenants: [TENANT.to_owned()].into(),
                    names: [name].into(),
                    key: app["appKey"].as_str().expect("a key").to_owned(),
                    ..Expected::default()
                };
                self.apps.insert(id, expected);
            }
            Op::AddScope(c, a) => {
                let Some(app) = self.pick_app(c % n, a) else {
                    return;
                };
                let at = self.unique() % self.scope_pool.len();
                let scope = self.scope_pool[at].clone();
                let expected = self.apps.get_mut(id(&app)).expect("a modelled app");
                if expected.scopes.contains(&scope) || expected.removed.contains(&scope) {
                    return; // the pool came round: skip rather than reuse a scope
                }
                expected.scopes.insert(scope.clone());
                expected.versions += 1;
                self.edit(c, &["app", "scopes", id(&app), "--add", &scope]);
            }
            Op::RemoveScope(c, a, p) => {
                let Some(app) = self.pick_app(c % n, a) else {
                    return;
                };
                let mut scopes = strings(&app["scopes"]);
                scopes.retain(|s| s != CUSTOMERS_R);
                let Some(scope) = (!scopes.is_empty()).then(|| scopes[p % scopes.len()].clone())
                else {
                    return;
                };
                let expected = self.apps.get_mut(id(&app)).expect("a modelled app");
                expected.scopes.remove(&scope);
                if expected.removed.insert(scope.clone()) {
                    expected.versions += 1;
                }
                self.edit(c, &["app", "scopes", id(&app), "--remove", &scope]);
            }
            Op::Rename(c, a) => {
                let Some(app) = self.pick_app(c % n, a) else {
                    return;
                };
                let name = format!("Renamed {}", self.unique());
                let expected = self.apps.get_mut(id(&app)).expect("a modelled app");
                expected.names.insert(name.clone());
                self.edit(c, &["app", "edit", id(&app), "--name", &name]);
            }
            Op::AddTenant(c, a) => {
                let Some(app) = self.pick_app(c % n, a) else {
                    return;
                };
                let tenant = format!("{}", 2_000_000 + self.unique());
                let expected = self.apps.get_mut(id(&app)).expect("a modelled app");
                expected.tenants.insert(tenant.clone());
                self.edit(c, &["app", "tenants", id(&app), "--add", &tenant]);
            }
            Op::RemoveTenant(c, a, p) => {
                let Some(app) = self.pick_app(c % n, a) else {
                    return;
                };
                let mut tenants: Vec<String> = app["tenants"]
                    .as_array()
                    .expect("tenants")
                    .iter()
                    .map(|t| t["id"].as_str().expect("a tenant id").to_owned())
                    .collect();
                tenants.retain(|t| t != TENANT);
                let Some(tenant) =
                    (!tenants.is_empty()).then(|| tenants[p % tenants.len()].clone())
                else {
                    return;
                };
                let expected = self.apps.get_mut(id(&app)).expect("a modelled app");
                expected.tenants.remove(&tenant);
                self.edit(c, &["app", "tenants", id(&app), "--remove", &tenant]);
            }
            Op::Sync(c, fault) => self.sync(c % n, fault),
        }
    }

    fn edit(&self, c: usize, args: &[&str]) {
        self.members[c % self.members.len()].client.json(args);
    }

    /// A sync, maybe under a fault: it may fail (naming the remote) or not.
    fn sync(&self, c: usize, fault: Option<(Kind, usize)>) {
        let member = &self.members[c];
        if let Some((kind, skip)) = fault {
            let fault = match kind {
                Kind::DropBefore => Fault::DropBeforeForward,
                Kind::DropAfter => Fault::DropAfterCommit,
                Kind::Status500 => Fault::Status(500),
                Kind::Unavailable => Fault::Unavailable { retry_after: 1 },
            };
            member.proxy.add(Rule::writes(fault).skip(skip));
        }
        let outcome = member.client.sync();
        member.proxy.clear();
        if let Err(failure) = outcome {
            assert!(
                fault.is_some(),
                "a sync with no fault failed: {}",
                failure.stderr
            );
            assert!(failure.message.contains("origin"), "{}", failure.stderr);
        }
        self.check_keys(c);
    }

    /// Every app the client lists keeps the key it was created with.
    fn check_keys(&self, c: usize) {
        for app in self.local(c) {
            let expected = &self.apps[id(&app)];
            assert_eq!(
                app["appKey"],
                expected.key.as_str(),
                "the key of {} changed",
                id(&app)
            );
        }
    }

    /// Syncs every client, taking the portal's value for each conflict, until
    /// a whole round moves nothing.
    fn settle(&self) {
        for _ in 0..6 {
            let mut moved = false;
            for (c, member) in self.members.iter().enumerate() {
                let conflicts = member.client.json(&["conflicts", "list"]);
                let apps: BTreeSet<&str> = conflicts
                    .as_array()
                    .expect("a conflict list")
                    .iter()
                    .map(|k| k["app"].as_str().expect("an app id"))
                    .collect();
                for app in &apps {
                    member
                        .client
                        .json(&["conflicts", "resolve", app, "--all", "--take", "theirs"]);
                }
                let report = member
                    .client
                    .sync()
                    .unwrap_or_else(|f| panic!("a sync with no fault failed: {}", f.stderr));
                moved |= !apps.is_empty()
                    || report["pulled"] != 0
                    || report["pushed"] != 0
                    || report["conflicts"] != serde_json::json!([]);
                self.check_keys(c);
            }
            if !moved {
                return;
            }
        }
        panic!("six rounds of syncs did not settle");
    }

    fn check(&self) {
        let mut portal = None;
        for member in &self.members {
            portal = Some(assert_converged(&member.client, &self.portal.dev));
        }
        let portal = portal.expect("at least one client");
        assert_eq!(
            portal.keys().collect::<Vec<_>>(),
            self.apps.keys().collect::<Vec<_>>(),
            "the portal has exactly the apps created"
        );
        for (id, expected) in &self.apps {
            let app = &portal[id];
            assert_eq!(
                strings(&app["scopes"]),
                Vec::from_iter(expected.scopes.clone()),
                "{id} scopes"
            );
            assert_eq!(
                version_scopes(&portal, id).len(),
                expected.versions,
                "{id}: versions"
            );
            let tenants: BTreeSet<String> = app["tenants"]
                .as_array()
                .expect("tenants")
                .iter()
                .map(|t| t[0].as_str().expect("a tenant id").to_owned())
                .collect();
            assert_eq!(tenants, expected.tenants, "{id} tenants");
            let name = app["name"].as_str().expect("a name");
            assert!(
                expected.names.contains(name),
                "{id}: name {name} was never given"
            );
            assert_eq!(
                app["appKey"],
                expected.key.as_str(),
                "{id}: the key changed"
            );
        }
    }
}

fn id(app: &Value) -> &str {
    app["id"].as_str().expect("an app id")
}

fn strings(value: &Value) -> Vec<String> {
    let mut items: Vec<String> = value
        .as_array()
        .expect("an array")
        .iter()
        .map(|v| v.as_str().expect("a string").to_owned())
        .collect();
    items.sort();
    items
}

fn config() -> ProptestConfig {
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(12);
    ProptestConfig {
        cases,
        max_shrink_iters: 24,
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn offline_edits_on_several_clients_with_faults_converge_and_lose_nothing(
        clients in 2..=3usize,
        ops in proptest::collection::vec(op(), 3..12),
    ) {
        let mut world = World::new(clients);
        for op in &ops {
            world.apply(op);
        }
        world.settle();
        world.check();
    }
}

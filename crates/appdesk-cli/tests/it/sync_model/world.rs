//! The world a case runs in: one portal, 2–3 clients (the real `appdesk`, each
//! on its own database behind its own fault proxy), the intents each client
//! made (the oracle, [`super::intents`]), and who may edit what.
//!
//! Who may edit what keeps the oracle exact without forbidding the edits that
//! undo earlier ones (re-adding a scope, renaming back, removing and re-adding
//! a tenant): a part of an app (its name, one scope, one tenant) belongs to
//! the client that last edited it. Another client may take it over only once
//! the owner synced with nothing left queued after that edit, and the newcomer
//! synced after that. So no two clients ever race on a part, and any conflict
//! a sync reports is a failure. Clients still edit other parts of the same
//! app concurrently, and their pushes interleave with lost answers, faults and
//! syncs killed mid-way.

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use appdesk_testkit::oracle::assert_converged;
use appdesk_testkit::{Client, Fault, Portal, Proxy, Rule, TENANT};
use serde_json::Value;

use super::intents::{Intent, Model, What, assert_portal_is};
use super::{Kill, Op, Scope, SyncFault};
use crate::common::CUSTOMERS_R;

/// A part of an app that one client at a time may edit.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum Part {
    Name,
    Scope(String),
    Tenant(String),
}

/// Who edited a part last, and when.
#[derive(Debug, Clone, Copy)]
struct Owner {
    client: usize,
    at: u64,
}

struct Member {
    client: Client,
    proxy: Proxy,
    /// When its last sync that succeeded ran.
    synced_at: Option<u64>,
    /// When its last sync ran that succeeded with nothing left queued.
    clean_at: Option<u64>,
}

pub struct World {
    portal: Portal,
    members: Vec<Member>,
    /// The oracle: each client's intents, in the order it made them.
    intents: Vec<Vec<Intent>>,
    /// The intents so far, applied as they are made (to choose valid edits).
    now: Model,
    /// The owner of each part edited since the app was created; the creator
    /// owns the others.
    owners: BTreeMap<(String, Part), Owner>,
    creators: BTreeMap<String, Owner>,
    /// The key of every app created, deleted ones included.
    keys: BTreeMap<String, String>,
    clock: u64,
    scope_pool: Vec<String>,
    tenant_pool: Vec<String>,
}

impl World {
    pub fn new(clients: usize) -> World {
        let portal = Portal::start();
        let members = (0..clients)
            .map(|i| {
                let user = format!("user{i}");
                let token = portal.token("team", &user, &[]);
                let proxy = Proxy::start(portal.server.addr);
                let client = Client::new(&user);
                client.link(&proxy.url(), &token);
                Member {
                    client,
                    proxy,
                    synced_at: None,
                    clean_at: None,
                }
            })
            .collect();
        // Few scopes and tenants, so that edits often undo earlier ones.
        let mut scope_pool = appdesk_testkit::catalog_view_scopes();
        scope_pool.retain(|s| s != CUSTOMERS_R);
        scope_pool.truncate(3);
        World {
            portal,
            members,
            intents: vec![Vec::new(); clients],
            now: Model::default(),
            owners: BTreeMap::new(),
            creators: BTreeMap::new(),
            keys: BTreeMap::new(),
            clock: 0,
            scope_pool,
            tenant_pool: (1..=3).map(|n| format!("{}", 2_000_000 + n)).collect(),
        }
    }

    pub fn apply(&mut self, op: &Op) {
        self.clock += 1;
        let n = self.members.len();
        match *op {
            Op::Create(c) => self.create(c % n),
            Op::Rename { client, pick, back } => self.rename(client % n, pick, back),
            Op::ToggleScope { client, pick } => self.toggle(client % n, pick, Scope::Scopes),
            Op::ToggleTenant { client, pick } => self.toggle(client % n, pick, Scope::Tenants),
            Op::Delete { client, pick } => self.delete(client % n, pick),
            Op::Sync(c, fault) => self.sync(c % n, fault),
            Op::Kill(c, at) => self.kill(c % n, at),
        }
    }

    fn create(&mut self, c: usize) {
        let name = format!("App {}", self.clock);
        let app = self.members[c]
            .client
            .new_app(&name, &[TENANT], &[CUSTOMERS_R]);
        let id = app["id"].as_str().expect("an id").to_owned();
        let key = app["appKey"].as_str().expect("a key").to_owned();
        let at = self.clock;
        self.creators.insert(id.clone(), Owner { client: c, at });
        self.keys.insert(id.clone(), key.clone());
        self.record(
            c,
            &id,
            What::Create {
                name,
                key,
                scopes: vec![CUSTOMERS_R.to_owned()],
                tenants: vec![TENANT.to_owned()],
            },
        );
    }

    /// A new name, or (`back`) one the app had before, when it had another.
    fn rename(&mut self, c: usize, pick: usize, back: bool) {
        let apps = self.editable(c, |_| vec![Part::Name]);
        let Some((id, _)) = choose(&apps, pick) else {
            return;
        };
        let app = &self.now.apps[&id];
        let earlier: Vec<&String> = app.names.iter().filter(|n| **n != app.name).collect();
        let name = match choose(&earlier, pick / 7) {
            Some(name) if back => name.clone(),
            _ => format!("Renamed {}", self.clock),
        };
        self.edit(c, &["app", "edit", &id, "--name", &name]);
        self.record(c, &id, What::Rename(name));
    }

    /// Adds one of the pool's scopes or tenants that the app lacks, or removes
    /// one it has: the pools are small, so this often undoes an earlier edit.
    fn toggle(&mut self, c: usize, pick: usize, scope: Scope) {
        let pool = match scope {
            Scope::Scopes => self.scope_pool.clone(),
            Scope::Tenants => self.tenant_pool.clone(),
        };
        let part = |value: &String| match scope {
            Scope::Scopes => Part::Scope(value.clone()),
            Scope::Tenants => Part::Tenant(value.clone()),
        };
        let choices = self.editable(c, |_| pool.iter().map(part).collect());
        let Some((id, part)) = choose(&choices, pick) else {
            return;
        };
        let app = &self.now.apps[&id];
        let (what, flag, value) = match part {
            Part::Scope(s) if app.scopes.contains(&s) => {
                (What::RemoveScope(s.clone()), "--remove", s)
            }
            Part::Scope(s) => (What::AddScope(s.clone()), "--add", s),
            Part::Tenant(t) if app.tenants.contains(&t) => {
                (What::RemoveTenant(t.clone()), "--remove", t)
            }
            Part::Tenant(t) => (What::AddTenant(t.clone()), "--add", t),
            Part::Name => unreachable!("only scopes and tenants are toggled"),
        };
        let command = match scope {
            Scope::Scopes => "scopes",
            Scope::Tenants => "tenants",
        };
        self.edit(c, &["app", command, &id, flag, &value]);
        self.record(c, &id, what);
    }

    /// Deletes an app of which client `c` may edit every part (so no other
    /// client has an edit of it on its way).
    fn delete(&mut self, c: usize, pick: usize) {
        let mut parts = vec![
            Part::Name,
            Part::Scope(CUSTOMERS_R.to_owned()),
            Part::Tenant(TENANT.to_owned()),
        ];
        parts.extend(self.scope_pool.iter().map(|s| Part::Scope(s.clone())));
        parts.extend(self.tenant_pool.iter().map(|t| Part::Tenant(t.clone())));
        let apps: Vec<String> = (self.now.apps.keys())
            .filter(|id| parts.iter().all(|p| self.may_edit(c, id, p)))
            .cloned()
            .collect();
        let Some(id) = choose(&apps, pick) else {
            return;
        };
        self.edit(c, &["app", "delete", &id]);
        self.record(c, &id, What::Delete);
    }

    /// The (app, part) pairs client `c` may edit now, of the parts `parts`
    /// names for each app.
    fn editable(&self, c: usize, parts: impl Fn(&str) -> Vec<Part>) -> Vec<(String, Part)> {
        let mut out = Vec::new();
        for id in self.now.apps.keys() {
            for part in parts(id) {
                if self.may_edit(c, id, &part) {
                    out.push((id.clone(), part));
                }
            }
        }
        out
    }

    /// The owner may; another client only once the owner's edits of it are
    /// all acknowledged (a sync with nothing left queued after the last one)
    /// and it synced after that itself, so it has them.
    fn may_edit(&self, c: usize, id: &str, part: &Part) -> bool {
        let owner = self
            .owners
            .get(&(id.to_owned(), part.clone()))
            .unwrap_or(&self.creators[id]);
        if owner.client == c {
            return true;
        }
        let Some(clean) = self.members[owner.client]
            .clean_at
            .filter(|t| *t > owner.at)
        else {
            return false;
        };
        self.members[c].synced_at.is_some_and(|t| t > clean)
    }

    fn edit(&self, c: usize, args: &[&str]) {
        self.members[c].client.json(args);
    }

    /// Writes an intent in client `c`'s list (the oracle) and in the model
    /// of now; the client owns what it edited.
    fn record(&mut self, c: usize, id: &str, what: What) {
        let part = match &what {
            What::Create { .. } | What::Delete => None,
            What::Rename(_) => Some(Part::Name),
            What::AddScope(s) | What::RemoveScope(s) => Some(Part::Scope(s.clone())),
            What::AddTenant(t) | What::RemoveTenant(t) => Some(Part::Tenant(t.clone())),
        };
        let at = self.clock;
        if let Some(part) = part {
            self.owners
                .insert((id.to_owned(), part), Owner { client: c, at });
        }
        let intent = Intent {
            at,
            client: c,
            app: id.to_owned(),
            what,
        };
        self.now.apply(&intent);
        self.intents[c].push(intent);
    }

    /// A sync, maybe under a fault: it fails naming the remote, or succeeds
    /// with no conflict, nothing refused and nothing quarantined.
    fn sync(&mut self, c: usize, fault: Option<SyncFault>) {
        let member = &self.members[c];
        if let Some(fault) = fault {
            member.proxy.add(fault.rule());
        }
        let outcome = member.client.sync();
        member.proxy.clear();
        match outcome {
            Ok(report) => self.synced(c, &report),
            Err(failure) => {
                assert!(
                    fault.is_some(),
                    "a sync with no fault failed: {}",
                    failure.stderr
                );
                assert!(failure.message.contains("origin"), "{}", failure.stderr);
            }
        }
        self.check_keys(c);
    }

    /// Notes a sync that succeeded, after checking its report.
    fn synced(&mut self, c: usize, report: &Value) {
        for list in ["conflicts", "refused", "quarantined"] {
            assert!(
                report[list].as_array().is_none_or(Vec::is_empty),
                "user{c}: {list} where no two clients raced: {report}"
            );
        }
        let member = &mut self.members[c];
        member.synced_at = Some(self.clock);
        if report["pending"] == 0 {
            member.clean_at = Some(self.clock);
        }
    }

    /// `appdesk sync` SIGKILLed once its proxy has seen `n` more requests, or
    /// while its `skip`-th write is held (the write then reaches the portal
    /// with the client gone). A sync that ends first is left as it ended.
    fn kill(&mut self, c: usize, at: Kill) {
        let member = &self.members[c];
        let before = member.proxy.seen().len();
        if let Kill::HeldWrite(skip) = at {
            member.proxy.add(Rule::writes(Fault::Hold).skip(skip));
        }
        let mut sync = member.client.spawn(&["sync"]);
        let started = Instant::now();
        loop {
            if sync.try_wait().expect("the sync's status").is_some() {
                break;
            }
            let reached = match at {
                Kill::AfterRequests(n) => member.proxy.seen().len() >= before + n,
                Kill::HeldWrite(_) => member.proxy.held() > 0,
            };
            if reached {
                sync.kill().expect("SIGKILL the sync");
                sync.wait().expect("the killed sync is gone");
                break;
            }
            assert!(
                started.elapsed() < Duration::from_secs(60),
                "the sync hangs"
            );
            std::thread::sleep(Duration::from_millis(2));
        }
        member.proxy.clear();
        member.proxy.release();
        member.proxy.wait_idle();
        self.check_keys(c);
    }

    /// Every app the client lists keeps the key it was created with.
    fn check_keys(&self, c: usize) {
        for app in self.members[c].client.apps() {
            if app["status"] != "created" {
                continue;
            }
            let id = app["id"].as_str().expect("an app id");
            assert_eq!(
                app["appKey"],
                self.keys[id].as_str(),
                "the key of {id} changed"
            );
        }
    }

    /// Syncs every client, with no fault, until a whole round moves nothing.
    pub fn settle(&mut self) {
        for _ in 0..6 {
            let mut moved = false;
            for c in 0..self.members.len() {
                self.clock += 1;
                let report = self.members[c]
                    .client
                    .sync()
                    .unwrap_or_else(|f| panic!("a sync with no fault failed: {}", f.stderr));
                self.synced(c, &report);
                moved |= report["pulled"] != 0 || report["pushed"] != 0 || report["pending"] != 0;
                self.check_keys(c);
            }
            if !moved {
                return;
            }
        }
        panic!("six rounds of syncs did not settle");
    }

    /// Every client equals the portal, and the portal equals what the
    /// intents recorded add up to.
    pub fn check(&self) {
        let mut portal = None;
        for member in &self.members {
            portal = Some(assert_converged(&member.client, &self.portal.dev));
        }
        let portal = portal.expect("at least one client");
        let model = Model::of(&self.intents);
        assert_eq!(
            model, self.now,
            "the model of the lists is the model of now"
        );
        assert_portal_is(&portal, &model);
    }
}

/// The `pick`-th of `items` (wrapping), if there are any.
fn choose<T: Clone>(items: &[T], pick: usize) -> Option<T> {
    (!items.is_empty()).then(|| items[pick % items.len()].clone())
}

impl SyncFault {
    fn rule(self) -> Rule {
        let fault = match self.kind {
            super::Kind::DropBefore => Fault::DropBeforeForward,
            super::Kind::DropAfter => Fault::DropAfterCommit,
            super::Kind::Status500 => Fault::Status(500),
            super::Kind::Unavailable => Fault::Unavailable { retry_after: 1 },
        };
        let rule = if self.on_reads {
            Rule::methods(&["GET"], fault)
        } else {
            Rule::writes(fault)
        };
        rule.skip(self.skip)
    }
}

//! The oracle of the model-based sync test: the intents each client made, in
//! the order it made them, recorded here as plain data, and the small model
//! that says what they must add up to on the portal.
//!
//! The test only lets a client edit a part of an app (its name, one scope,
//! one tenant) when no other client can race on it (see `world::World::may_edit`),
//! so each part's intents are totally ordered by the test's clock, `at`: the
//! model applies every client's intents in that order, and the end state is
//! exact, no conflict allowed. Scope intents are also checked one by one
//! against the portal's versions: each must be exactly one version, in order,
//! so an intent lost or applied twice shows. This module never runs `appdesk`
//! and never reads the code under test.

use std::collections::{BTreeMap, BTreeSet};

use appdesk_testkit::oracle::{Apps, sorted_strings, version_scopes};

/// One intent, as the user made it.
#[derive(Debug, Clone)]
pub enum What {
    Create {
        name: String,
        key: String,
        scopes: Vec<String>,
        tenants: Vec<String>,
    },
    Rename(String),
    AddScope(String),
    RemoveScope(String),
    AddTenant(String),
    RemoveTenant(String),
    Delete,
}

/// An intent, when (the test's clock) and on which app.
#[derive(Debug, Clone)]
pub struct Intent {
    pub at: u64,
    /// The client that made it.
    pub client: usize,
    pub app: String,
    pub what: What,
}

/// What one app must end as.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Expected {
    pub key: String,
    pub name: String,
    /// Every name the app had, the current one included.
    pub names: Vec<String>,
    pub scopes: BTreeSet<String>,
    pub tenants: BTreeSet<String>,
    /// The scopes of its first version.
    pub first_scopes: BTreeSet<String>,
    /// Per scope, its additions (`true`) and removals (`false`), in the order
    /// the portal must make a version of each.
    pub scope_moves: BTreeMap<String, Vec<bool>>,
    /// The clients that edited it.
    pub editors: BTreeSet<usize>,
}

/// The apps the intents made, by id.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Model {
    pub apps: BTreeMap<String, Expected>,
}

impl Model {
    /// The end state of every client's intents, applied in the test's order.
    pub fn of(intents: &[Vec<Intent>]) -> Model {
        let mut all: Vec<&Intent> = intents.iter().flatten().collect();
        all.sort_by_key(|i| i.at);
        let mut model = Model::default();
        for intent in all {
            model.apply(intent);
        }
        model
    }

    /// Applies one intent. Every intent the test makes changes something (an
    /// addition of what is absent, a removal of what is there, a new name):
    /// one that would not is a bug of the test, and panics.
    pub fn apply(&mut self, intent: &Intent) {
        if let What::Create {
            name,
            key,
            scopes,
            tenants,
        } = &intent.what
        {
            let scopes: BTreeSet<String> = scopes.iter().cloned().collect();
            let app = Expected {
                key: key.clone(),
                name: name.clone(),
                names: vec![name.clone()],
                first_scopes: scopes.clone(),
                scopes,
                tenants: tenants.iter().cloned().collect(),
                scope_moves: BTreeMap::new(),
                editors: [intent.client].into(),
            };
            assert!(self.apps.insert(intent.app.clone(), app).is_none());
            return;
        }
        if let What::Delete = intent.what {
            let gone = self.apps.remove(&intent.app);
            assert!(gone.is_some(), "model: {intent:?} of an app not there");
            return;
        }
        let app = self
            .apps
            .get_mut(&intent.app)
            .unwrap_or_else(|| panic!("model: {intent:?} on an app never created"));
        app.editors.insert(intent.client);
        let changed = match &intent.what {
            What::Create { .. } | What::Delete => unreachable!("handled above"),
            What::Rename(name) => {
                let changed = app.name != *name;
                app.name.clone_from(name);
                if !app.names.contains(name) {
                    app.names.push(name.clone());
                }
                changed
            }
            What::AddScope(s) => {
                app.scope_moves.entry(s.clone()).or_default().push(true);
                app.scopes.insert(s.clone())
            }
            What::RemoveScope(s) => {
                app.scope_moves.entry(s.clone()).or_default().push(false);
                app.scopes.remove(s)
            }
            What::AddTenant(t) => app.tenants.insert(t.clone()),
            What::RemoveTenant(t) => app.tenants.remove(t),
        };
        assert!(changed, "model: {intent:?} changes nothing");
    }
}

/// The portal's apps (as `oracle::portal_apps` reads them) are exactly the
/// model's: the same ids, and for each its key, name, scopes, tenants, and
/// one version per scope intent, each version the next intent of one scope.
#[track_caller]
pub fn assert_portal_is(portal: &Apps, model: &Model) {
    assert_eq!(
        portal.keys().collect::<Vec<_>>(),
        model.apps.keys().collect::<Vec<_>>(),
        "the portal has exactly the apps created"
    );
    for (id, expected) in &model.apps {
        let app = &portal[id];
        assert_eq!(app["appKey"], expected.key.as_str(), "{id}: the key");
        assert_eq!(app["name"], expected.name.as_str(), "{id}: the last name");
        assert_eq!(
            sorted_strings(&app["scopes"]),
            Vec::from_iter(expected.scopes.iter().cloned()),
            "{id}: scopes"
        );
        let tenants: BTreeSet<String> = app["tenants"]
            .as_array()
            .expect("tenants")
            .iter()
            .map(|t| t[0].as_str().expect("a tenant id").to_owned())
            .collect();
        assert_eq!(tenants, expected.tenants, "{id}: tenants");
        let moves = scope_moves_of_versions(portal, id, &expected.first_scopes);
        assert_eq!(
            moves, expected.scope_moves,
            "{id}: one version per scope intent, in order, none lost or twice"
        );
    }
}

/// Each version after the first must change exactly one scope: the moves of
/// each scope, in version order.
fn scope_moves_of_versions(
    portal: &Apps,
    id: &str,
    first: &BTreeSet<String>,
) -> BTreeMap<String, Vec<bool>> {
    let versions: Vec<BTreeSet<String>> = version_scopes(portal, id)
        .into_iter()
        .map(|v| v.into_iter().collect())
        .collect();
    assert_eq!(versions.first(), Some(first), "{id}: the first version");
    let mut moves: BTreeMap<String, Vec<bool>> = BTreeMap::new();
    for (n, pair) in versions.windows(2).enumerate() {
        let added: Vec<&String> = pair[1].difference(&pair[0]).collect();
        let removed: Vec<&String> = pair[0].difference(&pair[1]).collect();
        match (added.as_slice(), removed.as_slice()) {
            ([scope], []) => moves.entry((*scope).clone()).or_default().push(true),
            ([], [scope]) => moves.entry((*scope).clone()).or_default().push(false),
            _ => panic!(
                "{id}: version {} is not one scope intent: +{added:?} -{removed:?}",
                n + 2
            ),
        }
    }
    moves
}

//! The smallest case the property test found where the portal's versions did
//! not follow the intents one for one: a client's queued scope intents, once
//! another client wrote to the same app (another part of it), reached the
//! portal as one version, because the pull rebuilt the queue as the
//! difference between two states. A pull now replays the queued intents on
//! the pulled state (SYNC.md, "Lost acknowledgements"; `sync::rebase::trim`),
//! so each stays its own version.

use appdesk_testkit::oracle::{assert_converged, version_scopes};
use appdesk_testkit::{Client, Portal, TENANT};

use crate::common::{CAPACITY_W, CUSTOMERS_R, JOBS_R};

#[test]
fn two_queued_scope_additions_stay_two_versions_when_another_client_renamed_the_app() {
    let portal = Portal::start();
    let alice = Client::new("alice");
    let bob = Client::new("bob");
    alice.link(&portal.base_url(), &portal.token("team", "alice", &[]));
    bob.link(&portal.base_url(), &portal.token("team", "bob", &[]));
    let app = alice.new_app("Dispatch", &[TENANT], &[CUSTOMERS_R]);
    let id = app["id"].as_str().expect("an id").to_owned();
    alice.sync().expect("alice pushes the app");
    bob.sync().expect("bob pulls it");

    alice.json(&["app", "scopes", &id, "--add", JOBS_R]);
    alice.json(&["app", "scopes", &id, "--add", CAPACITY_W]);
    bob.json(&["app", "edit", &id, "--name", "Dispatch Board"]);
    bob.sync().expect("bob pushes the rename");
    let report = alice.sync().expect("alice pushes her two scope changes");
    assert_eq!(report["conflicts"], serde_json::json!([]), "{report}");
    bob.sync().expect("bob pulls them");

    let apps = assert_converged(&alice, &portal.dev);
    assert_converged(&bob, &portal.dev);
    assert_eq!(apps[&id]["name"], "Dispatch Board");
    let mut with_jobs = vec![CUSTOMERS_R.to_owned(), JOBS_R.to_owned()];
    with_jobs.sort();
    let mut with_both = vec![
        CUSTOMERS_R.to_owned(),
        JOBS_R.to_owned(),
        CAPACITY_W.to_owned(),
    ];
    with_both.sort();
    assert_eq!(
        version_scopes(&apps, &id),
        [vec![CUSTOMERS_R.to_owned()], with_jobs, with_both],
        "one version per scope change"
    );
}

//! Lost acknowledgements (issue 18, item 1): the portal commits a write, the
//! connection drops before its answer arrives, and the user goes on editing.
//! The next sync must never read the client's own write as someone else's
//! change: the portal and the client both end on the user's last intent,
//! with no conflict, whichever write of a push lost its answer.
//!
//! The real `appdesk` on its own database, the testkit's fault proxy
//! (`DropAfterCommit`: forward, let the portal commit, then reset), the real
//! portal on a real PostgreSQL. The oracle is the sequence of intents the test
//! made (what the app must end as, written out here) read back through the
//! portal's own API, and the client converged on it.

use appdesk_testkit::oracle::{Apps, assert_converged, sorted_strings, version_scopes};
use appdesk_testkit::{Client, Fault, Portal, Proxy, Rule, TENANT};

use crate::common::{CUSTOMERS_R, JOBS_R};
use crate::sync_faults::{Bed, bed};

const BRANCH: &str = "7654321";

/// Syncs under the fault `rule`, which must be hit and fail the sync; then
/// syncs without it, which must finish with no conflict. Returns the
/// portal's apps, converged with the client's.
#[track_caller]
fn lose_then_finish(bed: &Bed, rule: Rule, what: &str) -> Apps {
    bed.proxy.add(rule);
    let failure = bed
        .client
        .sync()
        .expect_err(&format!("{what}: the sync fails when an answer is lost"));
    assert!(
        failure.message.contains("nothing was lost"),
        "{what}: {}",
        failure.message
    );
    let committed = bed
        .proxy
        .seen()
        .into_iter()
        .filter(|s| s.fault == Fault::DropAfterCommit)
        .any(|s| {
            s.upstream
                .is_some_and(|status| (200..300).contains(&status))
        });
    assert!(committed, "{what}: no committed write lost its answer");
    bed.proxy.clear();
    let report = bed
        .client
        .sync()
        .unwrap_or_else(|f| panic!("{what}: the next sync failed: {}", f.stderr));
    assert_eq!(
        report["conflicts"],
        serde_json::json!([]),
        "{what}: a client's own write is no conflict: {report}"
    );
    assert_converged(&bed.client, &bed.portal.dev)
}

fn id_of(app: &serde_json::Value) -> String {
    app["id"].as_str().expect("an id").to_owned()
}

fn tenants(apps: &Apps, id: &str) -> Vec<String> {
    apps[id]["tenants"]
        .as_array()
        .expect("tenants")
        .iter()
        .map(|t| t[0].as_str().expect("a tenant id").to_owned())
        .collect()
}

/// Six intents that each undo an earlier one: whatever write loses its
/// answer, a sync that merged the portal's copy of it over the later ones
/// would end on a middle state (a scope or tenant missing, the middle name).
#[test]
fn a_lost_answer_at_any_position_of_a_push_never_reverts_a_later_edit() {
    let edits: [(&str, &[&str]); 6] = [
        (
            "remove a scope",
            &["app", "scopes", "ID", "--remove", JOBS_R],
        ),
        ("rename", &["app", "edit", "ID", "--name", "Dispatch Board"]),
        (
            "remove a tenant",
            &["app", "tenants", "ID", "--remove", BRANCH],
        ),
        (
            "add the scope back",
            &["app", "scopes", "ID", "--add", JOBS_R],
        ),
        ("rename back", &["app", "edit", "ID", "--name", "Dispatch"]),
        (
            "add the tenant back",
            &["app", "tenants", "ID", "--add", BRANCH],
        ),
    ];
    for (position, (what, _)) in edits.iter().enumerate() {
        let bed = bed();
        let app = bed
            .client
            .new_app("Dispatch", &[TENANT, BRANCH], &[CUSTOMERS_R, JOBS_R]);
        let id = id_of(&app);
        bed.client.sync().expect("the first sync");
        for (_, args) in &edits {
            let args: Vec<&str> = args
                .iter()
                .map(|a| if *a == "ID" { id.as_str() } else { *a })
                .collect();
            bed.client.json(&args);
        }
        assert_eq!(bed.client.pending(), 6, "six intents queued");
        let what = format!("answer to write {position} ({what}) lost");
        let rule = Rule::writes(Fault::DropAfterCommit).skip(position);
        let apps = lose_then_finish(&bed, rule, &what);
        assert_eq!(apps[&id]["name"], "Dispatch", "{what}: the last name");
        assert_eq!(
            sorted_strings(&apps[&id]["scopes"]),
            [CUSTOMERS_R, JOBS_R],
            "{what}: the scope removed and added back"
        );
        assert_eq!(
            tenants(&apps, &id),
            [TENANT, BRANCH],
            "{what}: the tenant removed and added back"
        );
        assert_eq!(
            version_scopes(&apps, &id),
            [
                vec![CUSTOMERS_R.to_owned(), JOBS_R.to_owned()],
                vec![CUSTOMERS_R.to_owned()],
                vec![CUSTOMERS_R.to_owned(), JOBS_R.to_owned()],
            ],
            "{what}: one version per scope change, none lost or twice"
        );
    }
}

/// A create whose answer is lost, then edits of the new app: one app on the
/// portal (not two), with the edits.
#[test]
fn a_lost_answer_to_a_create_keeps_the_edits_made_after_it() {
    for position in 0..3 {
        let bed = bed();
        let app = bed.client.new_app("Dispatch", &[TENANT], &[CUSTOMERS_R]);
        let id = id_of(&app);
        bed.client.json(&["app", "scopes", &id, "--add", JOBS_R]);
        bed.client
            .json(&["app", "edit", &id, "--name", "Dispatch Board"]);
        bed.client.json(&["app", "scopes", &id, "--remove", JOBS_R]);
        let what = format!("create: answer to write {position} lost");
        let rule = Rule::writes(Fault::DropAfterCommit).skip(position);
        let apps = lose_then_finish(&bed, rule, &what);
        assert_eq!(apps.len(), 1, "{what}: one app: {apps:?}");
        assert_eq!(apps[&id]["name"], "Dispatch Board", "{what}");
        assert_eq!(
            sorted_strings(&apps[&id]["scopes"]),
            [CUSTOMERS_R],
            "{what}: the scope added then removed is gone"
        );
        assert_eq!(
            version_scopes(&apps, &id).last(),
            Some(&vec![CUSTOMERS_R.to_owned()]),
            "{what}"
        );
    }
}

/// A delete whose answer is lost: the app is gone on both sides, no conflict.
#[test]
fn a_lost_answer_to_a_delete_ends_with_the_app_gone_everywhere() {
    let bed = bed();
    let app = bed.client.new_app("Dispatch", &[TENANT], &[CUSTOMERS_R]);
    let id = id_of(&app);
    bed.client.sync().expect("the first sync");
    bed.client
        .json(&["app", "edit", &id, "--name", "Dispatch Board"]);
    bed.client.json(&["app", "delete", &id]);
    let rule = Rule::writes(Fault::DropAfterCommit).skip(1);
    let apps = lose_then_finish(&bed, rule, "delete");
    assert!(apps.is_empty(), "the app is gone: {apps:?}");
}

/// A connection action whose answer is lost (the portal applied it): the
/// command fails saying so, and the next sync shows the connection as the
/// portal has it, each action in turn. A secret shown once by a lost answer
/// is gone with it: regenerate makes a new one (a rotation's too: the next
/// rotation waits for retire-previous).
#[test]
fn a_lost_answer_to_each_connection_action_ends_with_the_portals_connection_after_a_sync() {
    let portal = Portal::start();
    let admin_token = portal.token("team", "admin", &[TENANT]);
    let dev = Client::new("dev");
    dev.link(&portal.base_url(), &portal.token("team", "dev", &[]));
    let app = dev.new_app("Board", &[TENANT], &[CUSTOMERS_R]);
    let id = id_of(&app);
    dev.sync().expect("the developer's sync");
    let proxy = Proxy::start(portal.server.addr);
    let admin = Client::new("admin");
    admin.link(&proxy.url(), &admin_token);
    admin.sync().expect("the admin's first sync");
    let mut step = 0;
    let actions = [
        "connect",
        "disable",
        "enable",
        "regenerate",
        "rotate",
        "retire-previous",
        "upgrade",
    ];
    for action in actions {
        if action == "upgrade" {
            // A new version for the connection to move to.
            dev.json(&["app", "scopes", &id, "--add", JOBS_R]);
            dev.sync().expect("the developer's scope change");
            admin.sync().expect("the admin pulls it");
        }
        proxy.add(Rule::methods(&["POST"], Fault::DropAfterCommit).path("/connections"));
        let failure = admin.fails(&["conn", action, &id, "--tenant", TENANT]);
        assert!(
            failure.message.contains("origin"),
            "{action}: {}",
            failure.message
        );
        proxy.clear();
        admin
            .sync()
            .unwrap_or_else(|f| panic!("{action}: {}", f.stderr));
        let on_portal = appdesk_testkit::block_on(
            portal
                .api(Some(&admin_token))
                .get(&format!("/v1/apps/{id}/connections")),
        )
        .ok();
        let listed = admin.json(&["conn", "list", &id]);
        assert_eq!(
            listed.as_array().map(Vec::len),
            Some(1),
            "{action}: {listed}"
        );
        for field in ["status", "version", "clientId"] {
            assert_eq!(
                listed[0][field], on_portal[0][field],
                "{action}: {field} as the portal has it"
            );
        }
        step += 1;
    }
    assert_eq!(step, actions.len());
}

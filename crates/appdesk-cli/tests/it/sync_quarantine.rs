//! Quarantine, not abort (issue 18 §5): a portal app that this client's rules
//! refuse (a scope its catalog lacks; a version whose `createdBy` holds an
//! ESC, written straight into PostgreSQL since the portal's API refuses it)
//! is kept aside and reported, while every other app is pulled and the local
//! queue is pushed. Real `appdesk` binaries, the real portal on PostgreSQL;
//! the oracle is the portal's own HTTP answers and the clients' own commands.

use appdesk_testkit::oracle::portal_apps;
use appdesk_testkit::{Client, Portal, TENANT};
use serde_json::Value;

use crate::common::{CUSTOMERS_R, JOBS_R};

/// The catalog that ships with Appdesk, without the resource of `JOBS_R`,
/// written beside the client: a client that does not know that scope.
fn catalog_without_jobs(client: &Client) -> String {
    let mut catalog: Value = serde_json::from_str(include_str!(
        "../../../appdesk-core/catalog/scope-catalog.json"
    ))
    .expect("the catalog is JSON");
    let jobs = JOBS_R.trim_end_matches(":r");
    let mut removed = 0;
    for module in catalog["modules"].as_array_mut().expect("modules") {
        let scopes = module["scopes"].as_array_mut().expect("scopes");
        let before = scopes.len();
        scopes.retain(|s| s["name"] != jobs);
        removed += before - scopes.len();
    }
    assert_eq!(removed, 1, "the catalog names {jobs} once");
    let path = client.dir.path().join("small-catalog.json");
    std::fs::write(&path, catalog.to_string()).expect("write the catalog");
    path.display().to_string()
}

/// Bob, with the full catalog, puts apps on the portal: their ids by name.
fn bob_creates(portal: &Portal, apps: &[(&str, &[&str])]) -> Vec<String> {
    let bob = Client::new("bob");
    bob.link(&portal.base_url(), &portal.dev_token);
    let ids = apps
        .iter()
        .map(|(name, scopes)| {
            let app = bob.new_app(name, &[TENANT], scopes);
            app["id"].as_str().expect("an id").to_owned()
        })
        .collect();
    bob.sync().expect("bob syncs");
    ids
}

fn quarantined(report: &Value) -> Vec<(String, String)> {
    report["quarantined"]
        .as_array()
        .unwrap_or_else(|| panic!("no quarantined list: {report}"))
        .iter()
        .map(|q| {
            let field = |k: &str| q[k].as_str().unwrap_or_default().to_owned();
            (field("app"), field("reason"))
        })
        .collect()
}

fn local_names(client: &Client) -> Vec<String> {
    let mut names: Vec<String> = client
        .apps()
        .iter()
        .map(|a| a["name"].as_str().expect("a name").to_owned())
        .collect();
    names.sort();
    names
}

#[test]
fn an_app_using_a_scope_this_client_s_catalog_lacks_is_quarantined_and_the_rest_syncs() {
    let portal = Portal::start();
    let ids = bob_creates(
        &portal,
        &[
            ("Jobs Board", &[CUSTOMERS_R, JOBS_R]),
            ("Plain", &[CUSTOMERS_R]),
        ],
    );
    let alice = Client::new("alice");
    let small = catalog_without_jobs(&alice);
    alice.json(&[
        "--catalog",
        &small,
        "app",
        "new",
        "--name",
        "Mine",
        "--org",
        "Acme HVAC",
        "--homepage",
        "https://acme.example",
        "--tenant",
        TENANT,
        "--scope",
        CUSTOMERS_R,
    ]);
    alice.link(&portal.base_url(), &portal.dev_token);

    let plan = alice.json(&["--catalog", &small, "sync", "--plan"]);
    assert_eq!(quarantined(&plan).len(), 1, "the plan lists it: {plan}");

    let report = alice
        .try_json(&["--catalog", &small, "sync"])
        .unwrap_or_else(|f| panic!("the sync aborted: {}", f.stderr));
    let kept = quarantined(&report);
    assert_eq!(kept.len(), 1, "{report}");
    assert_eq!(kept[0].0, ids[0], "the Jobs app is kept aside: {report}");
    assert!(
        kept[0].1.contains(jobs_resource()),
        "the reason names the scope: {}",
        kept[0].1
    );
    assert_eq!(report["pushed"], 1, "the local queue is pushed: {report}");
    assert_eq!(alice.pending(), 0);
    assert_eq!(
        local_names(&alice),
        ["Mine", "Plain"],
        "every other app is pulled"
    );
    let on_portal: Vec<String> = portal_apps(&portal.dev)
        .values()
        .map(|a| a["name"].as_str().expect("a name").to_owned())
        .collect();
    assert!(on_portal.contains(&"Mine".to_owned()), "{on_portal:?}");

    // Listed again by the next sync, and in the text a person reads.
    let text = alice
        .cmd()
        .args(["--catalog", &small, "sync"])
        .output()
        .expect("run");
    let text = String::from_utf8_lossy(&text.stdout);
    assert!(
        text.contains("quarantined") && text.contains(&ids[0]),
        "{text}"
    );

    // With the full catalog the app is admitted and leaves quarantine.
    let report = alice.sync().expect("a sync with the full catalog");
    assert!(quarantined(&report).is_empty(), "{report}");
    assert_eq!(local_names(&alice), ["Jobs Board", "Mine", "Plain"]);
}

fn jobs_resource() -> &'static str {
    JOBS_R.trim_end_matches(":r")
}

#[test]
fn a_version_with_an_escape_in_created_by_is_quarantined_and_the_rest_syncs() {
    let portal = Portal::start();
    let ids = bob_creates(
        &portal,
        &[("Forged", &[CUSTOMERS_R]), ("Plain", &[CUSTOMERS_R])],
    );
    // The portal's API refuses such a name; the database is written directly,
    // its version and the copy the feed carries.
    let forged = "E'mallory\\x1b[2J'";
    portal.psql(&format!(
        "UPDATE versions SET created_by = {forged} WHERE app_id = '{id}';
         UPDATE changes SET body = jsonb_set(body, '{{versions,0,createdBy}}', to_jsonb({forged}::text))
         WHERE app_id = '{id}' AND jsonb_array_length(body->'versions') > 0",
        id = ids[0]
    ));
    let carol = Client::new("carol");
    carol.new_app("Mine", &[TENANT], &[CUSTOMERS_R]);
    carol.link(&portal.base_url(), &portal.dev_token);
    let report = carol
        .sync()
        .unwrap_or_else(|f| panic!("the sync aborted: {}", f.stderr));
    let kept = quarantined(&report);
    assert_eq!(kept.len(), 1, "{report}");
    assert_eq!(kept[0].0, ids[0]);
    assert!(kept[0].1.contains("versions[0].createdBy"), "{}", kept[0].1);
    assert!(
        !report.to_string().contains('\u{1b}'),
        "no raw ESC in the report"
    );
    assert_eq!(report["pushed"], 1, "{report}");
    assert_eq!(local_names(&carol), ["Mine", "Plain"]);
    let history = carol.fails(&["app", "history", &ids[0]]);
    assert_eq!(
        history.code, "not_found",
        "nothing of it was stored: {}",
        history.stderr
    );
}

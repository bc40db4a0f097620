//! Conflicts a real sync finds (two clients, the real portal): the same field
//! changed two ways, and delete against edit; listed by `conflicts list`,
//! nothing of either side lost until resolved, then resolved by each `--take`
//! and synced until every client equals the portal.

use appdesk_testkit::oracle::{assert_converged, portal_apps};
use serde_json::{Value, json};

use crate::sync::{JOBS_R, LOCATIONS_R, app, shared_app, sync, team};

fn conflict_row(listed: &Value) -> Vec<Value> {
    listed
        .as_array()
        .unwrap()
        .iter()
        .map(|c| json!([c["field"], c["mine"], c["theirs"], c["base"]]))
        .collect()
}

#[test]
fn the_same_field_changed_two_ways_is_a_conflict_resolved_by_each_take() {
    for (take, expected) in [
        (vec!["--take", "mine"], "Bob's"),
        (vec!["--take", "theirs"], "Alice's"),
        (vec!["--value", "Agreed"], "Agreed"),
    ] {
        let (portal, clients) = team(&["alice", "bob"]);
        let id = shared_app(&clients, "Board");
        let (a, b) = (&clients[0], &clients[1]);
        a.json(&["app", "edit", &id, "--name", "Alice's"]);
        b.json(&["app", "edit", &id, "--name", "Bob's"]);
        b.json(&["app", "scopes", &id, "--add", JOBS_R]);
        sync(a);
        let report = sync(b);
        assert_eq!(report["conflicts"][0]["field"], "name", "{report}");
        let listed = b.json(&["conflicts", "list"]);
        assert_eq!(
            conflict_row(&listed),
            [json!(["name", "Bob's", "Alice's", "Board"])]
        );
        // Until resolved: mine stays here, theirs on the portal; the other
        // change (a scope) went through.
        assert_eq!(app(b, &id)["name"], "Bob's");
        let on_portal = appdesk_testkit::block_on(portal.dev.app(&id));
        assert_eq!(on_portal["name"], "Alice's");
        assert!(
            on_portal["scopes"].to_string().contains(JOBS_R),
            "{on_portal}"
        );
        sync(b);
        assert_eq!(
            appdesk_testkit::block_on(portal.dev.app(&id))["name"],
            "Alice's"
        );
        let mut args = vec!["conflicts", "resolve", &id, "--field", "name"];
        args.extend(take.iter().copied());
        b.json(&args);
        assert_eq!(b.json(&["conflicts", "list"]), json!([]));
        sync(b);
        sync(a);
        for c in &clients {
            assert_eq!(app(c, &id)["name"], expected, "{take:?} {}", c.user);
            assert_converged(c, &portal.dev);
        }
    }
}

#[test]
fn resolve_all_takes_one_side_for_every_field_of_the_app() {
    for (side, name, org) in [("mine", "B name", "B org"), ("theirs", "A name", "A org")] {
        let (portal, clients) = team(&["alice", "bob"]);
        let id = shared_app(&clients, "Board");
        let (a, b) = (&clients[0], &clients[1]);
        a.json(&["app", "edit", &id, "--name", "A name", "--org", "A org"]);
        a.json(&["app", "scopes", &id, "--add", LOCATIONS_R]);
        b.json(&["app", "edit", &id, "--name", "B name", "--org", "B org"]);
        sync(a);
        sync(b);
        let listed = b.json(&["conflicts", "list"]);
        assert_eq!(
            conflict_row(&listed),
            [
                json!(["name", "B name", "A name", "Board"]),
                json!(["organization", "B org", "A org", "Acme HVAC"])
            ]
        );
        b.json(&["conflicts", "resolve", &id, "--all", "--take", side]);
        assert_eq!(b.json(&["conflicts", "list"]), json!([]));
        sync(b);
        sync(a);
        for c in &clients {
            let shown = app(c, &id);
            assert_eq!(
                (&shown["name"], &shown["organization"]),
                (&json!(name), &json!(org))
            );
            assert!(
                shown["scopes"].to_string().contains(LOCATIONS_R),
                "merged in"
            );
            assert_converged(c, &portal.dev);
        }
    }
}

#[test]
fn delete_against_edit_is_a_conflict_in_either_order_and_loses_nothing() {
    for deleter_first in [true, false] {
        for take in ["mine", "theirs"] {
            let (portal, clients) = team(&["alice", "bob"]);
            let id = shared_app(&clients, "Board");
            let (a, b) = (&clients[0], &clients[1]);
            a.json(&["app", "delete", &id]);
            b.json(&["app", "edit", &id, "--name", "Still wanted"]);
            let (first, second) = if deleter_first { (a, b) } else { (b, a) };
            sync(first);
            let report = sync(second);
            assert_eq!(report["conflicts"][0]["field"], "app", "{report}");
            let listed = second.json(&["conflicts", "list"]);
            let row = &listed[0];
            assert_eq!(row["field"], "app");
            // The edited side is kept until resolved.
            if deleter_first {
                assert_eq!(
                    (&row["mine"], &row["theirs"]),
                    (&json!("Still wanted"), &Value::Null)
                );
                assert_eq!(app(b, &id)["name"], "Still wanted");
            } else {
                assert_eq!(
                    (&row["mine"], &row["theirs"]),
                    (&Value::Null, &json!("Still wanted"))
                );
                assert_eq!(app(a, &id)["name"], "Still wanted");
            }
            second.json(&[
                "conflicts",
                "resolve",
                &id,
                "--field",
                "app",
                "--take",
                take,
            ]);
            for _ in 0..2 {
                sync(second);
                sync(first);
            }
            // Whoever's side was taken: the app lives on iff the kept side
            // is the edit.
            let kept_edit = (take == "mine") == deleter_first;
            for c in &clients {
                let names: Vec<Value> = c.apps().iter().map(|x| x["name"].clone()).collect();
                assert_eq!(
                    names.contains(&json!("Still wanted")),
                    kept_edit,
                    "deleter first {deleter_first}, take {take}, {}: {names:?}",
                    c.user
                );
                assert_converged(c, &portal.dev);
            }
        }
    }
}

fn stdout(client: &appdesk_testkit::Client, args: &[&str]) -> String {
    let out = client.cmd().args(args).output().unwrap();
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// Keeping mine against the portal's deletion re-creates the app there with a
/// new id and key (R10: the deleted key stays retired). The listing and
/// `resolve --help` say so before; the resolution names the new id and key
/// (as JSON and as text); the portal's `GET /v1/apps` then has the app under
/// exactly those, and nothing under the old ones.
#[test]
fn keeping_mine_on_an_app_the_portal_deleted_says_it_comes_back_with_a_new_id_and_key() {
    for json_output in [true, false] {
        let (portal, clients) = team(&["alice", "bob"]);
        let id = shared_app(&clients, "Board");
        let (a, b) = (&clients[0], &clients[1]);
        let old_key = app(b, &id)["appKey"].as_str().unwrap().to_owned();
        a.json(&["app", "delete", &id]);
        b.json(&["app", "edit", &id, "--name", "Still wanted"]);
        sync(a);
        sync(b);
        // Before.
        let listed = b.json(&["conflicts", "list"]);
        assert_eq!(listed[0]["keepMineRecreates"], true, "{listed}");
        let text = stdout(b, &["conflicts", "list"]);
        assert!(
            text.contains("keep mine: re-created on the portal with a new id and key")
                && text.contains(&old_key),
            "{text}"
        );
        let help = stdout(b, &["conflicts", "resolve", "--help"]);
        assert!(help.contains("new id and key"), "{help}");
        // After.
        let args = [
            "conflicts",
            "resolve",
            &id,
            "--field",
            "app",
            "--take",
            "mine",
        ];
        let (new_id, new_key) = if json_output {
            let done = b.json(&args);
            assert_eq!(done["recreatedFrom"], id.as_str(), "{done}");
            assert_eq!(done["retiredAppKey"], old_key.as_str(), "{done}");
            let new_id = done["app"].as_str().unwrap().to_owned();
            let new_key = done["newAppKey"].as_str().unwrap().to_owned();
            (new_id, new_key)
        } else {
            let said = stdout(b, &args);
            let shown = b.json(&["app", "show", "Still wanted"]);
            let new_id = shown["id"].as_str().unwrap().to_owned();
            let new_key = shown["appKey"].as_str().unwrap().to_owned();
            assert!(
                said.contains(&format!("new id {new_id}"))
                    && said.contains(&format!("new app key {new_key}"))
                    && said.contains(&format!("{old_key} stays retired")),
                "{said}"
            );
            (new_id, new_key)
        };
        assert_ne!(new_id, id);
        assert_ne!(new_key, old_key);
        for _ in 0..2 {
            sync(b);
            sync(a);
        }
        let on_portal = portal_apps(&portal.dev);
        assert!(!on_portal.contains_key(&id), "the old id came back");
        let recreated = on_portal
            .get(&new_id)
            .unwrap_or_else(|| panic!("the portal has no app {new_id}: {on_portal:?}"));
        assert_eq!(recreated["appKey"], new_key.as_str());
        assert_eq!(recreated["name"], "Still wanted");
        for c in &clients {
            assert_converged(c, &portal.dev);
        }
    }
}

//! Conflicts a real sync finds (two clients, the real portal): the same field
//! changed two ways, and delete against edit; listed by `conflicts list`,
//! nothing of either side lost until resolved, then resolved by each `--take`
//! and synced until every client equals the portal.

use appdesk_testkit::oracle::assert_converged;
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

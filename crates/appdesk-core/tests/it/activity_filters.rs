//! The activity screen's filters and its CSV export (issue 11), on a real
//! database file with changes made by two users.

use appdesk_core::{ActivityQuery, Environment};

use crate::common::{TestDb, input};

/// "ana" creates two apps and connects one; "bo" edits one.
fn logged() -> TestDb {
    let db = TestDb::as_user("ana");
    db.store
        .create_app(&input("Dispatch Board"))
        .expect("create");
    db.store.create_app(&input("Swift Pay")).expect("create");
    db.store
        .connect("Swift Pay", "1234", Environment::Integration)
        .expect("connect");
    let bo = db.reopen("bo");
    bo.set_scopes("Dispatch Board", &["tn.crm.customers:rw".to_owned()])
        .expect("scopes");
    db
}

fn query(app: Option<&str>, user: Option<&str>, action: Option<&str>) -> ActivityQuery {
    ActivityQuery {
        app: app.map(str::to_owned),
        user: user.map(str::to_owned),
        action: action.map(str::to_owned),
        limit: None,
    }
}

#[test]
fn each_filter_keeps_only_the_entries_it_names_and_they_combine() {
    let db = logged();
    let all = db.store.activity(None, 1000).expect("log");
    let pick = |q: ActivityQuery| db.store.activity_where(&q).expect("filtered");

    // The oracle: the unfiltered log, filtered here by hand.
    let by_bo: Vec<_> = all.iter().filter(|e| e.user == "bo").cloned().collect();
    assert!(!by_bo.is_empty());
    assert_eq!(pick(query(None, Some("bo"), None)), by_bo);

    let swift: Vec<_> = all
        .iter()
        .filter(|e| e.app_name.as_deref() == Some("Swift Pay"))
        .cloned()
        .collect();
    assert_eq!(swift.len(), 2, "{all:?}");
    assert_eq!(pick(query(Some("swift"), None, None)), swift);

    let connects: Vec<_> = all
        .iter()
        .filter(|e| e.action == "connect")
        .cloned()
        .collect();
    assert_eq!(connects.len(), 1);
    assert_eq!(pick(query(None, None, Some("connect"))), connects);

    assert_eq!(
        pick(query(Some("swift"), Some("ana"), Some("connect"))),
        connects
    );
    assert!(pick(query(Some("swift"), Some("bo"), None)).is_empty());
}

#[test]
fn the_filters_offer_every_user_and_action_in_the_log() {
    let db = logged();
    let facets = db.store.activity_facets().expect("facets");
    assert_eq!(facets.users, ["ana", "bo"]);
    for action in ["connect", "create"] {
        assert!(facets.actions.iter().any(|a| a == action), "{facets:?}");
    }
    let mut sorted = facets.actions.clone();
    sorted.sort();
    assert_eq!(facets.actions, sorted);
}

#[test]
fn the_csv_export_writes_the_filtered_entries_and_a_header() {
    let db = logged();
    let path = db.dir.path().join("activity.csv");
    let written = db
        .store
        .export_activity(&path, &query(None, Some("ana"), None))
        .expect("export");
    let text = std::fs::read_to_string(&path).expect("read");
    let lines: Vec<&str> = text.split("\r\n").filter(|l| !l.is_empty()).collect();
    assert_eq!(lines[0], "time_utc,user,app,app_id,action,summary");
    assert_eq!(lines.len(), written + 1);
    assert!(
        lines[1..]
            .iter()
            .all(|l| l.split(',').nth(1) == Some("ana")),
        "{text}"
    );
}

#[cfg(unix)]
#[test]
fn the_csv_export_refuses_to_write_through_a_symlink() {
    let db = logged();
    let target = db.dir.path().join("elsewhere.txt");
    std::fs::write(&target, "keep me").unwrap();
    let link = db.dir.path().join("activity.csv");
    std::os::unix::fs::symlink(&target, &link).unwrap();
    let err = db
        .store
        .export_activity(&link, &ActivityQuery::default())
        .expect_err("a symlink is in the way");
    assert!(err.to_string().contains("symbolic link"), "{err}");
    assert_eq!(std::fs::read_to_string(&target).unwrap(), "keep me");
}

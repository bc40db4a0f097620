//! The apps list's search, filters and sorts (issue 11) on a real database
//! file: what matches is checked against the apps' own fields as read back
//! one by one, not against the list query.

use appdesk_core::{
    App, AppEdit, AppInput, AppSummary, Environment, ListOnly, ListQuery, ListSort, TenantAdd,
    TenantEntry,
};

use crate::common::{TestDb, input};

/// Three created apps in two organizations, each with its own tenant, and a
/// draft with a tenant of its own; "Swift Pay" has a connection.
fn seeded() -> (TestDb, Vec<App>, String) {
    let db = TestDb::new();
    let mut apps = Vec::new();
    for (name, org, tenant) in [
        ("Dispatch Board", "Acme HVAC", "5550001"),
        ("Swift Pay", "Northwind Plumbing", "5550002"),
        ("Zeta Reports", "Acme HVAC", "5550003"),
    ] {
        apps.push(
            db.store
                .create_app(&AppInput {
                    organization: org.into(),
                    tenants: vec![TenantEntry::new(tenant, "")],
                    ..input(name)
                })
                .expect("create"),
        );
    }
    let draft = db
        .store
        .save_draft(&AppInput {
            name: "Quiet Draft".into(),
            organization: "Globex Roofing".into(),
            tenants: vec![TenantEntry::new("7770042", "")],
            ..AppInput::default()
        })
        .expect("draft");
    apps.push(draft);
    let conn = db
        .store
        .connect("Swift Pay", "5550002", Environment::Production)
        .expect("connect");
    (db, apps, conn.client_id)
}

fn names(db: &TestDb, query: ListQuery) -> Vec<String> {
    db.store
        .list_summaries(&query)
        .expect("list")
        .items
        .into_iter()
        .map(|a: AppSummary| a.name)
        .collect()
}

fn search(db: &TestDb, filter: &str) -> Vec<String> {
    names(
        db,
        ListQuery {
            filter: filter.into(),
            ..Default::default()
        },
    )
}

#[test]
fn search_finds_an_app_by_its_app_key_whole_or_its_start() {
    let (db, apps, _) = seeded();
    let key = apps[2].app_key.clone().expect("a created app has a key");
    assert_eq!(search(&db, &key), ["Zeta Reports"]);
    assert_eq!(search(&db, &key[..12]), ["Zeta Reports"]);
    assert_eq!(search(&db, &key.to_uppercase()), ["Zeta Reports"]);
}

#[test]
fn search_finds_an_app_by_a_client_id_of_its_connections() {
    let (db, _, client_id) = seeded();
    assert!(client_id.starts_with("cid."));
    assert_eq!(search(&db, &client_id), ["Swift Pay"]);
}

#[test]
fn search_finds_created_apps_and_drafts_by_tenant_id() {
    let (db, _, _) = seeded();
    assert_eq!(search(&db, "5550003"), ["Zeta Reports"]);
    assert_eq!(search(&db, "7770042"), ["Quiet Draft"]);
    // The start of an ID: all three tenants of the created apps.
    assert_eq!(
        search(&db, "555000"),
        ["Dispatch Board", "Swift Pay", "Zeta Reports"]
    );
}

#[test]
fn search_finds_apps_by_organization_fragment_in_any_case() {
    let (db, _, _) = seeded();
    assert_eq!(search(&db, "acme hv"), ["Dispatch Board", "Zeta Reports"]);
    assert_eq!(search(&db, "NORTHWIND"), ["Swift Pay"]);
    assert_eq!(search(&db, "roofing"), ["Quiet Draft"]);
}

#[test]
fn search_follows_an_edited_organization_and_a_removed_tenant() {
    let (db, _, _) = seeded();
    db.store
        .edit_app(
            "Zeta Reports",
            &AppEdit {
                organization: Some("Initech".into()),
                ..AppEdit::default()
            },
        )
        .expect("edit");
    assert_eq!(search(&db, "acme"), ["Dispatch Board"]);
    assert_eq!(search(&db, "initech"), ["Zeta Reports"]);
    let add = TenantAdd {
        id: "8880001".into(),
        note: None,
    };
    db.store
        .change_tenants("Dispatch Board", &[add], &["5550001".to_owned()])
        .expect("tenants");
    assert!(search(&db, "5550001").is_empty());
    assert_eq!(search(&db, "8880001"), ["Dispatch Board"]);
}

#[test]
fn search_by_name_still_matches_fragments_and_nothing_else() {
    let (db, _, _) = seeded();
    assert_eq!(search(&db, "board"), ["Dispatch Board"]);
    assert_eq!(search(&db, "pa"), ["Dispatch Board", "Swift Pay"]);
    assert_eq!(search(&db, "sw"), ["Swift Pay"]);
    assert!(search(&db, "no such app").is_empty());
}

#[test]
fn filters_show_only_drafts_only_created_or_only_apps_behind() {
    let (db, _, _) = seeded();
    let only = |only| {
        names(
            &db,
            ListQuery {
                only,
                ..Default::default()
            },
        )
    };
    assert_eq!(only(ListOnly::Drafts), ["Quiet Draft"]);
    assert_eq!(
        only(ListOnly::Created),
        ["Dispatch Board", "Swift Pay", "Zeta Reports"]
    );
    assert!(only(ListOnly::Behind).is_empty());
    // A new version leaves Swift Pay's connection behind.
    db.store
        .set_scopes("Swift Pay", &["tn.crm.customers:rw".to_owned()])
        .expect("scopes");
    assert_eq!(only(ListOnly::Behind), ["Swift Pay"]);
    let ledger: Vec<String> = db
        .store
        .behind(None, None)
        .expect("ledger")
        .into_iter()
        .map(|e| e.app_name)
        .collect();
    assert_eq!(ledger, ["Swift Pay"], "the list agrees with the ledger");
}

#[test]
fn a_filter_combines_with_a_search_and_the_total_counts_both() {
    let (db, _, _) = seeded();
    let page = db
        .store
        .list_summaries(&ListQuery {
            filter: "acme".into(),
            only: ListOnly::Drafts,
            ..Default::default()
        })
        .expect("list");
    assert_eq!(page.total, 0);
    let page = db
        .store
        .list_summaries(&ListQuery {
            filter: "a".into(),
            only: ListOnly::Drafts,
            ..Default::default()
        })
        .expect("list");
    assert_eq!(page.total, 1);
    assert_eq!(page.items[0].name, "Quiet Draft");
}

#[test]
fn sort_by_updated_puts_the_latest_change_first() {
    let (db, _, _) = seeded();
    std::thread::sleep(std::time::Duration::from_millis(5));
    db.store
        .edit_app(
            "Dispatch Board",
            &AppEdit {
                homepage_url: Some("https://dispatch.example".into()),
                ..AppEdit::default()
            },
        )
        .expect("edit");
    let listed = names(
        &db,
        ListQuery {
            sort: ListSort::Updated,
            ..Default::default()
        },
    );
    // The oracle: each app's own updated_at, read one by one.
    let mut expected: Vec<(String, String)> = listed
        .iter()
        .map(|n| {
            let app = db.store.app(n).expect("app");
            (app.updated_at, app.name)
        })
        .collect();
    expected.sort_by(|a, b| b.0.cmp(&a.0));
    assert_eq!(listed[0], "Dispatch Board");
    assert_eq!(
        listed,
        expected.into_iter().map(|e| e.1).collect::<Vec<_>>()
    );
}

#[test]
fn sort_by_behind_puts_the_app_with_most_connections_behind_first() {
    let (db, _, _) = seeded();
    db.store
        .connect("Zeta Reports", "5550003", Environment::Integration)
        .expect("connect");
    db.store
        .connect("Zeta Reports", "5550003", Environment::Production)
        .expect("connect");
    for app in ["Swift Pay", "Zeta Reports"] {
        db.store
            .set_scopes(app, &["tn.crm.customers:rw".to_owned()])
            .expect("scopes");
    }
    let listed = names(
        &db,
        ListQuery {
            sort: ListSort::Behind,
            ..Default::default()
        },
    );
    assert_eq!(
        listed,
        ["Zeta Reports", "Swift Pay", "Dispatch Board", "Quiet Draft"]
    );
}

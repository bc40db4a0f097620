//! R1 (app fields), R3 (drafts), R4 (app key) and R9 (delete) on a real file.

use crate::common::{TestDb, input, strings};
use appdesk_core::secrets::is_app_key;
use appdesk_core::{AppEdit, AppInput, AppStatus, Audience, Credentials, Error, ListQuery};

#[test]
fn r1_creating_an_app_stores_every_field_with_defaults() {
    let db = TestDb::new();
    let app = db.store.create_app(&input("  Dispatch Board  ")).unwrap();
    assert_eq!(app.name, "Dispatch Board", "trimmed");
    assert_eq!(app.status, AppStatus::Created);
    assert_eq!(app.audience, Audience::Private);
    assert_eq!(app.credentials, Credentials::Tenant);
    assert_eq!(app.version, Some(1));
    assert_eq!(
        app.scopes,
        strings(&["tn.crm.customers:r", "tn.jpm.jobs:r", "tn.jpm.jobs:w"])
    );
    assert_eq!(app.tenants.len(), 2);
    assert_eq!(
        app.tenants[1].id, "9876543210123",
        "tenant ids beyond 32 bits survive"
    );
    let reread = db.reopen("other").app(&app.id).unwrap();
    assert_eq!(reread, app);
}

#[test]
fn r1_every_problem_is_reported_and_nothing_is_written() {
    let db = TestDb::new();
    let before = db.snapshot();
    let bad = AppInput {
        name: String::new(),
        homepage_url: "not a url".into(),
        tenants: vec![],
        scopes: strings(&["tn.crm.tags:r"]),
        ..input("x")
    };
    let err = db.store.create_app(&bad).unwrap_err();
    assert_eq!(err.code(), "invalid");
    let fields: Vec<_> = err.problems().iter().map(|p| p.field.as_str()).collect();
    assert_eq!(fields, ["name", "homepageUrl", "tenants", "scopes[0]"]);
    assert_eq!(err.field(), Some("name"));
    assert_eq!(db.snapshot(), before);
}

#[test]
fn r3_a_draft_is_saved_as_typed_and_lists_what_blocks_it() {
    let db = TestDb::new();
    let typed = AppInput {
        name: "  Half done ".into(),
        homepage_url: "acme".into(),
        tenants: vec![appdesk_core::TenantEntry::new("12a", "typo")],
        scopes: strings(&["tn.crm.customers:q"]),
        ..AppInput::default()
    };
    let draft = db.store.save_draft(&typed).unwrap();
    assert_eq!(draft.status, AppStatus::Draft);
    assert_eq!(draft.app_key, None);
    assert_eq!(draft.version, None);
    assert_eq!(
        draft.name, "  Half done ",
        "nothing typed is lost, not even spaces"
    );
    assert_eq!(draft.tenants[0].id, "12a");
    assert_eq!(draft.scopes, strings(&["tn.crm.customers:q"]));
    let fields: Vec<_> = draft.problems.iter().map(|p| p.field.as_str()).collect();
    assert_eq!(
        fields,
        ["organization", "homepageUrl", "tenants[0].id", "scopes[0]"]
    );
    assert!(
        db.store.history(&draft.id).unwrap().is_empty(),
        "a draft has no versions"
    );

    let err = db.store.create_draft(&draft.id).unwrap_err();
    assert_eq!(
        err.problems().len(),
        4,
        "creating reports every problem at once"
    );
    assert_eq!(db.store.app(&draft.id).unwrap().status, AppStatus::Draft);

    let fixed = db
        .store
        .update_draft(&draft.id, &input("Half done"))
        .unwrap();
    assert!(fixed.problems.is_empty());
    let app = db.store.create_draft(&draft.id).unwrap();
    assert_eq!(app.id, draft.id);
    assert!(is_app_key(app.app_key.as_deref().unwrap()));
    assert_eq!(app.version, Some(1));
    assert!(matches!(
        db.store.create_draft(&app.id),
        Err(Error::Conflict { ref field, .. }) if field == "app"
    ));
    assert!(db.store.update_draft(&app.id, &input("again")).is_err());
}

#[test]
fn r3_editing_a_draft_keeps_invalid_values() {
    let db = TestDb::new();
    let draft = db.store.save_draft(&AppInput::default()).unwrap();
    let edit = AppEdit {
        homepage_url: Some("ftp://x".into()),
        ..AppEdit::default()
    };
    let draft = db.store.edit_app(&draft.id, &edit).unwrap();
    assert_eq!(draft.homepage_url, "ftp://x");
    assert!(
        draft
            .problems
            .iter()
            .any(|p| p.field == "homepageUrl" && p.message.contains("http"))
    );
}

#[test]
fn r3_a_draft_shows_its_scopes_in_canonical_form_and_keeps_what_does_not_parse() {
    let db = TestDb::new();
    let typed = AppInput {
        scopes: strings(&[
            "tn.jpm.jobs:rw",
            "tn.crm.customers:r",
            "no access",
            "tn.crm.customers:r",
        ]),
        ..input("Typed")
    };
    let draft = db.store.save_draft(&typed).unwrap();
    assert_eq!(
        draft.scopes,
        strings(&[
            "no access",
            "tn.crm.customers:r",
            "tn.jpm.jobs:r",
            "tn.jpm.jobs:w"
        ])
    );
    assert!(draft.problems.iter().any(|p| p.field.starts_with("scopes")));
}

#[test]
fn r4_the_app_key_is_unique_and_never_changes() {
    let db = TestDb::new();
    let a = db.store.create_app(&input("A")).unwrap();
    let b = db.store.create_app(&input("B")).unwrap();
    let key = a.app_key.clone().unwrap();
    assert!(is_app_key(&key));
    assert_ne!(a.app_key, b.app_key);
    let edit = AppEdit {
        name: Some("A2".into()),
        homepage_url: Some("https://new.example".into()),
        audience: Some(Audience::Public),
        credentials: Some(Credentials::Developer),
        ..AppEdit::default()
    };
    db.store.edit_app(&key, &edit).unwrap();
    db.store
        .change_scopes(&key, &strings(&["tn.dis.capacity:w"]), &[])
        .unwrap();
    db.store
        .change_tenants(&key, &[appdesk_core::TenantAdd::parse_arg("5555")], &[])
        .unwrap();
    let after = db.store.app(&key).unwrap();
    assert_eq!(after.app_key.as_deref(), Some(key.as_str()));
    assert_eq!(after.name, "A2");
    assert_eq!(after.audience, Audience::Public);
    assert!(
        after.revision > a.revision,
        "every change bumps the revision"
    );
}

#[test]
fn r1_edits_of_a_created_app_are_validated_and_leave_it_as_it_was() {
    let db = TestDb::new();
    let app = db.store.create_app(&input("A")).unwrap();
    let bad = AppEdit {
        name: Some(" ".into()),
        homepage_url: Some("https://".into()),
        organization: Some("o".repeat(121)),
        ..AppEdit::default()
    };
    let err = db.store.edit_app(&app.id, &bad).unwrap_err();
    let fields: Vec<_> = err.problems().iter().map(|p| p.field.as_str()).collect();
    assert_eq!(fields, ["name", "organization", "homepageUrl"]);
    assert_eq!(db.store.app(&app.id).unwrap(), app);
    let same = db.store.edit_app(
        &app.id,
        &AppEdit {
            name: Some("A".into()),
            ..AppEdit::default()
        },
    );
    assert_eq!(
        same.unwrap().revision,
        app.revision,
        "an edit that changes nothing is no change"
    );
}

#[test]
fn apps_resolve_by_id_key_or_exact_name_and_ambiguity_is_an_error() {
    let db = TestDb::new();
    let a = db.store.create_app(&input("Twin")).unwrap();
    assert_eq!(db.store.app("Twin").unwrap().id, a.id);
    assert_eq!(
        db.store.app(a.app_key.as_deref().unwrap()).unwrap().id,
        a.id
    );
    db.store.create_app(&input("Twin")).unwrap();
    let err = db.store.app("Twin").unwrap_err();
    assert_eq!(err.code(), "ambiguous");
    assert_eq!(db.store.app(&a.id).unwrap().id, a.id);
    assert_eq!(
        db.store.app("twin").unwrap_err().code(),
        "not_found",
        "names match exactly"
    );
}

#[test]
fn r9_deleting_an_app_retires_its_key_and_ends_its_connections() {
    let db = TestDb::new();
    let app = db.store.create_app(&input("Doomed")).unwrap();
    let key = app.app_key.clone().unwrap();
    db.store
        .connect(&key, "1234", appdesk_core::Environment::Integration)
        .unwrap();
    let deleted = db.store.delete_app(&key).unwrap();
    assert_eq!(deleted.connections_ended, 1);
    assert_eq!(db.store.app(&key).unwrap_err().code(), "not_found");
    assert_eq!(db.store.app(&app.id).unwrap_err().code(), "not_found");
    assert!(db.store.connections(&app.id).is_err());
    let log = db.store.activity(Some(&key), 10).unwrap();
    assert_eq!(log[0].action, "delete");
    assert!(log[0].summary.contains(&key));
    // The tombstone keeps the key out of circulation.
    let conn = rusqlite::Connection::open(db.path()).unwrap();
    let kept: String = conn
        .query_row(
            "SELECT app_key FROM tombstones WHERE app_id = ?1",
            [&app.id],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(kept, key);
    let rows: i64 = conn
        .query_row(
            "SELECT count(*) FROM connections WHERE app_id = ?1",
            [&app.id],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(rows, 0);
}

#[test]
fn listing_filters_by_name_fragment_sorts_and_pages() {
    let db = TestDb::new();
    for name in ["beta tool", "Alpha Tool", "gamma", "50%_off"] {
        db.store.create_app(&input(name)).unwrap();
    }
    db.store
        .save_draft(&AppInput {
            name: "tool draft".into(),
            ..AppInput::default()
        })
        .unwrap();
    let page = db
        .store
        .list_apps(&ListQuery {
            filter: "TOOL".into(),
            ..ListQuery::default()
        })
        .unwrap();
    let names: Vec<_> = page.items.iter().map(|a| a.name.as_str()).collect();
    assert_eq!(names, ["Alpha Tool", "beta tool", "tool draft"]);
    assert_eq!(page.total, 3);
    let second = db
        .store
        .list_summaries(&ListQuery {
            filter: "tool".into(),
            offset: 1,
            limit: Some(1),
            ..Default::default()
        })
        .unwrap();
    assert_eq!(second.total, 3);
    assert_eq!(second.items.len(), 1);
    assert_eq!(second.items[0].name, "beta tool");
    assert_eq!(second.items[0].tenant_count, 2);
    let literal = db
        .store
        .list_apps(&ListQuery {
            filter: "%_".into(),
            ..ListQuery::default()
        })
        .unwrap();
    assert_eq!(literal.items.len(), 1, "LIKE wildcards are taken literally");
}

#[test]
fn search_gives_the_same_answer_on_every_path() {
    let db = TestDb::new();
    // Over 2,000 matches: the page is read by walking the name index.
    let many: Vec<AppInput> = (0..2_050)
        .map(|i| input(&format!("Board {i:04}")))
        .collect();
    db.store.create_apps(&many).unwrap();
    for name in [
        "ÜBER Board",
        "über tool",
        "Dispatch",
        "Keyboard",
        "a\"quote",
    ] {
        db.store.create_app(&input(name)).unwrap();
    }
    let list = |filter: &str, limit: i64| {
        db.store
            .list_apps(&ListQuery {
                filter: filter.into(),
                offset: 0,
                limit: Some(limit),
                ..Default::default()
            })
            .unwrap()
    };
    let common = list("BOARD", 3);
    assert_eq!(common.total, 2_052);
    let names: Vec<_> = common.items.iter().map(|a| a.name.as_str()).collect();
    assert_eq!(names, ["Board 0000", "Board 0001", "Board 0002"]);
    // Few matches: looked up through the trigram index, then sorted.
    let rare = list("über", 10);
    assert_eq!(rare.total, 2, "Unicode case folding");
    assert_eq!(rare.items[0].name, "ÜBER Board");
    assert_eq!(list("yboa", 10).items[0].name, "Keyboard");
    // Too short for trigrams: scanned.
    assert_eq!(list("ke", 10).total, 1);
    assert_eq!(list("", 1).total, 2_055);
    assert_eq!(list("a\"q", 10).total, 1, "quotes are literal");
    // A renamed app is found by its new name only.
    let dispatch = db.store.app("Dispatch").unwrap();
    db.store
        .edit_app(
            &dispatch.id,
            &AppEdit {
                name: Some("Routing".into()),
                ..AppEdit::default()
            },
        )
        .unwrap();
    assert_eq!(list("dispatch", 10).total, 0);
    assert_eq!(list("routing", 10).total, 1);
    db.store.delete_app(&dispatch.id).unwrap();
    assert_eq!(list("routing", 10).total, 0);
}

#[test]
fn short_searches_match_a_plain_scan_and_see_changes_from_other_handles() {
    let db = TestDb::new();
    let names = [
        "Board", "boat", "ÜBER", "über", "Öl", "ab", "a", "Keyboard", "9 Lives", "x_y",
    ];
    db.store
        .create_apps(&names.iter().map(|n| input(n)).collect::<Vec<_>>())
        .unwrap();
    let all = db.store.list_apps(&ListQuery::default()).unwrap().items;
    for fragment in ["b", "OA", "ü", "öl", "9", "_", "a", "zz"] {
        let folded = fragment.to_lowercase();
        let expected: Vec<&str> = all
            .iter()
            .filter(|a| a.name.to_lowercase().contains(&folded))
            .map(|a| a.id.as_str())
            .collect();
        let page = db
            .store
            .list_apps(&ListQuery {
                filter: fragment.into(),
                offset: 1,
                limit: Some(2),
                ..Default::default()
            })
            .unwrap();
        assert_eq!(page.total as usize, expected.len(), "{fragment}");
        let ids: Vec<&str> = page.items.iter().map(|a| a.id.as_str()).collect();
        let window: Vec<&str> = expected.iter().skip(1).take(2).copied().collect();
        assert_eq!(ids, window, "{fragment}");
    }
    let short = |store: &appdesk_core::Store| {
        store
            .list_summaries(&ListQuery {
                filter: "ke".into(),
                ..ListQuery::default()
            })
            .unwrap()
            .total
    };
    assert_eq!(short(&db.store), 1);
    db.reopen("cli").create_app(&input("Kettle")).unwrap();
    assert_eq!(short(&db.store), 2, "a change by another process is seen");
    let kettle = db.store.app("Kettle").unwrap();
    db.store.delete_app(&kettle.id).unwrap();
    assert_eq!(short(&db.store), 1, "and one by this handle");
}

//! R10: every change is in the activity log, with time and user stamp.

use crate::common::{TestDb, input, strings};
use appdesk_core::{AppEdit, AppInput, Environment, Store, StoreOptions, TenantAdd};

#[test]
fn r10_every_kind_of_change_is_logged_with_time_and_user() {
    let db = TestDb::as_user("carol");
    let s = &db.store;
    let draft = s
        .save_draft(&AppInput {
            name: "L".into(),
            ..AppInput::default()
        })
        .unwrap();
    s.update_draft(&draft.id, &input("L")).unwrap();
    s.create_draft(&draft.id).unwrap();
    s.edit_app(
        &draft.id,
        &AppEdit {
            name: Some("L2".into()),
            ..AppEdit::default()
        },
    )
    .unwrap();
    s.change_scopes(&draft.id, &strings(&["tn.crm.leads:r"]), &[])
        .unwrap();
    s.change_tenants(&draft.id, &[TenantAdd::parse_arg("777")], &[])
        .unwrap();
    s.connect(&draft.id, "777", Environment::Integration)
        .unwrap();
    s.change_scopes(&draft.id, &strings(&["tn.crm.leads:w"]), &[])
        .unwrap();
    s.upgrade(&draft.id, "777", Environment::Integration)
        .unwrap();
    s.disable(&draft.id, "777", Environment::Integration)
        .unwrap();
    s.enable(&draft.id, "777", Environment::Integration)
        .unwrap();
    let regen = s
        .regenerate_secret(&draft.id, "777", Environment::Integration)
        .unwrap();
    s.change_tenants(&draft.id, &[], &["777".into()]).unwrap();
    s.delete_app(&draft.id).unwrap();

    let log = s.activity(None, 100).unwrap();
    let actions: Vec<_> = log.iter().rev().map(|e| e.action.as_str()).collect();
    assert_eq!(
        actions,
        [
            "draft",
            "draft_edit",
            "create",
            "edit",
            "scopes",
            "tenant_added",
            "connect",
            "scopes",
            "upgrade",
            "disable",
            "enable",
            "regenerate",
            "tenant_removed",
            "delete"
        ]
    );
    assert!(log.iter().all(|e| e.user == "carol" && e.at.ends_with('Z')));
    assert!(
        log.windows(2)
            .all(|w| w[0].seq > w[1].seq && w[0].at >= w[1].at),
        "newest first"
    );
    assert!(
        log.iter()
            .all(|e| e.app_id.as_deref() == Some(draft.id.as_str()))
    );
    let secret = regen.connection.client_secret.unwrap();
    assert!(
        log.iter().all(|e| !e.summary.contains(&secret)),
        "no secret in the log"
    );
    assert_eq!(
        s.activity(Some("L2"), 100).unwrap().len(),
        log.len(),
        "a deleted app's log by its name"
    );
}

#[test]
fn r10_draft_edits_while_typing_fold_into_one_entry() {
    let db = TestDb::new();
    let draft = db.store.save_draft(&AppInput::default()).unwrap();
    for name in ["D", "Dr", "Dra", "Draft"] {
        db.store
            .update_draft(
                &draft.id,
                &AppInput {
                    name: name.into(),
                    ..AppInput::default()
                },
            )
            .unwrap();
    }
    let log = db.store.activity(Some(&draft.id), 10).unwrap();
    assert_eq!(log.len(), 2);
    assert_eq!(log[0].action, "draft_edit");
    assert_eq!(log[0].app_name.as_deref(), Some("Draft"));
}

#[test]
fn r10_the_user_stamp_defaults_to_the_configured_then_the_os_user() {
    let db = TestDb::new();
    let path = db.path();
    let default = Store::open(&path, StoreOptions::default()).unwrap();
    assert_eq!(default.user(), appdesk_core::store::os_user());
    default.set_configured_user("  dana ").unwrap();
    assert_eq!(default.user(), "dana");
    let later = Store::open(&path, StoreOptions::default()).unwrap();
    assert_eq!(
        later.user(),
        "dana",
        "the configured name is kept in the database"
    );
    let app = later.create_app(&input("U")).unwrap();
    assert_eq!(later.history(&app.id).unwrap()[0].created_by, "dana");
    let explicit = Store::open(
        &path,
        StoreOptions {
            user: Some("erin".into()),
            ..Default::default()
        },
    )
    .unwrap();
    assert_eq!(
        explicit.user(),
        "erin",
        "an explicit user (--user, APPDESK_USER) wins"
    );
    assert_eq!(
        explicit.set_configured_user(" ").unwrap_err().field(),
        Some("user")
    );
}

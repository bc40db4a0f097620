//! `create` with proposed ids and keys (R1, R4, R5), `edit`, `delete` (R9).

use appdesk_core::decide::{self, Action, Proposed};
use appdesk_core::{AppEdit, AppInput, Audience, Credentials, TenantEntry};
use proptest::prelude::*;

use super::{app_state, apply, check_invariants, check_refused, check_shape, is_token, stamp};

fn input() -> AppInput {
    AppInput {
        name: "Dispatch Board".into(),
        organization: "Acme HVAC".into(),
        homepage_url: "https://acme.example".into(),
        tenants: vec![TenantEntry::new("1234", "HQ")],
        scopes: vec!["tn.crm.customers:r".into()],
        ..AppInput::default()
    }
}

/// A proposed key and whether it is well formed, by construction here.
fn proposed_key() -> impl Strategy<Value = (String, bool)> {
    prop_oneof![
        "[a-z0-9]{25}".prop_map(|t| (format!("ak1.{t}"), true)),
        "[a-z0-9]{24}".prop_map(|t| (format!("ak1.{t}"), false)),
        "[A-Z]{25}".prop_map(|t| (format!("ak1.{t}"), false)),
        "[a-z0-9]{25}".prop_map(|t| (format!("ak2.{t}"), false)),
        "[a-z0-9]{25}".prop_map(|t| (format!(" ak1.{t}"), false)),
    ]
}

/// A proposed id and whether it is well formed, by construction here.
fn proposed_id() -> impl Strategy<Value = (String, bool)> {
    prop_oneof![
        any::<u128>().prop_map(|n| (uuid::Uuid::from_u128(n).hyphenated().to_string(), true)),
        any::<u128>().prop_map(|n| (uuid::Uuid::from_u128(n).simple().to_string(), false)),
        any::<u128>().prop_map(|n| (
            uuid::Uuid::from_u128(n)
                .hyphenated()
                .to_string()
                .to_uppercase(),
            false
        )),
        Just(("my-app".to_owned(), false)),
    ]
}

/// Name-like text and whether R1 accepts it (1–120 characters once trimmed).
fn text() -> impl Strategy<Value = (String, bool)> {
    prop_oneof![
        Just(("Dispatch Board".to_owned(), true)),
        Just(("  Field Pro ".to_owned(), true)),
        Just(("x".repeat(120), true)),
        Just(("x".repeat(121), false)),
        Just(("   ".to_owned(), false)),
        Just((String::new(), false)),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

    #[test]
    fn a_proposed_id_or_key_is_kept_only_if_well_formed_and_never_used(
        id in proptest::option::of((proposed_id(), any::<bool>())),
        key in proptest::option::of((proposed_key(), any::<bool>())),
    ) {
        let proposed = Proposed {
            id: id.as_ref().map(|((text, _), _)| text.clone()),
            id_taken: id.as_ref().is_some_and(|(_, taken)| *taken),
            app_key: key.as_ref().map(|((text, _), _)| text.clone()),
            key_taken: key.as_ref().is_some_and(|(_, taken)| *taken),
        };
        let c = decide::create(&input(), super::catalog(), &proposed, &stamp()).unwrap();
        let keep_id = id.as_ref().is_some_and(|((_, ok), taken)| *ok && !taken);
        let keep_key = key.as_ref().is_some_and(|((_, ok), taken)| *ok && !taken);
        prop_assert_eq!(c.id == proposed.id.clone().unwrap_or_default(), keep_id);
        prop_assert_eq!(c.app_key == proposed.app_key.clone().unwrap_or_default(), keep_key);
        prop_assert!(is_token(&c.app_key, "ak1.", 25), "{}", c.app_key);
        prop_assert!(uuid::Uuid::parse_str(&c.id).is_ok());
        let told: Vec<&str> = c.notices.iter().map(|p| p.field.as_str()).collect();
        let mut expected = Vec::new();
        if id.is_some() && !keep_id { expected.push("id"); }
        if key.is_some() && !keep_key { expected.push("appKey"); }
        prop_assert_eq!(told, expected, "the client is told of each proposal not kept");
        prop_assert_eq!(c.version.version, 1);
        prop_assert_eq!(c.revision, 1);
        prop_assert_eq!(c.activity.action, Action::Create);
        prop_assert!(c.activity.summary.contains(&c.app_key));
    }

    #[test]
    fn an_edit_is_refused_if_any_field_is_bad_and_changes_only_what_differs(
        app in app_state(),
        name in proptest::option::of(text()),
        organization in proptest::option::of(text()),
        audience in proptest::option::of(prop_oneof![Just(Audience::Private), Just(Audience::Public)]),
        credentials in proptest::option::of(prop_oneof![Just(Credentials::Tenant), Just(Credentials::Developer)]),
    ) {
        let edit = AppEdit {
            name: name.as_ref().map(|(t, _)| t.clone()),
            organization: organization.as_ref().map(|(t, _)| t.clone()),
            homepage_url: None,
            audience,
            credentials,
        };
        let before = app.clone();
        let out = decide::edit(&app, &edit, &stamp());
        if [&name, &organization].iter().any(|f| f.as_ref().is_some_and(|(_, ok)| !ok)) {
            check_refused(&before, &app, out);
            return Ok(());
        }
        let change = out.unwrap();
        check_shape(&before, &change);
        let f = &before.fields;
        let differs = name.as_ref().is_some_and(|(t, _)| t.trim() != f.name)
            || organization.as_ref().is_some_and(|(t, _)| t.trim() != f.organization)
            || audience.is_some_and(|a| a != f.audience)
            || credentials.is_some_and(|c| c != f.credentials);
        prop_assert_eq!(!change.is_empty(), differs);
        prop_assert!(change.version.is_none(), "an edit makes no version (R4, R5)");
        let after = apply(&before, &change);
        if let Some((t, _)) = &name { prop_assert_eq!(&after.fields.name, t.trim()); }
        prop_assert_eq!(&after.fields.homepage_url, &f.homepage_url);
        check_invariants(&after);
    }

    #[test]
    fn deleting_retires_the_key_and_ends_every_connection(app in app_state()) {
        let d = decide::delete(&app, &stamp());
        prop_assert_eq!(d.app_key.as_deref(), Some(app.app_key.as_str()));
        prop_assert_eq!(d.connections_ended, app.connections.len() as i64);
        prop_assert_eq!(d.revision, app.revision + 1);
        prop_assert_eq!(d.activity.action, Action::Delete);
        prop_assert!(d.activity.summary.contains(&app.app_key));
    }
}

#[test]
fn an_invalid_app_is_refused_with_every_problem_and_no_creation() {
    let bad = AppInput {
        name: " ".into(),
        scopes: vec![],
        ..input()
    };
    let e = decide::create(&bad, super::catalog(), &Proposed::default(), &stamp()).unwrap_err();
    let fields: Vec<&str> = e.problems().iter().map(|p| p.field.as_str()).collect();
    assert_eq!(fields, ["name", "scopes"]);
}

//! `admit` against the catalog that ships with Appdesk: each kind of hostile
//! pulled app is refused with a reason naming its field; a good one passes.

use chrono::{DateTime, Utc};

use super::*;
use crate::model::{Audience, Credentials};

fn at(text: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(text)
        .unwrap()
        .with_timezone(&Utc)
}

const NOW: &str = "2026-12-07T12:00:00Z";

fn version(n: i64, scopes: &[&str], by: &str, when: &str) -> VersionRecord {
    VersionRecord {
        version: n,
        scopes: scopes.iter().map(|s| (*s).to_owned()).collect(),
        created_at: when.to_owned(),
        created_by: by.to_owned(),
    }
}

fn good() -> PortalApp {
    PortalApp {
        snapshot: Snapshot {
            id: "0190a4b2-0000-7000-8000-000000000001".into(),
            app_key: "ak1.example".into(),
            name: "Dispatch".into(),
            organization: "Acme HVAC".into(),
            homepage_url: "https://acme.example".into(),
            audience: Audience::Private,
            credentials: Credentials::Tenant,
            scopes: ["tn.crm.customers:r", "tn.jpm.jobs:r"]
                .map(String::from)
                .into(),
            tenants: [("1234567".to_owned(), String::new())].into(),
        },
        revision: 3,
        version: 2,
        created_at: "2026-12-01T10:00:00Z".into(),
        history: Some(vec![
            version(1, &["tn.crm.customers:r"], "alice", "2026-12-01T10:00:00Z"),
            version(
                2,
                &["tn.crm.customers:r", "tn.jpm.jobs:r"],
                "bob",
                "2026-12-02T10:00:00.123Z",
            ),
        ]),
    }
}

fn reason(app: &PortalApp) -> String {
    admit(app, &Catalog::embedded(), at(NOW)).expect_err("refused")
}

#[test]
fn a_valid_app_and_its_history_are_admitted() {
    assert_eq!(admit(&good(), &Catalog::embedded(), at(NOW)), Ok(()));
    let mut known = good();
    known.history = None;
    assert_eq!(admit(&known, &Catalog::embedded(), at(NOW)), Ok(()));
}

#[test]
fn a_scope_outside_this_client_s_catalog_is_refused_naming_it() {
    let mut app = good();
    app.snapshot.scopes.insert("tn.nowhere.things:r".into());
    let why = reason(&app);
    assert!(
        why.contains("scopes[") && why.contains("tn.nowhere.things"),
        "{why}"
    );
}

#[test]
fn a_version_whose_scopes_are_outside_the_catalog_or_not_canonical_is_refused() {
    let mut app = good();
    app.history.as_mut().unwrap()[0].scopes = vec!["tn.nowhere.things:r".into()];
    assert!(
        reason(&app).contains("versions[0].scopes[0]"),
        "{}",
        reason(&app)
    );
    let mut app = good();
    app.history.as_mut().unwrap()[0].scopes = vec!["tn.crm.customers:rw".into()];
    let why = reason(&app);
    assert!(
        why.contains("versions[0].scopes") && why.contains("canonical"),
        "{why}"
    );
}

#[test]
fn an_escape_in_created_by_or_a_bad_created_at_is_refused_naming_the_version() {
    let mut app = good();
    app.history.as_mut().unwrap()[1].created_by = "bob\u{1b}[2J".into();
    let why = reason(&app);
    assert!(why.contains("versions[1].createdBy"), "{why}");
    assert!(
        !why.contains('\u{1b}'),
        "the reason itself carries no ESC: {why:?}"
    );
    for bad in [
        "yesterday",
        "2026-12-02T10:00:00+02:00",
        "2026-12-20T10:00:00Z",
        "",
    ] {
        let mut app = good();
        app.history.as_mut().unwrap()[1].created_at = bad.into();
        assert!(reason(&app).contains("versions[1].createdAt"), "{bad:?}");
    }
}

#[test]
fn a_history_with_a_gap_or_not_ending_at_the_app_s_version_is_refused() {
    let mut app = good();
    app.history.as_mut().unwrap()[1].version = 3;
    assert!(
        reason(&app).contains("versions[1].version"),
        "{}",
        reason(&app)
    );
    let mut app = good();
    app.version = 3;
    assert!(reason(&app).contains("versions"), "{}", reason(&app));
}

#[test]
fn the_app_s_own_fields_pass_r1() {
    let mut app = good();
    app.snapshot.name = "Dis\u{7}patch".into();
    app.snapshot.tenants = [("12a".to_owned(), String::new())].into();
    let why = reason(&app);
    assert!(
        why.contains("name") && why.contains("tenants[0].id"),
        "{why}"
    );
}

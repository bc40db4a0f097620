use std::collections::{BTreeMap, BTreeSet};

use appdesk_core::sync::{Intent, Snapshot};
use appdesk_core::{AppEdit, Audience, Credentials, TenantEntry};

use super::round_trip;
use crate::{Connect, CreateApp, PatchApp, TenantInput};

/// A create as the portal's tests and the document's example send it.
#[test]
fn a_create_body_reads_every_field_and_the_core_input_keeps_them() {
    let body: CreateApp = round_trip(
        r#"{"name": "Payroll", "organization": "Acme", "homepageUrl": "https://acme.test/",
            "audience": "public", "credentials": "developer",
            "scopes": ["tn.crm.customers:r"], "tenants": [{"id": "9", "note": null},
            {"id": "10", "note": "n"}], "id": null, "appKey": "ak1.aaaaaaaaaaaaaaaaaaaaaaaaa"}"#,
    );
    assert_eq!(body.audience, Some(Audience::Public));
    assert_eq!(
        body.app_key.as_deref(),
        Some("ak1.aaaaaaaaaaaaaaaaaaaaaaaaa")
    );
    let input = body.input();
    assert_eq!(
        (input.audience, input.credentials),
        (Audience::Public, Credentials::Developer)
    );
    assert_eq!(
        input.tenants,
        [TenantEntry::new("9", ""), TenantEntry::new("10", "n")]
    );
}

/// Missing fields are empty (the core then names each problem); unknown
/// ones are refused, named, so a typo never silently does nothing.
#[test]
fn a_body_defaults_missing_fields_and_refuses_unknown_ones() {
    let empty: CreateApp = serde_json::from_str("{}").unwrap();
    assert_eq!(empty, CreateApp::default());
    let e = serde_json::from_str::<CreateApp>(r#"{"nmae": "x"}"#).unwrap_err();
    assert!(e.to_string().contains("unknown field `nmae`"), "{e}");
    let e = serde_json::from_str::<PatchApp>(r#"{"scopes": {"add": [], "drop": []}}"#).unwrap_err();
    assert!(e.to_string().contains("unknown field `drop`"), "{e}");
    let e = serde_json::from_str::<CreateApp>(r#"{"tenants": [{"id": "1", "x": 1}]}"#).unwrap_err();
    assert!(e.to_string().contains("unknown field `x`"), "{e}");
    let connect: Connect = round_trip(r#"{"tenantId": "1000", "environment": "production"}"#);
    assert_eq!(connect.tenant_id, "1000");
}

/// A patch from a client is byte for byte what earlier clients sent for the
/// same intent (scalars as `null`, lists left out), so a retry keeps its
/// `Idempotency-Key`'s fingerprint on the portal.
#[test]
fn a_clients_patch_bodies_keep_the_bytes_earlier_clients_sent() {
    let text = |intent: &Intent| serde_json::to_string(&PatchApp::of(intent).unwrap()).unwrap();
    let fields = Intent::Fields {
        fields: AppEdit {
            name: Some("Payroll 2".into()),
            audience: Some(Audience::Public),
            ..AppEdit::default()
        },
    };
    assert_eq!(
        text(&fields),
        r#"{"name":"Payroll 2","organization":null,"homepageUrl":null,"audience":"public","credentials":null}"#
    );
    let scopes = Intent::Scopes {
        add: vec!["tn.jpm.jobs:r".into()],
        remove: vec![],
    };
    assert_eq!(
        text(&scopes),
        r#"{"name":null,"organization":null,"homepageUrl":null,"audience":null,"credentials":null,"scopes":{"add":["tn.jpm.jobs:r"],"remove":[]}}"#
    );
    let tenants = Intent::Tenants {
        add: vec![TenantEntry::new("9", "n")],
        remove: vec!["10".into()],
    };
    assert_eq!(
        text(&tenants),
        r#"{"name":null,"organization":null,"homepageUrl":null,"audience":null,"credentials":null,"tenants":{"add":[{"id":"9","note":"n"}],"remove":["10"]}}"#
    );
    assert_eq!(PatchApp::of(&Intent::Delete), None);
}

#[test]
fn a_clients_create_proposes_its_id_and_key_with_every_field() {
    let snapshot = Snapshot {
        id: "0190f1c2-1111-7000-8000-000000000001".into(),
        app_key: "ak1.aaaaaaaaaaaaaaaaaaaaaaaaa".into(),
        name: "Payroll".into(),
        organization: "Acme".into(),
        homepage_url: "https://acme.test/".into(),
        audience: Audience::Private,
        credentials: Credentials::Tenant,
        scopes: BTreeSet::from(["tn.crm.customers:r".to_owned()]),
        tenants: BTreeMap::from([("9".to_owned(), String::new())]),
    };
    let body = serde_json::to_value(CreateApp::of(&snapshot)).unwrap();
    let expected: serde_json::Value = serde_json::from_str(
        r#"{"id": "0190f1c2-1111-7000-8000-000000000001",
            "appKey": "ak1.aaaaaaaaaaaaaaaaaaaaaaaaa", "name": "Payroll",
            "organization": "Acme", "homepageUrl": "https://acme.test/",
            "audience": "private", "credentials": "tenant",
            "scopes": ["tn.crm.customers:r"], "tenants": [{"id": "9", "note": ""}]}"#,
    )
    .unwrap();
    assert_eq!(body, expected);
    let tenant = TenantInput {
        id: "9".into(),
        note: Some(String::new()),
    };
    assert_eq!(CreateApp::of(&snapshot).tenants, [tenant]);
}

//! An imported draft obeys the one rule a draft saved by hand obeys (R3 with
//! R1's text rule): no control character in any field, no name shaped like an
//! app key or id. The plan refuses it, located, instead of showing a plan that
//! applying then refuses without a file or place.

use appdesk_core::exchange::{self, SourceFile};
use appdesk_core::{Catalog, ImportMode};
use serde_json::json;

use crate::common::TestDb;

#[test]
fn an_imported_draft_with_hostile_text_or_a_key_shaped_name_is_refused_where_it_is() {
    let cases = [
        ("name", json!("ak1.aaaaaaaaaaaaaaaaaaaaaaaaa"), "$.name"),
        (
            "name",
            json!("0192F0A0-0000-7000-8000-000000000001"),
            "$.name",
        ),
        ("name", json!("a\u{1b}[2J"), "$.name"),
        ("organization", json!("Org\nforged"), "$.organization"),
        (
            "homepageUrl",
            json!("https://a.example/\u{7}"),
            "$.homepageUrl",
        ),
        ("scopes", json!(["tn.crm.customers:r\u{1b}"]), "$.scopes[0]"),
        (
            "tenants",
            json!([{"id": "12\u{9b}34", "note": ""}]),
            "$.tenants[0].id",
        ),
        (
            "tenants",
            json!([{"id": "1234", "note": "a\u{1b}]0;t\u{7}"}]),
            "$.tenants[0].note",
        ),
    ];
    let db = TestDb::new();
    let dir = tempfile::tempdir().unwrap();
    let before = db.snapshot();
    for (field, value, path) in cases {
        let mut doc = json!({
            "format": "appdesk.app/v1",
            "status": "draft",
            "name": "Draft",
            "organization": "",
            "homepageUrl": "",
            "scopes": [],
            "tenants": [],
        });
        doc[field] = value;
        let source = SourceFile {
            name: "draft.json".into(),
            text: doc.to_string(),
        };
        let problems = exchange::parse_files(&[source], &Catalog::embedded())
            .expect_err("the draft must be refused");
        assert!(
            problems
                .iter()
                .any(|p| p.path == path && p.file == "draft.json"),
            "{field}: {problems:?}"
        );
        let file = dir.path().join("draft.json");
        std::fs::write(&file, doc.to_string()).unwrap();
        for mode in [ImportMode::Plan, ImportMode::Apply { expect: None }] {
            let err = db
                .store
                .import_paths(std::slice::from_ref(&file), mode, |_, _, _| {})
                .expect_err("refused by plan and apply");
            assert!(err.to_string().contains(path), "{field}: {err}");
        }
    }
    assert_eq!(db.snapshot(), before, "nothing was written");
}

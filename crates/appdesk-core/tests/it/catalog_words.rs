//! The catalog's words (issue 12, part 2): the built-in catalog matches its
//! JSON Schema, and every resource has a short description of its own, which
//! upgrade notes are written from.

use std::collections::HashSet;

use appdesk_core::Catalog;

const CATALOG: &str = include_str!("../../catalog/scope-catalog.json");

fn schema() -> jsonschema::Validator {
    let text = include_str!("../../../../schema/scope-catalog.schema.json");
    jsonschema::validator_for(&serde_json::from_str(text).unwrap()).unwrap()
}

#[test]
fn the_built_in_catalog_matches_its_schema() {
    let doc: serde_json::Value = serde_json::from_str(CATALOG).unwrap();
    let errors: Vec<String> = schema().iter_errors(&doc).map(|e| e.to_string()).collect();
    assert!(errors.is_empty(), "{errors:#?}");
}

#[test]
fn the_schema_refuses_a_resource_without_a_plain_description() {
    let validator = schema();
    let mut doc: serde_json::Value = serde_json::from_str(CATALOG).unwrap();
    let first = &mut doc["modules"][0]["scopes"][0];
    first.as_object_mut().unwrap().remove("description");
    assert!(!validator.is_valid(&doc), "a missing description");
    for bad in [
        "",
        "Ends with a period.",
        "lower-case start",
        "Two\nlines of text",
    ] {
        doc["modules"][0]["scopes"][0]["description"] = bad.into();
        assert!(!validator.is_valid(&doc), "{bad:?} is accepted");
    }
    doc["modules"][0]["scopes"][0]["description"] = "Bills your vendors sent you".into();
    assert!(validator.is_valid(&doc));
}

#[test]
fn every_one_of_the_127_resources_has_its_own_description() {
    let catalog = Catalog::embedded();
    let resources: Vec<_> = catalog.modules.iter().flat_map(|m| &m.scopes).collect();
    assert_eq!(resources.len(), 127);
    let mut seen = HashSet::new();
    for r in resources {
        assert!(!r.description.is_empty(), "{} has no description", r.name);
        assert_ne!(
            r.description, r.display_name,
            "{} only repeats its name",
            r.name
        );
        assert!(
            seen.insert(&r.description),
            "{} repeats another's words",
            r.name
        );
    }
}

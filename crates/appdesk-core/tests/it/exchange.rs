//! App definition files: export validates against the committed schema, is
//! deterministic and never holds a secret; import validates everything first,
//! reports each problem with its file, path, line and column, and writes all or
//! nothing.

use std::path::{Path, PathBuf};

use crate::common::{TestDb, input, strings};
use appdesk_core::exchange::{self, ExportFormat, ParsedFile, SourceFile};
use appdesk_core::{AppInput, Catalog, Environment, Error, PlanAction, Store, StoreOptions};
use proptest::prelude::*;

pub(crate) fn schema() -> jsonschema::Validator {
    let text = include_str!("../../../../schema/app.schema.json");
    jsonschema::validator_for(&serde_json::from_str(text).unwrap()).unwrap()
}

/// A database with created apps (several versions, connections) and a draft.
fn populated() -> TestDb {
    let db = TestDb::as_user("alice");
    let s = &db.store;
    let a = s.create_app(&input("Dispatch Board")).unwrap();
    s.change_scopes(
        &a.id,
        &strings(&["tn.dis.capacity:w"]),
        &strings(&["tn.jpm.jobs:w"]),
    )
    .unwrap();
    s.connect(&a.id, "1234", Environment::Integration).unwrap();
    s.connect(&a.id, "1234", Environment::Production).unwrap();
    let b = s.create_app(&input("Dispatch Board")).unwrap();
    s.change_scopes(&b.id, &strings(&["tn.crm.leads:r"]), &[])
        .unwrap();
    s.save_draft(&AppInput {
        name: "Half ünfinished".into(),
        homepage_url: "acme".into(),
        ..AppInput::default()
    })
    .unwrap();
    db
}

fn parse_dir(dir: &Path) -> Result<Vec<ParsedFile>, Vec<exchange::FileProblem>> {
    exchange::read_paths(&[dir.to_owned()], &Catalog::embedded())
}

fn read_all(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    files
        .iter()
        .map(|p| {
            (
                p.file_name().unwrap().to_string_lossy().into_owned(),
                std::fs::read(p).unwrap(),
            )
        })
        .collect()
}

#[test]
fn every_export_validates_against_the_schema() {
    let db = populated();
    let validator = schema();
    for history in [false, true] {
        let docs = db.store.export_documents(None, history).unwrap();
        assert_eq!(docs.len(), 3);
        for doc in &docs {
            let value: serde_json::Value =
                serde_json::from_str(&exchange::render(doc, ExportFormat::Appdesk)).unwrap();
            let errors: Vec<String> = validator
                .iter_errors(&value)
                .map(|e| format!("{e} at {}", e.instance_path()))
                .collect();
            assert!(errors.is_empty(), "{errors:?}");
        }
        let all: serde_json::Value =
            serde_json::from_str(&exchange::render_all(&docs, ExportFormat::Appdesk)).unwrap();
        assert_eq!(all.as_array().unwrap().len(), 3);
    }
    // The schema is not a rubber stamp.
    let mut bad: serde_json::Value = serde_json::from_str(&exchange::render(
        &db.store.export_documents(None, false).unwrap()[0],
        ExportFormat::Appdesk,
    ))
    .unwrap();
    bad["clientSecret"] = "cs1.x".into();
    assert!(!validator.is_valid(&bad));
}

#[test]
fn export_is_deterministic_and_sorted() {
    let db = populated();
    let first = exchange::render_all(
        &db.store.export_documents(None, true).unwrap(),
        ExportFormat::Appdesk,
    );
    let again = exchange::render_all(
        &db.reopen("x").export_documents(None, true).unwrap(),
        ExportFormat::Appdesk,
    );
    assert_eq!(first, again);
    assert!(first.ends_with("]\n"));
    let doc = &db
        .store
        .export_documents(Some("Half ünfinished"), false)
        .unwrap()[0];
    assert_eq!(doc.status, appdesk_core::AppStatus::Draft);
    assert_eq!(doc.app_key, None);
    let names: Vec<_> = db
        .store
        .export_documents(None, false)
        .unwrap()
        .into_iter()
        .map(|d| d.name)
        .collect();
    assert_eq!(
        names,
        ["Dispatch Board", "Dispatch Board", "Half ünfinished"]
    );
    let portal = exchange::render(
        &db.store.export_documents(None, false).unwrap()[0],
        ExportFormat::Portal,
    );
    let value: serde_json::Value = serde_json::from_str(&portal).unwrap();
    let keys: Vec<_> = value.as_object().unwrap().keys().cloned().collect();
    assert_eq!(
        keys,
        [
            "appAvailabilityList",
            "authScopes",
            "homepageUrl",
            "name",
            "organizationName"
        ]
    );
    assert_eq!(value["appAvailabilityList"][0]["resourceOwner"], "1234");
}

#[test]
fn round_trip_through_a_folder_is_byte_identical() {
    let db = populated();
    let out1 = tempfile::tempdir().unwrap();
    let docs = db.store.export_documents(None, true).unwrap();
    let paths = exchange::write_folder(out1.path(), &docs, ExportFormat::Appdesk).unwrap();
    assert_eq!(paths.len(), 3, "two apps of the same name do not collide");

    let empty = TestDb::as_user("bob");
    let files = parse_dir(out1.path()).unwrap();
    let plan = empty.store.apply_import(&files).unwrap();
    assert_eq!((plan.create, plan.update, plan.unchanged), (3, 0, 0));

    let out2 = tempfile::tempdir().unwrap();
    exchange::write_folder(
        out2.path(),
        &empty.store.export_documents(None, true).unwrap(),
        ExportFormat::Appdesk,
    )
    .unwrap();
    assert_eq!(read_all(out1.path()), read_all(out2.path()));

    // Importing the same files again changes nothing.
    let again = empty
        .store
        .apply_import(&parse_dir(out1.path()).unwrap())
        .unwrap();
    assert_eq!((again.create, again.update, again.unchanged), (0, 0, 3));
}

#[test]
fn no_export_holds_a_stored_secret() {
    let db = populated();
    let app = db.store.app("Half ünfinished").unwrap();
    assert!(app.app_key.is_none());
    let mut secrets = Vec::new();
    for summary in db.store.list_summaries(&Default::default()).unwrap().items {
        for c in db.store.connections(&summary.id).unwrap_or_default() {
            secrets.push(
                db.store
                    .connection(&summary.id, &c.tenant_id, c.environment, true)
                    .unwrap()
                    .client_secret
                    .unwrap(),
            );
        }
    }
    assert_eq!(secrets.len(), 2);
    for history in [false, true] {
        let docs = db.store.export_documents(None, history).unwrap();
        for format in [ExportFormat::Appdesk, ExportFormat::Portal] {
            let text = exchange::render_all(&docs, format);
            for s in &secrets {
                assert!(!text.contains(s.as_str()) && !text.contains(&s[4..]));
            }
            assert!(!text.contains("cs1."));
        }
    }
}

#[test]
fn an_import_plan_lists_each_change_and_a_dry_run_writes_nothing() {
    let db = populated();
    let dir = tempfile::tempdir().unwrap();
    let mut docs = db.store.export_documents(None, false).unwrap();
    docs[0].homepage_url = "https://new.example".into();
    docs[0].scopes = strings(&["tn.crm.customers:r", "tn.crm.leads:r"]);
    docs[0]
        .tenants
        .push(appdesk_core::TenantEntry::new("5555", "new"));
    docs[0].tenants.retain(|t| t.id != "1234");
    exchange::write_folder(dir.path(), &docs[..1], ExportFormat::Appdesk).unwrap();
    let files = parse_dir(dir.path()).unwrap();
    let before = db.snapshot();
    let plan = db.store.plan_import(&files).unwrap();
    assert_eq!(db.snapshot(), before, "planning writes nothing");
    let app = &plan.apps[0];
    assert_eq!(app.action, PlanAction::Update);
    assert_eq!(app.changes.len(), 1);
    assert_eq!(app.changes[0].field, "homepageUrl");
    assert_eq!(app.new_version, Some(3));
    assert_eq!(app.scopes_added, strings(&["tn.crm.leads:r"]));
    assert_eq!(
        app.scopes_removed,
        strings(&["tn.dis.capacity:w", "tn.jpm.jobs:r"])
    );
    assert_eq!(app.tenants_added, strings(&["5555"]));
    assert_eq!(app.tenants_removed, strings(&["1234"]));

    db.store.apply_import(&files).unwrap();
    let after = db.store.app(&docs[0].id).unwrap();
    assert_eq!(after.version, Some(3));
    assert_eq!(after.app_key, docs[0].app_key, "the key never changes");
    assert!(
        db.store.connections(&after.id).unwrap().is_empty(),
        "removed tenant's connections ended"
    );
    let log = db.store.activity(Some(&after.id), 10).unwrap();
    assert_eq!(log[0].action, "import");
    assert!(
        log.iter().any(|e| e.action == "scopes"),
        "scope changes go through R5"
    );
}

fn problems_of(files: &[(&str, &str)]) -> Vec<exchange::FileProblem> {
    let sources: Vec<SourceFile> = files
        .iter()
        .map(|(n, t)| SourceFile {
            name: n.to_string(),
            text: t.to_string(),
        })
        .collect();
    exchange::parse_files(&sources, &Catalog::embedded()).unwrap_err()
}

#[test]
fn malformed_input_of_every_kind_is_located() {
    let good = exchange::render(
        &populated().store.export_documents(None, false).unwrap()[0],
        ExportFormat::Appdesk,
    );
    let broken = good
        .replacen("\"name\"", "\"name\" ", 1)
        .replacen(",", "", 1);
    let p = problems_of(&[("broken.json", &broken)]);
    assert_eq!((p[0].line, p[0].path.as_str()), (Some(3), "$"));
    assert!(p[0].message.contains("not valid JSON"));

    let p = problems_of(&[("empty.json", "  \n")]);
    assert!(p[0].message.contains("empty"));
    let p = problems_of(&[("text.json", "hello world")]);
    assert_eq!(p[0].line, Some(1));

    let wrong = good
        .replace("\"version\": 2", "\"version\": \"two\"")
        .replace("\"https://acme.example/\"", "\"acme dot example\"")
        .replace("\"tn.crm.customers:r\"", "\"tn.crm.customerz:r\"")
        .replace("\"9876543210123\"", "\"1234\"");
    let p = problems_of(&[("wrong.json", &wrong)]);
    let paths: Vec<_> = p.iter().map(|x| x.path.as_str()).collect();
    assert_eq!(
        paths,
        [
            "$.version",
            "$.homepageUrl",
            "$.tenants[1].id",
            "$.scopes[0]"
        ],
        "{p:#?}"
    );
    for x in &p {
        assert_eq!(x.file, "wrong.json");
        let line = wrong.lines().nth(x.line.unwrap() - 1).unwrap();
        let at = &line[x.column.unwrap() - 1..];
        assert!(
            at.starts_with('"') || at.starts_with('{') || at.starts_with('['),
            "{x}: {at}"
        );
    }
    assert!(p[0].to_string().starts_with("wrong.json:"));

    let typed = good.replace("\"tenants\": [", "\"tenants\": 5, \"extra\": [");
    let p = problems_of(&[("typed.json", &typed)]);
    assert!(
        p.iter()
            .any(|x| x.path == "$.extra" && x.message.contains("unknown field"))
    );
    assert!(
        p.iter()
            .any(|x| x.path == "$.tenants" && x.message.contains("not a number"))
    );

    let p = problems_of(&[("a.json", &good), ("b.json", &good)]);
    assert_eq!(p[0].file, "b.json");
    assert!(p[0].message.contains("already in a.json"));
}

#[test]
fn a_huge_or_binary_file_is_refused_and_nothing_is_written() {
    let db = populated();
    let before = db.snapshot();
    let dir = tempfile::tempdir().unwrap();
    let huge = dir.path().join("huge.json");
    let f = std::fs::File::create(&huge).unwrap();
    f.set_len(exchange::MAX_FILE_BYTES + 1).unwrap();
    std::fs::write(dir.path().join("binary.json"), [0xff, 0xfe, 0x00]).unwrap();
    let good = exchange::render(
        &db.store.export_documents(None, false).unwrap()[0],
        ExportFormat::Appdesk,
    );
    std::fs::write(dir.path().join("good.json"), good).unwrap();
    let p = parse_dir(dir.path()).unwrap_err();
    assert_eq!(p.len(), 2);
    assert!(
        p.iter()
            .any(|x| x.file.ends_with("huge.json") && x.message.contains("at most"))
    );
    assert!(
        p.iter()
            .any(|x| x.file.ends_with("binary.json") && x.message.contains("UTF-8"))
    );
    assert_eq!(db.snapshot(), before);
}

#[test]
fn database_conflicts_fail_the_whole_import() {
    let db = populated();
    let docs = db.store.export_documents(None, false).unwrap();
    let dir = tempfile::tempdir().unwrap();
    // A new app (valid) and a deleted app's file: nothing is imported.
    let mut fresh = docs[1].clone();
    fresh.id = String::new();
    fresh.app_key = None;
    fresh.name = "Fresh".into();
    exchange::write_folder(dir.path(), &[fresh, docs[0].clone()], ExportFormat::Appdesk).unwrap();
    db.store.delete_app(&docs[0].id).unwrap();
    let before = db.snapshot();
    let err = db
        .store
        .apply_import(&parse_dir(dir.path()).unwrap())
        .unwrap_err();
    let Error::Import(problems) = &err else {
        panic!("{err}")
    };
    assert_eq!(problems.len(), 1);
    assert!(
        problems[0].message.contains("deleted here"),
        "{}",
        problems[0]
    );
    assert_eq!(problems[0].line, Some(1));
    assert_eq!(db.snapshot(), before);
    assert_eq!(err.code(), "invalid_file");
}

#[test]
fn a_new_app_in_a_file_without_history_starts_at_version_1_with_its_key() {
    let db = populated();
    let doc = db.store.export_documents(None, false).unwrap()[0].clone();
    let other = Store::open(&db.dir.path().join("other.db"), StoreOptions::default()).unwrap();
    let sources = [SourceFile {
        name: "one.json".into(),
        text: exchange::render(&doc, ExportFormat::Appdesk),
    }];
    let plan = other
        .apply_import(&exchange::parse_files(&sources, other.catalog()).unwrap())
        .unwrap();
    assert_eq!(plan.apps[0].new_version, Some(1));
    let app = other.app(&doc.id).unwrap();
    assert_eq!(app.app_key, doc.app_key);
    assert_eq!(app.scopes, doc.scopes);
}

#[test]
fn progress_is_reported_once_per_file_read_and_per_app_applied() {
    let db = populated();
    let dir = tempfile::tempdir().unwrap();
    let docs = db.store.export_documents(None, false).unwrap();
    exchange::write_folder(dir.path(), &docs, ExportFormat::Appdesk).unwrap();
    let mut read = Vec::new();
    let files =
        exchange::read_paths_with(&[dir.path().to_owned()], &Catalog::embedded(), |d, t| {
            read.push((d, t))
        })
        .unwrap();
    let n = docs.len();
    assert_eq!(read, (1..=n).map(|d| (d, n)).collect::<Vec<_>>());

    // Into an empty database: every app is created, each reported once, in order.
    let empty = TestDb::as_user("bob");
    let mut applied = Vec::new();
    let plan = empty
        .store
        .apply_import_with(&files, |d, t| applied.push((d, t)))
        .unwrap();
    assert_eq!(plan.create, n);
    assert_eq!(applied, (1..=n).map(|d| (d, n)).collect::<Vec<_>>());

    // Unchanged apps count too, so that a bar always reaches its end.
    let mut again = 0;
    let plan = empty
        .store
        .apply_import_with(&files, |d, t| {
            again += 1;
            assert!(d <= t);
        })
        .unwrap();
    assert_eq!((plan.unchanged, again), (n, n));

    // A file that fails to parse is still counted as read; nothing is applied.
    std::fs::write(dir.path().join("zz-broken.json"), "{").unwrap();
    let mut seen = 0;
    let problems =
        exchange::read_paths_with(&[dir.path().to_owned()], &Catalog::embedded(), |_, t| {
            seen += 1;
            assert_eq!(t, n + 1);
        })
        .unwrap_err();
    assert_eq!(seen, n + 1);
    assert_eq!(problems.len(), 1);
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    /// The import parser takes any text without panicking: arbitrary strings,
    /// and valid documents with a slice cut out or a byte changed.
    #[test]
    fn the_import_parser_never_panics(
        junk in ".{0,200}",
        cut in 0usize..2000,
        len in 0usize..40,
        byte in any::<u8>(),
    ) {
        let catalog = Catalog::embedded();
        let _ = exchange::parse_files(&[SourceFile { name: "junk".into(), text: junk }], &catalog);
        let good = GOOD.with(|g| g.clone());
        let start = cut.min(good.len());
        let end = (start + len).min(good.len());
        let mut bytes = good.as_bytes().to_vec();
        bytes.drain(start..end);
        if let Some(b) = bytes.get_mut(start) { *b = byte; }
        let text = String::from_utf8_lossy(&bytes).into_owned();
        match exchange::parse_files(&[SourceFile { name: "m".into(), text }], &catalog) {
            Ok(files) => prop_assert_eq!(files.len(), 1),
            Err(problems) => {
                prop_assert!(problems.iter().all(|p| p.file == "m" && !p.message.is_empty()))
            }
        }
    }
}

thread_local! {
    static GOOD: String = exchange::render_all(
        &populated().store.export_documents(None, true).unwrap(),
        ExportFormat::Appdesk,
    );
}

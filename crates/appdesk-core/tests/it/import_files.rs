//! Files that lie: duplicate keys, a history that breaks the rules live data
//! obeys, and paths that are not regular files (devices, FIFOs, links). Each is
//! refused with its file and place, fast, and nothing is written.

use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::Duration;

use crate::common::TestDb;
use appdesk_core::Catalog;
use appdesk_core::exchange::{self, ExportFormat, FileProblem, ParsedFile, SourceFile};
use serde_json::{Value, json};

const ID: &str = "0192f0a0-0000-7000-8000-000000000001";

fn version(n: i64, scopes: &[&str], at: &str, by: &str) -> Value {
    json!({"version": n, "scopes": scopes, "createdAt": at, "createdBy": by})
}

/// A created app whose scopes are `scopes` and whose history is `history`.
fn created(scopes: &[&str], history: Vec<Value>) -> String {
    let doc = json!({
        "format": "appdesk.app/v1",
        "id": ID,
        "status": "created",
        "name": "Imported",
        "organization": "Acme",
        "homepageUrl": "https://acme.example",
        "audience": "private",
        "credentials": "tenant",
        "appKey": "ak1.aaaaaaaaaaaaaaaaaaaaaaaaa",
        "scopes": scopes,
        "tenants": [{"id": "1234", "note": "HQ"}],
        "history": history,
    });
    serde_json::to_string_pretty(&doc).unwrap()
}

fn parse(text: &str) -> Result<Vec<ParsedFile>, Vec<FileProblem>> {
    let file = SourceFile {
        name: "app.json".into(),
        text: text.to_owned(),
    };
    exchange::parse_files(&[file], &Catalog::embedded())
}

/// The problems of `text`, as (path, message).
fn problems(text: &str) -> Vec<(String, String)> {
    parse(text)
        .expect_err("the file must be refused")
        .into_iter()
        .map(|p| (p.path, p.message))
        .collect()
}

fn has(found: &[(String, String)], path: &str, words: &str) -> bool {
    found.iter().any(|(p, m)| p == path && m.contains(words))
}

#[test]
fn a_duplicate_key_is_refused_at_every_depth_with_its_path_line_and_column() {
    let good = created(
        &["tn.crm.customers:r"],
        vec![version(
            1,
            &["tn.crm.customers:r"],
            "2025-01-01T00:00:00Z",
            "alice",
        )],
    );
    assert!(parse(&good).is_ok(), "{:?}", parse(&good).err());
    let cases = [
        (
            "\"name\": \"Imported\"",
            "\"name\": \"Decoy\",\n  \"name\": \"Imported\"",
            "$.name",
        ),
        (
            "\"note\": \"HQ\"",
            "\"note\": \"HQ\",\n      \"note\": \"Other\"",
            "$.tenants[0].note",
        ),
        (
            "\"createdBy\": \"alice\"",
            "\"createdBy\": \"alice\",\n      \"createdBy\": \"mallory\"",
            "$.history[0].createdBy",
        ),
    ];
    for (from, to, path) in cases {
        let text = good.replacen(from, to, 1);
        assert_ne!(text, good);
        let found = parse(&text).unwrap_err();
        assert_eq!(found.len(), 1, "{found:#?}");
        let p = &found[0];
        assert_eq!((p.file.as_str(), p.path.as_str()), ("app.json", path));
        assert!(p.message.contains("appears twice"), "{p}");
        let key = &path[path.rfind('.').unwrap() + 1..];
        // The line and column are those of the second key, the one a reviewer
        // might miss.
        let quoted = format!("\"{key}\"");
        let (line, column) = text
            .lines()
            .enumerate()
            .filter_map(|(i, l)| l.find(&quoted).map(|c| (i + 1, c + 1)))
            .nth(1)
            .unwrap();
        assert_eq!((p.line, p.column), (Some(line), Some(column)), "{p}");
    }
    // In an array of documents, the path names the document.
    let array = format!("[{good}, {}]", good.replacen(cases[0].0, cases[0].1, 1));
    let found = parse(&array).unwrap_err();
    assert_eq!(found[0].path, "$[1].name");
}

#[test]
fn a_history_time_that_is_not_utc_or_in_the_future_is_refused() {
    let with_time = |at: &str| {
        created(
            &["tn.crm.customers:r"],
            vec![version(1, &["tn.crm.customers:r"], at, "alice")],
        )
    };
    let found = problems(&with_time("2025-01-01T02:00:00+02:00"));
    assert!(
        has(&found, "$.history[0].createdAt", "not UTC"),
        "{found:?}"
    );
    let found = problems(&with_time("2999-01-01T00:00:00Z"));
    assert!(
        has(&found, "$.history[0].createdAt", "in the future"),
        "{found:?}"
    );
    // A clock a little ahead is allowed for; more than the slack is not.
    let ahead = |hours: i64| {
        (chrono::Utc::now() + chrono::Duration::hours(hours))
            .to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
    };
    assert!(parse(&with_time(&ahead(1))).is_ok());
    let found = problems(&with_time(&ahead(exchange::FUTURE_SLACK_HOURS + 1)));
    assert!(
        has(&found, "$.history[0].createdAt", "in the future"),
        "{found:?}"
    );
    let found = problems(&with_time("yesterday"));
    assert!(
        has(&found, "$.history[0].createdAt", "RFC 3339"),
        "{found:?}"
    );
}

#[test]
fn a_control_character_in_created_by_is_refused() {
    for by in ["alice\nadmin", "\u{1b}[2Jalice", "bob\u{7f}"] {
        let text = created(
            &["tn.crm.customers:r"],
            vec![version(
                1,
                &["tn.crm.customers:r"],
                "2025-01-01T00:00:00Z",
                by,
            )],
        );
        let found = problems(&text);
        assert!(has(&found, "$.history[0].createdBy", "U+"), "{found:?}");
    }
}

#[test]
fn a_history_that_breaks_the_rules_of_live_data_is_refused() {
    let t = "2025-01-01T00:00:00Z";
    // A gap in the numbers.
    let text = created(
        &["tn.crm.leads:r"],
        vec![
            version(1, &["tn.crm.customers:r"], t, "a"),
            version(3, &["tn.crm.leads:r"], t, "a"),
        ],
    );
    assert!(has(&problems(&text), "$.history[1].version", "must be 2"));
    // A version with no scope, or one the catalog does not have.
    let text = created(&["tn.crm.leads:r"], vec![version(1, &[], t, "a")]);
    assert!(has(&problems(&text), "$.history[0].scopes", "at least one"));
    let text = created(
        &["tn.crm.leads:r"],
        vec![version(1, &["tn.crm.nothing:r"], t, "a")],
    );
    let found = problems(&text);
    assert!(
        found.iter().any(|(p, _)| p == "$.history[0].scopes[0]"),
        "{found:?}"
    );
    // Two versions in a row with the same set (written differently).
    let text = created(
        &["tn.crm.customers:r", "tn.crm.customers:w"],
        vec![
            version(1, &["tn.crm.customers:rw"], t, "a"),
            version(2, &["tn.crm.customers:w", "tn.crm.customers:r"], t, "a"),
        ],
    );
    assert!(has(
        &problems(&text),
        "$.history[1].scopes",
        "same scopes as version 1"
    ));
    // Times need not rise: live data does not promise it (a clock set back).
    let text = created(
        &["tn.crm.leads:r"],
        vec![
            version(1, &["tn.crm.customers:r"], "2025-02-01T00:00:00Z", "a"),
            version(2, &["tn.crm.leads:r"], "2025-01-01T00:00:00Z", "a"),
        ],
    );
    assert!(parse(&text).is_ok());
    // The last version is not the app's scopes.
    let text = created(
        &["tn.crm.leads:r"],
        vec![version(1, &["tn.crm.customers:r"], t, "a")],
    );
    assert!(has(
        &problems(&text),
        "$.history[0].scopes",
        "differ from the app's"
    ));
}

#[test]
fn history_is_stored_canonical_so_a_re_export_gives_the_same_bytes_back() {
    let text = created(
        &["tn.jpm.jobs:rw", "tn.crm.customers:r"],
        vec![
            version(
                1,
                &["tn.jpm.jobs:r"],
                "2025-01-01T00:00:00+00:00",
                " alice ",
            ),
            version(
                2,
                &["tn.jpm.jobs:rw", "tn.crm.customers:r", "tn.jpm.jobs:r"],
                "2025-01-02T10:00:00.5Z",
                "bob",
            ),
        ],
    );
    let db = TestDb::new();
    db.store.apply_import(&parse(&text).unwrap()).unwrap();
    let out = db.store.export_documents(None, true).unwrap();
    let history = out[0].history.as_ref().unwrap();
    let canonical = ["tn.crm.customers:r", "tn.jpm.jobs:r", "tn.jpm.jobs:w"];
    assert_eq!(history[1].scopes, canonical);
    assert_eq!(out[0].scopes, canonical);
    assert_eq!(history[0].created_at, "2025-01-01T00:00:00.000Z");
    assert_eq!(history[1].created_at, "2025-01-02T10:00:00.500Z");
    assert_eq!(history[0].created_by, "alice");
    // The export is a fixed point: importing it elsewhere and exporting again
    // gives the same bytes.
    let first = exchange::render(&out[0], ExportFormat::Appdesk);
    let other = TestDb::new();
    other.store.apply_import(&parse(&first).unwrap()).unwrap();
    let again = other.store.export_documents(None, true).unwrap();
    assert_eq!(exchange::render(&again[0], ExportFormat::Appdesk), first);
}

/// Runs `read_paths` on another thread: a regression that blocks or reads
/// without end fails here instead of hanging the test run.
fn read_within(paths: Vec<PathBuf>, limit: Duration) -> Result<Vec<ParsedFile>, Vec<FileProblem>> {
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let _ = tx.send(exchange::read_paths(&paths, &Catalog::embedded()));
    });
    rx.recv_timeout(limit)
        .expect("reading did not finish in time: it blocked or read without end")
}

fn good_file(dir: &Path) -> PathBuf {
    let path = dir.join("good.json");
    let text = created(
        &["tn.crm.customers:r"],
        vec![version(
            1,
            &["tn.crm.customers:r"],
            "2025-01-01T00:00:00Z",
            "alice",
        )],
    );
    std::fs::write(&path, text).unwrap();
    path
}

#[cfg(unix)]
#[test]
fn a_device_or_a_fifo_is_refused_fast_naming_the_path() {
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("pipe.json");
    let made = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap();
    assert!(made.success());
    let zero = PathBuf::from("/dev/zero");
    let found = read_within(vec![zero.clone(), fifo.clone()], Duration::from_secs(20)).unwrap_err();
    assert_eq!(found.len(), 2, "{found:#?}");
    assert_eq!(found[0].file, zero.display().to_string());
    assert!(
        found[0]
            .message
            .contains("not a regular file (a character device)"),
        "{}",
        found[0]
    );
    assert_eq!(found[1].file, fifo.display().to_string());
    assert!(
        found[1].message.contains("not a regular file (a FIFO)"),
        "{}",
        found[1]
    );
    // A FIFO inside a folder is refused the same way.
    let found = read_within(vec![dir.path().to_owned()], Duration::from_secs(20)).unwrap_err();
    assert!(
        found.iter().any(|p| p.file.ends_with("pipe.json")),
        "{found:#?}"
    );
}

#[cfg(unix)]
#[test]
fn a_link_to_a_file_is_followed_a_link_to_a_device_is_not_and_a_loop_is_walked_once() {
    let dir = tempfile::tempdir().unwrap();
    let target = good_file(dir.path());
    let link = dir.path().join("link.json");
    std::os::unix::fs::symlink(&target, &link).unwrap();
    let parsed = read_within(vec![link], Duration::from_secs(20)).unwrap();
    assert_eq!(parsed[0].documents[0].document.name, "Imported");

    let to_zero = dir.path().join("zero.json");
    std::os::unix::fs::symlink("/dev/zero", &to_zero).unwrap();
    let found = read_within(vec![to_zero.clone()], Duration::from_secs(20)).unwrap_err();
    assert_eq!(found[0].file, to_zero.display().to_string());
    assert!(
        found[0].message.contains("not a regular file"),
        "{}",
        found[0]
    );

    // A folder with a link back to itself: each file is read once.
    let tree = tempfile::tempdir().unwrap();
    good_file(tree.path());
    std::os::unix::fs::symlink(tree.path(), tree.path().join("again")).unwrap();
    let parsed = read_within(vec![tree.path().to_owned()], Duration::from_secs(20)).unwrap();
    assert_eq!(parsed.len(), 1);
}

#[test]
fn the_committed_schema_refuses_what_import_refuses_in_a_history() {
    let schema = crate::exchange::schema();
    let with = |at: &str, by: &str| -> Value {
        let text = created(
            &["tn.crm.customers:r"],
            vec![version(1, &["tn.crm.customers:r"], at, by)],
        );
        let mut doc: Value = serde_json::from_str(&text).unwrap();
        doc["version"] = json!(1);
        doc
    };
    let good = with("2025-01-01T00:00:00.000Z", "alice");
    let errors: Vec<String> = schema.iter_errors(&good).map(|e| e.to_string()).collect();
    assert!(errors.is_empty(), "{errors:?}");
    assert!(schema.is_valid(&with("2025-01-01T00:00:00.000Z", "alice")));
    assert!(schema.is_valid(&with("2025-01-01T00:00:00+00:00", "alice")));
    assert!(!schema.is_valid(&with("2025-01-01T02:00:00+02:00", "alice")));
    assert!(!schema.is_valid(&with("2025-01-01T00:00:00Z", "alice\nadmin")));
    assert!(!schema.is_valid(&with("2025-01-01T00:00:00Z", "bob\u{7f}")));
}

/// A UTF-8 byte order mark, which Windows editors put at the start of a file, is
/// ignored as RFC 8259 allows: the file reads as without it, not as "expected
/// value at line 1 column 1".
#[test]
fn a_file_starting_with_a_byte_order_mark_reads_as_without_it() {
    let history = vec![version(
        1,
        &["tn.crm.customers:r"],
        "2026-01-02T03:04:05Z",
        "ann",
    )];
    let text = created(&["tn.crm.customers:r"], history);
    let plain = parse(&text).expect("the file is valid");
    let marked = parse(&format!("\u{feff}{text}")).expect("a BOM is ignored");
    assert_eq!(
        marked[0].documents[0].document,
        plain[0].documents[0].document
    );
}

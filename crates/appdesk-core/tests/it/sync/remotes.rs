//! Linking (`Store::add_remote` and friends): the token is sealed, never in
//! the database's bytes (main file and WAL), a listing or an export; bad
//! input is refused naming its field, with nothing written.

use appdesk_core::ErrorCode;
use appdesk_core::exchange::{self, ExportFormat};

use crate::common::{TestDb, input};

const TOKEN: &str = "adp_1a2b3c4d_SuperSecretPortalToken42";

fn file_bytes(db: &TestDb) -> Vec<u8> {
    let mut bytes = Vec::new();
    for ext in ["", "-wal", "-shm"] {
        let path = format!("{}{ext}", db.path().display());
        if let Ok(b) = std::fs::read(path) {
            bytes.extend(b);
        }
    }
    bytes
}

fn contains(haystack: &[u8], needle: &str) -> bool {
    haystack
        .windows(needle.len())
        .any(|w| w == needle.as_bytes())
}

#[test]
fn the_token_is_sealed_never_in_the_file_a_listing_or_an_export() {
    let db = TestDb::new();
    db.store.create_app(&input("Board")).unwrap();
    let added = db
        .store
        .add_remote("origin", "https://portal.example/", TOKEN)
        .unwrap();
    assert_eq!(added.remote.url, "https://portal.example");
    assert_eq!(added.remote.token, "sealed");
    let secret = &TOKEN[13..];
    assert!(
        !contains(&file_bytes(&db), secret),
        "the token is in the database file"
    );
    let listed = serde_json::to_string(&db.store.remotes().unwrap()).unwrap();
    assert!(
        !listed.contains(secret) && listed.contains("sealed"),
        "{listed}"
    );
    let docs = db.store.export_documents(None, true).unwrap();
    for format in [ExportFormat::Appdesk, ExportFormat::Portal] {
        assert!(!exchange::render_all(&docs, format).contains(secret));
    }
    assert!(!format!("{:?}", db.store.remote_token("origin").unwrap()).contains(secret));
    assert_eq!(db.store.remote_token("origin").unwrap().expose(), TOKEN);
    // Another handle, as the next process, opens it with the key file.
    assert_eq!(
        db.reopen("tester").remote_token("origin").unwrap().expose(),
        TOKEN
    );
}

#[test]
fn a_second_remote_is_refused_and_removing_the_link_keeps_the_apps() {
    let db = TestDb::new();
    let app = db.store.create_app(&input("Board")).unwrap();
    db.store
        .add_remote("origin", "http://localhost:8477", TOKEN)
        .unwrap();
    let err = db
        .store
        .add_remote("other", "https://other.example", TOKEN)
        .unwrap_err();
    assert_eq!(err.code(), "conflict");
    assert!(err.to_string().contains("origin"), "{err}");
    let before = db.snapshot();
    let removed = db.store.remove_remote("origin").unwrap();
    assert_eq!(removed.dropped_intents, 1, "the queued creation of Board");
    assert_eq!(db.snapshot(), before.replace(",\"pending\":true", ""));
    assert!(db.store.remotes().unwrap().is_empty());
    assert!(
        db.store
            .history(&app.id)
            .unwrap()
            .iter()
            .all(|v| !v.pending)
    );
    let err = db.store.remove_remote("origin").unwrap_err();
    assert_eq!(
        (err.code(), err.body().field.as_deref()),
        (ErrorCode::Invalid, Some("name"))
    );
}

#[test]
fn bad_names_urls_and_tokens_are_refused_naming_the_field_and_write_nothing() {
    let db = TestDb::new();
    let cases = [
        ("bad name", "https://p.example", TOKEN, "name"),
        ("origin", "http://portal.example", TOKEN, "url"),
        ("origin", "https://user:pw@portal.example", TOKEN, "url"),
        ("origin", "file:///etc/passwd", TOKEN, "url"),
        ("origin", "https://p.example", "", "token"),
        ("origin", "https://p.example", "two words", "token"),
        ("origin", "https://p.example", "tok\u{202e}en", "token"),
    ];
    for (name, url, token, field) in cases {
        let err = db.store.add_remote(name, url, token).unwrap_err();
        assert_eq!(
            err.body().field.as_deref(),
            Some(field),
            "{name} {url}: {err}"
        );
        assert_eq!(err.code(), "invalid");
    }
    let err = db
        .store
        .add_remote("origin", "http://portal.example", TOKEN)
        .unwrap_err();
    assert!(err.to_string().contains("loopback"), "{err}");
    assert!(db.store.remotes().unwrap().is_empty());
}

/// A sealed portal token makes the key this database's own, as a client secret
/// does: with the key file gone, a connect (which would seal a secret) is
/// refused naming the key file, creates no new key, and the token still opens
/// once the file is back.
#[test]
fn a_sealed_token_keeps_a_lost_key_from_being_replaced() {
    use appdesk_core::Environment;

    let db = TestDb::new();
    let app = db.store.create_app(&input("Board")).unwrap();
    db.store
        .add_remote("origin", "https://portal.example", TOKEN)
        .unwrap();
    let key = db.path().with_extension("key");
    let kept = db.dir.path().join("kept.key");
    std::fs::rename(&key, &kept).unwrap();

    let fresh = db.reopen("tester");
    let before = db.snapshot();
    let err = fresh
        .connect(&app.id, "1234", Environment::Integration)
        .unwrap_err();
    assert_eq!(err.code(), ErrorCode::Secrets, "{err}");
    assert!(
        err.to_string().contains(&key.display().to_string()),
        "{err}"
    );
    assert!(!key.exists(), "no new key file was made");
    assert_eq!(db.snapshot(), before, "nothing changed");

    std::fs::rename(&kept, &key).unwrap();
    let back = db.reopen("tester");
    assert_eq!(back.remote_token("origin").unwrap().expose(), TOKEN);
}

//! Hostile text through the store (R1's text rule): control characters and bidi
//! overrides are refused in every field and stamp, invisible names are blank, the
//! homepage URL stored is the one checked, and a lookup that matches several apps
//! is refused. Every refusal leaves the database as it was.

use crate::common::{TestDb, input};
use appdesk_core::{AppEdit, AppInput, Store, StoreOptions, TenantAdd, TenantEntry};

/// A few hostile strings: a forged row, a screen clear, an OSC title, a C1 CSI,
/// a bidi override, a line separator, DEL, NUL.
const HOSTILE: [&str; 8] = [
    "Real\nak1.forged  created",
    "a\u{1b}[2J",
    "a\u{1b}]0;title\u{7}",
    "a\u{9b}31m",
    "a\u{202e}txt.exe",
    "a\u{2028}b",
    "a\u{7f}",
    "a\0b",
];

#[test]
fn hostile_names_and_organizations_are_refused_on_create_edit_and_draft() {
    let db = TestDb::new();
    let app = db.store.create_app(&input("Board")).unwrap();
    let before = db.snapshot();
    for bad in HOSTILE {
        let err = db.store.create_app(&input(bad)).unwrap_err();
        assert_eq!(err.field(), Some("name"), "{bad:?}: {err}");
        let org = AppInput {
            organization: bad.to_owned(),
            ..input("Org")
        };
        let err = db.store.create_app(&org).unwrap_err();
        assert_eq!(err.field(), Some("organization"), "{bad:?}: {err}");
        let edit = AppEdit {
            name: Some(bad.to_owned()),
            ..AppEdit::default()
        };
        let err = db.store.edit_app(&app.id, &edit).unwrap_err();
        assert_eq!(err.field(), Some("name"), "{bad:?}: {err}");
        let draft = AppInput {
            name: bad.to_owned(),
            ..AppInput::default()
        };
        let err = db.store.save_draft(&draft).unwrap_err();
        assert_eq!(err.field(), Some("name"), "a draft too: {bad:?}: {err}");
    }
    assert_eq!(db.snapshot(), before, "nothing was written");
}

#[test]
fn a_tenant_note_may_span_lines_but_carries_no_escape() {
    let db = TestDb::new();
    let app = db.store.create_app(&input("Board")).unwrap();
    let add = |note: &str| {
        let entry = TenantAdd {
            id: "5555".to_owned(),
            note: Some(note.to_owned()),
        };
        db.store.change_tenants(&app.id, &[entry], &[])
    };
    let before = db.snapshot();
    for bad in ["x\u{1b}[2J", "x\ry", "x\u{202e}y", "x\u{85}y"] {
        let err = add(bad).unwrap_err();
        assert_eq!(err.field(), Some("add[0].note"), "{bad:?}: {err}");
    }
    assert_eq!(db.snapshot(), before);
    let app = add("first line\n\tsecond line").unwrap();
    let note = app.tenants.iter().find(|t| t.id == "5555").unwrap();
    assert_eq!(note.note, "first line\n\tsecond line");
}

#[test]
fn a_hostile_user_stamp_is_refused_when_opening_and_when_configured() {
    let db = TestDb::new();
    for bad in HOSTILE {
        let opened = Store::open(
            &db.path(),
            StoreOptions {
                user: Some(bad.to_owned()),
                ..StoreOptions::default()
            },
        );
        let err = opened.expect_err("a hostile --user is refused");
        assert_eq!(err.field(), Some("user"), "{bad:?}: {err}");
        let err = db.store.set_configured_user(bad).unwrap_err();
        assert_eq!(err.field(), Some("user"), "{bad:?}: {err}");
    }
    assert_eq!(db.store.user(), "tester");
    // A configured user written into the file by another tool is checked too.
    let conn = rusqlite::Connection::open(db.path()).unwrap();
    conn.execute(
        "INSERT INTO settings (key, value) VALUES ('user', 'x' || char(27) || '[2J')",
        [],
    )
    .unwrap();
    let err = Store::open(&db.path(), StoreOptions::default()).expect_err("refused");
    assert_eq!(err.field(), Some("user"), "{err}");
    assert!(err.to_string().contains("U+001B"), "{err}");
    let given = TestDb::reopen(&db, "ok");
    assert_eq!(given.user(), "ok", "--user still opens it");
    assert!(appdesk_core::validate::user_stamp("\u{200b}", "createdBy").is_err());
}

#[test]
fn names_made_only_of_invisible_characters_are_blank() {
    let db = TestDb::new();
    for blank in [
        "\u{200b}",
        "\u{200b}\u{200c}\u{2060}",
        "\u{3164}",
        "\u{115f}",
        "\u{ffa0}",
    ]
    .into_iter()
    .chain([
        "\u{2800}", "\u{feff}", "\u{ad}", "\u{301}", "\u{3000}", "\u{fe0f}",
    ]) {
        let err = db.store.create_app(&input(blank)).unwrap_err();
        assert_eq!(err.field(), Some("name"), "{blank:?}");
        assert!(err.to_string().contains("required"), "{blank:?}: {err}");
        let org = AppInput {
            organization: blank.to_owned(),
            ..input("Org")
        };
        assert_eq!(
            db.store.create_app(&org).unwrap_err().field(),
            Some("organization")
        );
    }
    let ok = db.store.create_app(&input("Zero\u{200b}Width")).unwrap();
    assert_eq!(
        ok.name, "Zero\u{200b}Width",
        "an invisible character among visible ones stays"
    );
}

#[test]
fn the_homepage_stored_is_the_url_the_parser_produced() {
    let db = TestDb::new();
    let with_url = |url: &str| AppInput {
        homepage_url: url.to_owned(),
        ..input("Web")
    };
    for (typed, stored) in [
        ("HTTPS://Acme.Example", "https://acme.example/"),
        ("https:acme.example/a b", "https://acme.example/a%20b"),
        ("http:\\\\acme.example\\x", "http://acme.example/x"),
        ("https://acme.example:443/p", "https://acme.example/p"),
    ] {
        let app = db.store.create_app(&with_url(typed)).unwrap();
        assert_eq!(app.homepage_url, stored, "{typed:?}");
    }
    let before = db.snapshot();
    for bad in [
        "https://acme.exa\tmple/",
        "https://acme.example/\npath",
        "https://acme.example/\u{1b}",
        "https://user:secret@acme.example/",
    ] {
        let err = db.store.create_app(&with_url(bad)).unwrap_err();
        assert_eq!(err.field(), Some("homepageUrl"), "{bad:?}: {err}");
    }
    let long = format!("https://acme.example/{}", "é".repeat(200));
    let err = db.store.create_app(&with_url(&long)).unwrap_err();
    assert!(err.to_string().contains("written out in full"), "{err}");
    assert_eq!(db.snapshot(), before);
}

#[test]
fn a_name_shaped_like_an_app_key_or_id_is_refused() {
    let db = TestDb::new();
    let real = db.store.create_app(&input("Real")).unwrap();
    let key = real.app_key.clone().unwrap();
    let before = db.snapshot();
    let fresh_key = format!("ak1.{}", "a".repeat(25));
    let braced_id = format!("{{{}}}", real.id);
    for name in [&key, &real.id, &fresh_key, &braced_id] {
        let err = db.store.create_app(&input(name)).unwrap_err();
        assert_eq!(err.field(), Some("name"), "{name}: {err}");
        assert!(err.to_string().contains("reads as an app"), "{err}");
        let draft = AppInput {
            name: name.clone(),
            ..AppInput::default()
        };
        assert_eq!(
            db.store.save_draft(&draft).unwrap_err().field(),
            Some("name")
        );
    }
    assert_eq!(db.snapshot(), before);
    let near = db.store.create_app(&input(&format!("{key}x"))).unwrap();
    assert_ne!(near.id, real.id, "a name that only resembles a key is fine");
}

/// Renames `app` in the file directly, as another tool or an old build could
/// (keeping the folded name in step, as the schema asks).
fn rename_raw(db: &TestDb, app_id: &str, name: &str) {
    let conn = rusqlite::Connection::open(db.path()).unwrap();
    conn.execute(
        "UPDATE apps SET name = ?2, name_folded = lower(?2) WHERE id = ?1",
        [app_id, name],
    )
    .unwrap();
}

#[test]
fn a_lookup_matching_several_apps_is_refused_with_the_matches_and_deletes_nothing() {
    let db = TestDb::new();
    let real = db.store.create_app(&input("Real")).unwrap();
    let key = real.app_key.clone().unwrap();
    let by_key = db.store.create_app(&input("B")).unwrap();
    let by_id = db.store.create_app(&input("C")).unwrap();
    rename_raw(&db, &by_key.id, &key);
    rename_raw(&db, &by_id.id, &real.id);
    let list = || serde_json::to_string(&db.store.list_apps(&Default::default()).unwrap().items);
    let before = list().unwrap();
    for (query, other) in [(key.as_str(), &by_key), (real.id.as_str(), &by_id)] {
        let err = db.store.delete_app(query).unwrap_err();
        assert_eq!(err.code(), "ambiguous", "{err}");
        let message = err.to_string();
        assert!(message.contains("matches 2 apps"), "{message}");
        assert!(
            message.contains(&real.id) && message.contains(&other.id),
            "{message}"
        );
    }
    assert_eq!(list().unwrap(), before, "no app was deleted");
    db.store.delete_app(&by_key.id).unwrap();
    assert_eq!(
        db.store.app(&key).unwrap().id,
        real.id,
        "by its key, once alone"
    );
    let draft = db
        .store
        .save_draft(&AppInput {
            name: "Real".to_owned(),
            tenants: vec![TenantEntry::new("1", "")],
            ..AppInput::default()
        })
        .unwrap();
    let err = db.store.app("Real").unwrap_err();
    assert!(err.to_string().contains(&draft.id), "{err}");
}

/// Blank is a class, not a list of examples: combining marks of any script
/// (Cyrillic, Hebrew, Arabic, Thai, Devanagari, an enclosing mark), and the
/// default-ignorable code points Unicode reserves (tags, variation selectors
/// beyond the first 240, U+FFF0), show nothing on their own. Characters picked
/// from the Unicode Character Database by hand, not by the code under test.
#[test]
fn names_of_combining_marks_of_any_script_or_of_ignorable_code_points_are_blank() {
    let db = TestDb::new();
    let before = db.snapshot();
    for blank in [
        "\u{483}",
        "\u{5b0}\u{5b1}",
        "\u{64b}",
        "\u{e48}",
        "\u{93c}",
        "\u{489}",
        "\u{e0000}",
        "\u{e0080}",
        "\u{e01f0}",
        "\u{fff0}",
        "\u{2065}",
        " \u{5b4}\u{200b} ",
    ] {
        let err = db.store.create_app(&input(blank)).unwrap_err();
        assert_eq!(err.field(), Some("name"), "{blank:?}: {err}");
        let org = AppInput {
            organization: blank.to_owned(),
            ..input("Org")
        };
        let err = db.store.create_app(&org).unwrap_err();
        assert_eq!(err.field(), Some("organization"), "{blank:?}: {err}");
        let err = db.store.set_configured_user(blank).unwrap_err();
        assert_eq!(err.field(), Some("user"), "{blank:?}: {err}");
    }
    assert_eq!(db.snapshot(), before, "nothing was written");
    for shown in [
        "\u{915}\u{93c}",
        "\u{5e9}\u{5c1}",
        "\u{e01}\u{e48}",
        "\u{1f600}",
    ] {
        assert!(db.store.create_app(&input(shown)).is_ok(), "{shown:?}");
    }
}

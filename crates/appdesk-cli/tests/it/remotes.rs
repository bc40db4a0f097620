//! `appdesk remote add | list | remove` and pending versions, with the real
//! binary on a real database file: the token never shows (output, file bytes,
//! export), bad input is refused naming the flag, and `app history` marks
//! what is not yet pushed.

use std::path::Path;

use crate::common::{CAPACITY_W, CUSTOMERS_R, Desk, text};
use crate::exchange::files_in;

const SECRET: &str = "S3cretPortalTokenValue0123456789";

fn token() -> String {
    format!("adp_1a2b3c4d_{SECRET}")
}

/// Links `desk` to https://portal.example as `origin`, with the token inline.
pub fn link(desk: &Desk) {
    let token = token();
    desk.ok(&[
        "remote",
        "add",
        "origin",
        "https://portal.example",
        "--token",
        &token,
    ]);
}

fn db_bytes(db: &Path) -> Vec<u8> {
    ["", "-wal"]
        .iter()
        .filter_map(|ext| std::fs::read(format!("{}{ext}", db.display())).ok())
        .flatten()
        .collect()
}

fn write_token_file(desk: &Desk) -> String {
    let path = desk.dir.path().join("token");
    std::fs::write(&path, format!("{}\n", token())).unwrap();
    path.display().to_string()
}

#[test]
fn remote_add_list_and_remove_never_show_the_token() {
    let desk = Desk::new();
    desk.new_app("Board", &["1234"], &[CUSTOMERS_R]);
    let file = write_token_file(&desk);
    let added = desk.ok(&[
        "remote",
        "add",
        "origin",
        "https://portal.example/",
        "--token-file",
        &file,
    ]);
    assert!(
        added.contains("token: sealed") && added.contains("1 existing app(s) queued"),
        "{added}"
    );
    let listed = desk.ok(&["remote", "list"]);
    assert!(
        listed.starts_with("origin  https://portal.example  token: sealed\n"),
        "{listed}"
    );
    let json = desk.json(&["remote", "list"]);
    assert_eq!(json[0]["name"], "origin");
    assert_eq!(json[0]["token"], "sealed");
    assert_eq!(json[0]["pending"], 1);
    let export = desk.ok(&["export", "--all", "--history"]);
    for (what, text) in [
        ("add", &added),
        ("list", &listed),
        ("json", &json.to_string()),
        ("export", &export),
    ] {
        assert!(!text.contains(SECRET), "{what} shows the token: {text}");
    }
    let bytes = db_bytes(&desk.db);
    assert!(
        !bytes.windows(SECRET.len()).any(|w| w == SECRET.as_bytes()),
        "the token is in the database file"
    );

    let removed = desk.json(&["remote", "remove", "origin"]);
    assert_eq!(removed["droppedIntents"], 1);
    assert_eq!(
        desk.ok(&["remote", "list"]),
        "No remote: this database is not linked to a portal.\n"
    );
    assert_eq!(desk.json(&["remote", "list"]), serde_json::json!([]));
}

#[test]
fn remote_add_takes_the_token_inline_too_and_refuses_a_second_remote() {
    let desk = Desk::new();
    let token = token();
    desk.ok(&[
        "remote",
        "add",
        "origin",
        "http://127.0.0.1:8477",
        "--token",
        &token,
    ]);
    let body = desk.rejects(
        &[
            "remote",
            "add",
            "other",
            "https://other.example",
            "--token",
            &token,
        ],
        "conflict",
        "name",
    );
    assert!(text(&body, "message").contains("origin"), "{body}");
}

#[test]
fn remote_add_refuses_plain_http_off_loopback_and_says_why() {
    let desk = Desk::new();
    let token = token();
    let body = desk.rejects(
        &[
            "remote",
            "add",
            "origin",
            "http://portal.example",
            "--token",
            &token,
        ],
        "invalid",
        "url",
    );
    assert!(text(&body, "message").contains("loopback"), "{body}");
    desk.rejects(
        &[
            "remote",
            "add",
            "bad/name",
            "https://p.example",
            "--token",
            &token,
        ],
        "invalid",
        "name",
    );
    desk.rejects(
        &[
            "remote",
            "add",
            "origin",
            "https://p.example",
            "--token",
            "a\u{7}b",
        ],
        "invalid",
        "token",
    );
    desk.rejects(&["remote", "remove", "nothing"], "invalid", "name");
}

#[test]
fn remote_add_refuses_a_token_file_that_is_missing_a_folder_a_fifo_or_too_big() {
    let desk = Desk::new();
    let dir = desk.dir.path();
    let big = dir.join("big");
    std::fs::write(&big, "x".repeat(10_000)).unwrap();
    let fifo = dir.join("fifo");
    let made = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap();
    assert!(made.success());
    let empty = dir.join("empty");
    std::fs::write(&empty, "\n").unwrap();
    for (path, field) in [
        (dir.join("missing"), "token-file"),
        (dir.to_owned(), "token-file"),
        (fifo, "token-file"),
        (big, "token-file"),
        (empty, "token"),
    ] {
        let path = path.display().to_string();
        let body = desk.rejects(
            &[
                "remote",
                "add",
                "origin",
                "https://p.example",
                "--token-file",
                &path,
            ],
            "invalid",
            field,
        );
        assert!(!text(&body, "message").is_empty());
    }
}

#[test]
fn app_history_marks_versions_made_while_linked_and_not_pushed_as_pending() {
    let desk = Desk::new();
    let app = desk.new_app("Board", &["1234"], &[CUSTOMERS_R]);
    let id = text(&app, "id");
    let history = desk.json(&["app", "history", id]);
    assert!(
        history[0].get("pending").is_none(),
        "unlinked: as before: {history}"
    );
    assert!(!desk.ok(&["app", "history", id]).contains("pending"));

    link(&desk);
    desk.ok(&["app", "scopes", id, "--add", CAPACITY_W]);
    let history = desk.json(&["app", "history", id]);
    let pending: Vec<_> = history
        .as_array()
        .unwrap()
        .iter()
        .map(|v| (v["version"].as_i64().unwrap(), v["pending"].as_bool()))
        .collect();
    assert_eq!(
        pending,
        [(1, Some(true)), (2, Some(true))],
        "none pushed yet"
    );
    let text = desk.ok(&["app", "history", id]);
    assert_eq!(
        text.matches("(pending: not yet pushed)").count(),
        2,
        "{text}"
    );
    assert_eq!(
        desk.json(&["remote", "list"])[0]["pending"],
        2,
        "a create and a scope change"
    );
}

/// `remote token` replaces the token on purpose: the new one is sealed like
/// the first (in no output, not in the database file), the old one is gone,
/// and the queued intents stay; an unknown remote or a bad token is refused
/// and changes nothing.
#[test]
fn remote_token_seals_the_new_token_and_keeps_the_queue() {
    let desk = Desk::new();
    desk.new_app("Board", &["1234"], &[CUSTOMERS_R]);
    link(&desk);
    let before = db_bytes(&desk.db);
    const NEW: &str = "N3wPortalTokenValueAfterRevoke987";
    let path = desk.dir.path().join("new-token");
    std::fs::write(&path, format!("adp_9f8e7d6c_{NEW}\n")).unwrap();
    let file = path.display().to_string();

    let refused = desk.rejects(
        &["remote", "token", "nowhere", "--token-file", &file],
        "invalid",
        "name",
    );
    assert!(
        refused["message"].as_str().unwrap().contains("nowhere"),
        "{refused}"
    );
    desk.rejects(
        &["remote", "token", "origin", "--token", "has space"],
        "invalid",
        "token",
    );
    assert_eq!(
        db_bytes(&desk.db),
        before,
        "a refused replacement wrote something"
    );

    let replaced = desk.ok(&["remote", "token", "origin", "--token-file", &file]);
    assert!(replaced.contains("1 queued intent(s) kept"), "{replaced}");
    let json = desk.json(&["remote", "list"]);
    assert_eq!(json[0]["pending"], 1, "{json}");
    let bytes = db_bytes(&desk.db);
    for (what, text) in [("the new token", NEW), ("the old token", SECRET)] {
        assert!(!replaced.contains(text), "{what} is printed: {replaced}");
        assert!(
            !bytes.windows(text.len()).any(|w| w == text.as_bytes()),
            "{what} is in the database file"
        );
    }
}

#[test]
fn remote_add_on_a_path_with_no_database_creates_it_and_links_it() {
    let desk = Desk::without_database();
    let file = write_token_file(&desk);
    let added = desk.json(&[
        "remote",
        "add",
        "origin",
        "https://portal.example",
        "--token-file",
        &file,
    ]);
    assert_eq!(added["remote"]["name"], "origin", "{added}");
    assert_eq!(added["queuedApps"], 0, "{added}");
    assert!(desk.db.is_file(), "the database was not created");
    // The oracle: the file itself, read with plain SQL.
    let conn = rusqlite::Connection::open(&desk.db).unwrap();
    let url: String = conn
        .query_row("SELECT url FROM remotes WHERE name = 'origin'", [], |r| {
            r.get(0)
        })
        .unwrap();
    assert_eq!(url, "https://portal.example");
    assert!(
        !db_bytes(&desk.db)
            .windows(SECRET.len())
            .any(|w| w == SECRET.as_bytes()),
        "the token is in the file in plaintext"
    );
}

#[test]
fn a_refused_remote_add_on_a_path_with_no_database_creates_nothing() {
    let desk = Desk::without_database();
    let file = write_token_file(&desk);
    let before = files_in(desk.dir.path());
    for (url, name, field) in [
        ("http://portal.example", "origin", "url"),
        ("https://portal.example", "bad name", "name"),
    ] {
        let out = desk
            .cmd()
            .args(["--json", "remote", "add", name, url, "--token-file", &file])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(1));
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(
            stderr.contains(&format!("\"field\":\"{field}\"")),
            "{stderr}"
        );
        assert_eq!(
            files_in(desk.dir.path()),
            before,
            "{url} {name}: a file appeared"
        );
    }
}

//! Hostile text through the real binary: control characters, invisible names and
//! odd URLs are refused on input; rows another tool wrote print escaped; a name
//! shaped like another app's key cannot redirect a delete.

use crate::common::{CUSTOMERS_R, Desk, new_app_args, text};

/// Characters that must never reach a terminal from a value: ESC, CSI (C1),
/// BEL, NUL, CR, DEL, and the bidi override.
const RAW: [char; 7] = [
    '\u{1b}', '\u{9b}', '\u{7}', '\0', '\r', '\u{7f}', '\u{202e}',
];

fn assert_printable(what: &str, out: &str) {
    if let Some(c) = out.chars().find(|c| RAW.contains(c)) {
        panic!("{what} printed {c:?} raw:\n{out}");
    }
}

#[test]
fn a_name_with_a_newline_cannot_forge_a_row_in_app_list() {
    let desk = Desk::new();
    desk.new_app("Real", &["1234"], &[CUSTOMERS_R]);
    let forged = "Evil\nak1.fake                created  1  ak1.forged  1  1";
    let error = desk.rejects(
        &new_app_args(forged, &["1234"], &[CUSTOMERS_R]),
        "invalid",
        "name",
    );
    assert!(text(&error, "message").contains("U+000A"), "{error}");
    desk.rejects(
        &["app", "new", "--draft", "--name", forged],
        "invalid",
        "name",
    );
    desk.rejects(
        &["app", "edit", "Real", "--name", forged],
        "invalid",
        "name",
    );
    let list = desk.ok(&["app", "list"]);
    assert_eq!(list.lines().count(), 3, "header, one app, total:\n{list}");
    assert!(!list.contains("forged"), "{list}");
}

#[test]
fn escapes_in_names_notes_organizations_and_user_stamps_are_refused() {
    let desk = Desk::new();
    desk.new_app("Board", &["1234"], &[CUSTOMERS_R]);
    let osc = "x\u{1b}]0;pwned\u{7}";
    desk.rejects(
        &["app", "edit", "Board", "--org", osc],
        "invalid",
        "organization",
    );
    desk.rejects(
        &["--user", osc, "app", "edit", "Board", "--org", "O"],
        "invalid",
        "user",
    );
    desk.rejects(
        &["app", "edit", "Board", "--name", "a\u{202e}lanigiro"],
        "invalid",
        "name",
    );
    let error = desk.rejects(
        &new_app_args("N", &["1234=ok\u{1b}[2J"], &[CUSTOMERS_R]),
        "invalid",
        "tenants[0].note",
    );
    assert!(text(&error, "message").contains("U+001B"), "{error}");
    let multi_line = desk.new_app("Notes", &["5678=line 1\nline 2"], &[CUSTOMERS_R]);
    assert_eq!(multi_line["tenants"][0]["note"], "line 1\nline 2");
    let shown = desk.ok(&["app", "show", "Notes"]);
    assert!(
        shown.contains("line 1\\nline 2"),
        "one line per tenant:\n{shown}"
    );
}

#[test]
fn a_name_of_invisible_characters_is_blank() {
    let desk = Desk::new();
    for name in ["\u{200b}", "\u{3164}", "\u{2800}\u{feff}"] {
        let error = desk.rejects(
            &new_app_args(name, &["1234"], &[CUSTOMERS_R]),
            "invalid",
            "name",
        );
        assert!(text(&error, "message").contains("required"), "{error}");
    }
}

#[test]
fn the_homepage_stored_is_the_url_that_was_checked() {
    let desk = Desk::new();
    let mut args = new_app_args("Web", &["1234"], &[CUSTOMERS_R]);
    let at = args.iter().position(|a| *a == "--homepage").unwrap();
    args[at + 1] = "HTTPS:Acme.Example";
    let app = desk.json(&args);
    assert_eq!(app["homepageUrl"], "https://acme.example/");
    for bad in [
        "https://acme.exa\tmple",
        "https://acme.example/\npath",
        "https://a\u{7}b",
    ] {
        let error = desk.rejects(
            &["app", "edit", "Web", "--homepage", bad],
            "invalid",
            "homepageUrl",
        );
        assert!(text(&error, "message").contains("U+00"), "{error}");
    }
    desk.rejects(
        &[
            "app",
            "edit",
            "Web",
            "--homepage",
            "https://me:pw@acme.example",
        ],
        "invalid",
        "homepageUrl",
    );
}

#[test]
fn a_name_shaped_like_another_apps_key_is_refused_and_a_clash_deletes_nothing() {
    let desk = Desk::new();
    let real = desk.new_app("Real", &["1234"], &[CUSTOMERS_R]);
    let other = desk.new_app("Other", &["1234"], &[CUSTOMERS_R]);
    let (key, id) = (text(&real, "appKey"), text(&real, "id"));
    for name in [key, id] {
        let error = desk.rejects(&["app", "edit", "Other", "--name", name], "invalid", "name");
        assert!(
            text(&error, "message").contains("reads as an app"),
            "{error}"
        );
    }
    // A database written elsewhere may still hold such a name.
    write_raw(
        &desk,
        &format!("UPDATE apps SET name = '{key}', name_folded = '{key}' WHERE name = 'Other'"),
    );
    let list_before = desk.json(&["app", "list"]);
    let out = desk.cmd().args(["app", "delete", key]).output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("matches 2 apps"), "{stderr}");
    assert!(
        stderr.contains(id) && stderr.contains(text(&other, "id")),
        "{stderr}"
    );
    assert_eq!(
        desk.json(&["app", "list"]),
        list_before,
        "nothing was deleted"
    );
}

/// Writes hostile values straight into the database, as another tool could.
fn write_raw(desk: &Desk, sql: &str) {
    let conn = rusqlite::Connection::open(&desk.db).expect("open the database");
    conn.execute_batch(sql).expect("write hostile rows");
}

#[test]
fn rows_written_by_another_tool_print_escaped_in_every_text_view() {
    let desk = Desk::new();
    let app = desk.new_app("Board", &["1234"], &[CUSTOMERS_R]);
    let id = text(&app, "id");
    desk.ok(&[
        "conn",
        "connect",
        id,
        "--tenant",
        "1234",
        "--env",
        "integration",
    ]);
    let evil = "'Evil' || char(27) || '[2J' || char(10) || 'FAKE ROW' || char(155) || char(8238)";
    write_raw(
        &desk,
        &format!(
            "UPDATE apps SET name = {evil}, organization = {evil}, homepage_url = {evil};
             UPDATE app_tenants SET note = {evil};
             UPDATE versions SET created_by = {evil};
             UPDATE activity SET user = {evil}, app_name = {evil}, summary = {evil};"
        ),
    );
    let views = [
        ("app list", desk.ok(&["app", "list"]), 3),
        ("app show", desk.ok(&["app", "show", id]), 0),
        ("history", desk.ok(&["app", "history", id]), 3),
        ("log", desk.ok(&["log"]), 0),
        ("conn list", desk.ok(&["conn", "list", id]), 3),
    ];
    for (what, out, lines) in views {
        assert_printable(what, &out);
        assert!(!out.contains("\nFAKE ROW"), "{what} forged a line:\n{out}");
        if lines > 0 {
            assert_eq!(out.lines().count(), lines, "{what}:\n{out}");
        }
        if what != "conn list" {
            assert!(out.contains("Evil\\u{1b}[2J\\nFAKE ROW"), "{what}:\n{out}");
        }
    }
    let error = desk
        .cmd()
        .args(["app", "delete", "nope\u{1b}"])
        .output()
        .unwrap();
    assert_printable("an error", &String::from_utf8_lossy(&error.stderr));
}

#[test]
fn an_error_quoting_hostile_input_stays_on_its_line() {
    let desk = Desk::new();
    let forged = "tn.crm.nope:r\nerror: forged line \u{1b}[2J";
    let args = new_app_args("Board", &["1234"], &[forged, "tn.crm.zzz\n:r"]);
    let out = desk.cmd().args(&args).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert_printable("an error", &stderr);
    assert!(
        stderr
            .lines()
            .all(|l| l.starts_with("error: ") || l.starts_with("  scopes[")),
        "every line is the error or one of its problems:\n{stderr}"
    );
    assert_eq!(stderr.lines().count(), 3, "{stderr}");
    let firsts = stderr.lines().filter(|l| l.starts_with("error: ")).count();
    assert_eq!(firsts, 1, "{stderr}");
}

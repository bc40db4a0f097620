//! The key file that seals client secrets, as a user meets it: a missing or
//! foreign key file fails every command that needs it, names the file expected,
//! and creates and changes nothing; a key file others can read is warned about.

use std::path::PathBuf;

use crate::common::{CUSTOMERS_R, Desk, text};

/// An app with tenants 1234 and 5678, 1234 connected in integration; returns the
/// app id and the client secret shown on connect.
fn connected(desk: &Desk) -> (String, String) {
    let app = desk.new_app("Board", &["1234", "5678"], &[CUSTOMERS_R]);
    let id = text(&app, "id").to_owned();
    let conn = desk.json(&["conn", "connect", &id, "--tenant", "1234"]);
    (id, text(&conn, "clientSecret").to_owned())
}

fn key_file(desk: &Desk) -> PathBuf {
    desk.db.with_extension("key")
}

fn revealed(desk: &Desk, id: &str, extra: &[&str]) -> String {
    let args = [
        &["conn", "show", id, "--tenant", "1234", "--reveal"][..],
        extra,
    ]
    .concat();
    text(&desk.json(&args), "clientSecret").to_owned()
}

#[test]
fn a_missing_key_file_fails_reveal_connect_and_regenerate_and_is_not_recreated() {
    let desk = Desk::new();
    let (id, secret) = connected(&desk);
    let key = key_file(&desk);
    let aside = desk.dir.path().join("moved.key");
    std::fs::rename(&key, &aside).unwrap();
    for args in [
        vec!["conn", "show", &id, "--tenant", "1234", "--reveal"],
        vec!["conn", "connect", &id, "--tenant", "5678"],
        vec!["conn", "regenerate", &id, "--tenant", "1234"],
    ] {
        let error = desk.rejects(&args, "secrets", "key-file");
        let message = text(&error, "message");
        assert!(message.contains(&key.display().to_string()), "{message}");
        assert!(message.contains("missing"), "{message}");
        assert!(!key.exists(), "{args:?} created a key file");
    }
    // Commands that need no key keep working.
    desk.json(&["conn", "show", &id, "--tenant", "1234"]);
    desk.json(&["conn", "disable", &id, "--tenant", "1234"]);
    std::fs::rename(&aside, &key).unwrap();
    assert_eq!(
        revealed(&desk, &id, &[]),
        secret,
        "the old key opens it again"
    );
}

#[test]
fn another_databases_key_file_is_refused_by_connect_and_regenerate() {
    let desk = Desk::new();
    let other = Desk::new();
    let (id, secret) = connected(&desk);
    connected(&other);
    let foreign = key_file(&other);
    let foreign = foreign.to_str().unwrap();
    for args in [
        vec![
            "--key-file",
            foreign,
            "conn",
            "connect",
            &id,
            "--tenant",
            "5678",
        ],
        vec![
            "--key-file",
            foreign,
            "conn",
            "regenerate",
            &id,
            "--tenant",
            "1234",
        ],
        vec![
            "--key-file",
            foreign,
            "conn",
            "show",
            &id,
            "--tenant",
            "1234",
            "--reveal",
        ],
    ] {
        let error = desk.rejects(&args, "secrets", "key-file");
        let message = text(&error, "message");
        assert!(message.contains("not this database's key"), "{message}");
        assert!(message.contains(foreign), "{message}");
    }
    assert_eq!(revealed(&desk, &id, &[]), secret, "the secret is as it was");
}

#[cfg(unix)]
#[test]
fn a_key_file_others_can_read_is_warned_about_on_stderr() {
    use std::os::unix::fs::PermissionsExt;
    let desk = Desk::new();
    let (id, secret) = connected(&desk);
    let key = key_file(&desk);
    std::fs::set_permissions(&key, std::fs::Permissions::from_mode(0o640)).unwrap();
    let out = desk
        .cmd()
        .args(["conn", "show", &id, "--tenant", "1234", "--reveal"])
        .output()
        .unwrap();
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stdout).contains(&secret));
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(
        stderr.starts_with("warning: the key file") && stderr.contains("chmod 600"),
        "{stderr}"
    );
    assert!(stderr.contains(&key.display().to_string()), "{stderr}");
}

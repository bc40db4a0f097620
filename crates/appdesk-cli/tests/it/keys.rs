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

/// A key file that is no regular file (a FIFO nobody writes to, a link to the
/// endless `/dev/zero`, a folder) is refused at once, naming the file, for a
/// read and for a first seal alike: it never hangs or reads without end.
#[cfg(unix)]
#[test]
fn a_key_file_that_is_a_fifo_a_device_or_a_folder_is_refused_without_hanging() {
    let desk = Desk::new();
    let (id, _) = connected(&desk);
    let key = key_file(&desk);
    let fresh = Desk::new();
    fresh.new_app("Board", &["1234"], &[CUSTOMERS_R]);
    let fresh_key = key_file(&fresh);
    let plant = |path: &PathBuf, what: &str| {
        let _ = std::fs::remove_file(path);
        let _ = std::fs::remove_dir(path);
        let status = match what {
            "fifo" => std::process::Command::new("mkfifo").arg(path).status(),
            "device" => std::os::unix::fs::symlink("/dev/zero", path).map(|()| Default::default()),
            _ => std::fs::create_dir(path).map(|()| Default::default()),
        };
        assert!(status.is_ok_and(|s| s.success()), "cannot plant a {what}");
    };
    for what in ["fifo", "device", "folder"] {
        for (desk, key, args) in [
            (
                &desk,
                &key,
                vec!["conn", "show", &id, "--tenant", "1234", "--reveal"],
            ),
            (
                &fresh,
                &fresh_key,
                vec!["conn", "connect", "Board", "--tenant", "1234"],
            ),
        ] {
            plant(key, what);
            let out = desk
                .cmd()
                .args(&args)
                .timeout(std::time::Duration::from_secs(20))
                .output()
                .expect("appdesk runs");
            let stderr = String::from_utf8_lossy(&out.stderr);
            assert_eq!(out.status.code(), Some(1), "{what} {args:?}: {stderr}");
            assert!(
                stderr.starts_with("error: key-file: ")
                    && stderr.contains(&key.display().to_string()),
                "{what} {args:?}: {stderr}"
            );
            assert!(
                stderr.contains("not a regular file"),
                "{what} {args:?}: {stderr}"
            );
        }
    }
    assert!(
        fresh
            .json(&["conn", "list", "Board"])
            .as_array()
            .unwrap()
            .is_empty()
    );
}

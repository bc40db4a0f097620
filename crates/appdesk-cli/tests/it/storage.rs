//! The database file as a user meets it: a mistyped `--db` is refused by reads
//! and creates nothing, `app new` creates a private file, a read-only database
//! serves reads and refuses writes clearly, and sixteen `appdesk` processes can
//! create one database at once.

use std::path::Path;
use std::process::{Command, Stdio};

use serde_json::Value;

use crate::common::{Desk, appdesk, text};

#[test]
fn read_commands_on_a_mistyped_db_say_it_does_not_exist_and_create_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let typo = dir.path().join("tpyo/appdesk.db");
    let plan = dir.path().join("plan.json");
    std::fs::write(&plan, "{}").unwrap();
    let plan = plan.to_str().unwrap();
    for args in [
        vec!["app", "list"],
        vec!["app", "show", "Board"],
        vec!["app", "history", "Board"],
        vec!["conn", "list", "Board"],
        vec!["conn", "show", "Board", "--tenant", "1234", "--reveal"],
        vec!["log"],
        vec!["export", "--all"],
        vec!["import", "--dry-run", plan],
        vec!["app", "delete", "Board"],
    ] {
        let out = appdesk()
            .arg("--json")
            .arg("--db")
            .arg(&typo)
            .args(&args)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(1), "{args:?}");
        let body: Value = serde_json::from_slice(&out.stderr).unwrap();
        assert_eq!(
            (text(&body, "code"), text(&body, "field")),
            ("no_database", "db")
        );
        assert!(
            text(&body, "message").contains(typo.to_str().unwrap()),
            "{body}"
        );
        assert!(
            !dir.path().join("tpyo").exists(),
            "{args:?} created a folder"
        );
    }
}

#[cfg(unix)]
#[test]
fn app_new_creates_a_database_only_its_user_can_read() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("new/folder/a.db");
    appdesk()
        .arg("--db")
        .arg(&db)
        .args(["app", "new", "--draft", "--name", "First"])
        .assert()
        .success();
    let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode(&db), 0o600);
    assert_eq!(mode(&dir.path().join("new/folder")), 0o700);
    assert_eq!(mode(&dir.path().join("new")), 0o700);
}

#[test]
fn sixteen_appdesk_processes_create_one_database_at_once() {
    for round in 0..4 {
        let desk = Desk::without_database();
        // Spawn all before waiting for any, so that the first opens overlap.
        let children: Vec<_> = (0..16)
            .map(|i| {
                Command::new(assert_cmd::cargo::cargo_bin("appdesk"))
                    .arg("--db")
                    .arg(&desk.db)
                    .args(["app", "new", "--draft", "--name", &format!("n{i}")])
                    .stdout(Stdio::piped())
                    .stderr(Stdio::piped())
                    .spawn()
                    .unwrap()
            })
            .collect();
        for child in children {
            let out = child.wait_with_output().unwrap();
            assert!(
                out.status.success(),
                "round {round}: {}",
                String::from_utf8_lossy(&out.stderr)
            );
        }
        let apps = desk.json(&["app", "list"]);
        assert_eq!(apps.as_array().unwrap().len(), 16, "round {round}");
    }
}

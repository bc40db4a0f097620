//! The database file as a user meets it: a mistyped `--db` is refused by reads
//! (a dry run plans against an empty database) and creates nothing, `app new`
//! creates a private file, a read-only database serves reads and refuses
//! writes clearly, and sixteen `appdesk` processes can create one database at
//! once.

use std::path::Path;
use std::process::{Command, Output, Stdio};

use serde_json::Value;

use crate::common::{Desk, appdesk, text};

#[test]
fn commands_but_app_new_and_import_on_a_mistyped_db_say_it_does_not_exist_and_create_nothing() {
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
    // `import --dry-run` plans against an empty database there instead (a
    // newcomer's first command, see exchange.rs), and creates nothing either.
    let out = appdesk()
        .args(["--json", "--db"])
        .arg(&typo)
        .args(["import", "--dry-run", plan])
        .output()
        .unwrap();
    let body: Value = serde_json::from_slice(&out.stderr).unwrap();
    assert_ne!(text(&body, "code"), "no_database", "{body}");
    assert!(
        !dir.path().join("tpyo").exists(),
        "a dry run created a folder"
    );
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

/// Whether file modes bind this process: root (or CAP_DAC_OVERRIDE) reads a file
/// of mode 000. The oracle is the kernel, not the code under test.
#[cfg(unix)]
fn modes_bind_us(dir: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    let probe = dir.join("probe");
    std::fs::write(&probe, "x").unwrap();
    std::fs::set_permissions(&probe, std::fs::Permissions::from_mode(0o000)).unwrap();
    let bound = std::fs::File::open(&probe).is_err();
    std::fs::remove_file(&probe).unwrap();
    bound
}

/// `appdesk --json --db <db> args…`, run as `nobody` when this process ignores
/// file modes (tests run as root here), so that a read-only file really is one.
#[cfg(unix)]
fn run_unprivileged(db: &Path, as_nobody: bool, args: &[&str]) -> Output {
    use std::os::unix::process::CommandExt;
    let mut cmd = Command::new(assert_cmd::cargo::cargo_bin("appdesk"));
    cmd.current_dir("/")
        .arg("--json")
        .arg("--db")
        .arg(db)
        .args(args);
    for var in ["APPDESK_USER", "APPDESK_KEY_FILE", "APPDESK_CATALOG"] {
        cmd.env_remove(var);
    }
    if as_nobody {
        cmd.uid(65534).gid(65534);
    }
    cmd.output().unwrap()
}

#[cfg(unix)]
#[test]
fn a_read_only_database_serves_reads_and_refuses_writes_clearly() {
    use std::os::unix::fs::PermissionsExt;
    // The file read-only in a read-only folder, then in a folder anyone may write.
    for folder_mode in [0o555, 0o777] {
        let desk = Desk::new();
        let app = desk.new_app("Board", &["1234"], &[crate::common::CUSTOMERS_R]);
        let id = text(&app, "id").to_owned();
        desk.json(&["conn", "connect", &id, "--tenant", "1234"]);
        let as_nobody = !modes_bind_us(desk.dir.path());
        let set = |p: &Path, mode| {
            std::fs::set_permissions(p, std::fs::Permissions::from_mode(mode)).unwrap()
        };
        set(&desk.db, 0o444);
        set(desk.dir.path(), folder_mode);
        let bytes = std::fs::read(&desk.db).unwrap();
        let case = format!("folder {folder_mode:o}, as nobody: {as_nobody}");
        // Each read, and a text its output must hold.
        for (args, wanted) in [
            (vec!["app", "list"], "Board"),
            (vec!["app", "show", "Board"], "Board"),
            (vec!["app", "history", "Board"], "tn.crm.customers:r"),
            (vec!["conn", "list", "Board"], "1234"),
            (vec!["log"], "1234"),
            (vec!["export", "--all"], "Board"),
        ] {
            let out = run_unprivileged(&desk.db, as_nobody, &args);
            let stderr = String::from_utf8_lossy(&out.stderr);
            assert!(out.status.success(), "{case}: {args:?}: {stderr}");
            let shown = String::from_utf8_lossy(&out.stdout);
            assert!(shown.contains(wanted), "{case}: {args:?}: {shown}");
        }
        for args in [
            vec!["app", "new", "--draft", "--name", "Another"],
            vec!["app", "edit", "Board", "--name", "Renamed"],
            vec!["conn", "disable", "Board", "--tenant", "1234"],
            vec!["app", "delete", "Board"],
        ] {
            let out = run_unprivileged(&desk.db, as_nobody, &args);
            assert_eq!(out.status.code(), Some(1), "{case}: {args:?}");
            let body: Value = serde_json::from_slice(&out.stderr)
                .unwrap_or_else(|_| panic!("{case}: {}", String::from_utf8_lossy(&out.stderr)));
            assert_eq!(
                (text(&body, "code"), text(&body, "field")),
                ("read_only", "db")
            );
            assert!(text(&body, "message").contains("read-only"), "{body}");
        }
        assert_eq!(
            std::fs::read(&desk.db).unwrap(),
            bytes,
            "{case}: file changed"
        );
        set(desk.dir.path(), 0o755);
    }
}

/// `--db` naming a folder, a FIFO or a device is refused by reads and writes
/// alike, saying it is not a database file, before SQLite touches it: nothing
/// hangs, and no `-journal` or `-wal` file appears beside it.
#[cfg(unix)]
#[test]
fn a_db_path_that_is_a_folder_a_fifo_or_a_device_is_refused_and_nothing_is_created_beside_it() {
    let dir = tempfile::tempdir().unwrap();
    let folder = dir.path().join("folder.db");
    std::fs::create_dir(&folder).unwrap();
    let fifo = dir.path().join("fifo.db");
    let made = Command::new("mkfifo").arg(&fifo).status();
    assert!(made.is_ok_and(|s| s.success()));
    let device = dir.path().join("device.db");
    std::os::unix::fs::symlink("/dev/zero", &device).unwrap();
    let listing = || {
        let mut names: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        names.sort();
        names
    };
    let before = listing();
    for db in [&folder, &fifo, &device] {
        for args in [
            vec!["app", "list"],
            vec!["app", "new", "--name", "X", "--draft"],
        ] {
            let out = appdesk()
                .arg("--json")
                .arg("--db")
                .arg(db)
                .args(&args)
                .timeout(std::time::Duration::from_secs(20))
                .output()
                .unwrap();
            assert_eq!(out.status.code(), Some(1), "{} {args:?}", db.display());
            let body: Value = serde_json::from_slice(&out.stderr).unwrap();
            assert_eq!(body["field"], "db", "{body}");
            let message = text(&body, "message");
            assert!(
                message.contains(&db.display().to_string())
                    && message.contains("not a database file"),
                "{message}"
            );
        }
    }
    assert_eq!(listing(), before, "nothing was created beside them");
}

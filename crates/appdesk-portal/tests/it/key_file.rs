//! The key file that seals client secrets (issue 21 §7): `key init` makes it,
//! once; `serve` never does; a key file others can read, or a damaged one, is
//! refused with a message that says what is wrong and what to run.

use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use std::process::Output;

use crate::common::{cluster, server::portal_command};

fn portal(args: &[&str], key_file: &Path, database: Option<&str>) -> Output {
    let mut cmd = portal_command();
    cmd.args(args).arg("--key-file").arg(key_file);
    if let Some(database) = database {
        cmd.args(["--database", database, "--listen", "127.0.0.1:0"]);
    }
    // A serve that does start is stopped by the timeout below, not awaited.
    let mut child = cmd
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("run appdesk-portal");
    for _ in 0..200 {
        if child.try_wait().unwrap().is_some() {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    let _ = child.kill();
    child.wait_with_output().unwrap()
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn database() -> String {
    let cluster = cluster::shared();
    cluster.url(&cluster.create_database())
}

#[test]
fn serve_without_a_key_file_refuses_and_creates_none() {
    let dir = tempfile::tempdir().unwrap();
    let key = dir.path().join("portal.key");
    let out = portal(&["serve"], &key, Some(&database()));
    assert!(!out.status.success(), "serve refused");
    let text = stderr(&out);
    assert!(text.contains("key init"), "it says how to make one: {text}");
    assert!(!key.exists(), "serve wrote no key file");
}

#[test]
fn key_init_makes_a_private_key_file_once_and_refuses_to_replace_it() {
    let dir = tempfile::tempdir().unwrap();
    let key = dir.path().join("portal.key");
    let out = portal(&["key", "init"], &key, None);
    assert!(out.status.success(), "{}", stderr(&out));
    let first = std::fs::read(&key).expect("the key file");
    assert_eq!(first.len(), 32);
    let mode = std::fs::metadata(&key).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600, "{mode:o}");
    let again = portal(&["key", "init"], &key, None);
    assert!(!again.status.success(), "a second init is refused");
    assert!(stderr(&again).contains("exists"), "{}", stderr(&again));
    assert_eq!(
        std::fs::read(&key).unwrap(),
        first,
        "the key is not replaced"
    );
}

#[test]
fn a_key_file_others_can_read_is_refused_with_the_chmod_to_run() {
    let dir = tempfile::tempdir().unwrap();
    let key = dir.path().join("portal.key");
    assert!(portal(&["key", "init"], &key, None).status.success());
    std::fs::set_permissions(&key, std::fs::Permissions::from_mode(0o640)).unwrap();
    let out = portal(&["serve"], &key, Some(&database()));
    assert!(!out.status.success(), "serve refused");
    let text = stderr(&out);
    let chmod = format!("chmod 600 {}", key.display());
    assert!(text.contains(&chmod), "it says to run {chmod}: {text}");
}

#[test]
fn a_damaged_key_file_is_called_damaged_not_a_failure_of_the_portal() {
    let dir = tempfile::tempdir().unwrap();
    let key = dir.path().join("portal.key");
    std::fs::write(&key, b"not a key").unwrap();
    std::fs::set_permissions(&key, std::fs::Permissions::from_mode(0o600)).unwrap();
    let out = portal(&["serve"], &key, Some(&database()));
    assert!(!out.status.success(), "serve refused");
    let text = stderr(&out);
    assert!(text.contains("damaged"), "{text}");
    assert!(text.contains("portal.key"), "it names the file: {text}");
    assert!(!text.contains("the portal failed"), "{text}");
}

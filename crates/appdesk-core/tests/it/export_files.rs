//! Export files on disk: nothing an export writes goes through a symlink or
//! into a special file planted at one of its names; an earlier export is
//! replaced whole; a refused export writes nothing. (Unix only: the tests plant
//! symlinks and FIFOs.)

#![cfg(unix)]

use std::path::Path;
use std::sync::mpsc;
use std::time::Duration;

use crate::common::{TestDb, input};
use appdesk_core::Error;
use appdesk_core::exchange::{self, ExportFormat};

/// A database with two apps; returns it with the file names an export uses.
fn two_apps() -> (TestDb, Vec<String>) {
    let db = TestDb::new();
    db.store.create_app(&input("Dispatch Board")).unwrap();
    db.store.create_app(&input("Crew Tracker")).unwrap();
    let docs = db.store.export_documents(None, false).unwrap();
    let names = docs.iter().map(exchange::file_name).collect();
    (db, names)
}

fn entries(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

#[test]
fn export_all_refuses_a_symlink_planted_at_a_file_name_and_leaves_its_target() {
    let (db, names) = two_apps();
    let outside = tempfile::tempdir().unwrap();
    let victim = outside.path().join("victim.txt");
    std::fs::write(&victim, "precious\n").unwrap();
    let out = tempfile::tempdir().unwrap();
    std::os::unix::fs::symlink(&victim, out.path().join(&names[1])).unwrap();

    let err = db
        .store
        .export_files(None, out.path(), false, ExportFormat::Appdesk)
        .unwrap_err();
    assert!(matches!(err, Error::Write { .. }), "{err:?}");
    let message = err.to_string();
    assert!(
        message.contains(&names[1]) && message.contains("symbolic link"),
        "{message}"
    );
    assert_eq!(std::fs::read_to_string(&victim).unwrap(), "precious\n");
    assert_eq!(
        entries(out.path()),
        vec![names[1].clone()],
        "nothing else was written, not even the other app's file"
    );
    assert!(
        std::fs::symlink_metadata(out.path().join(&names[1]))
            .unwrap()
            .file_type()
            .is_symlink()
    );
}

#[test]
fn export_of_one_app_refuses_a_symlink_at_the_file_it_names() {
    let (db, _) = two_apps();
    let dir = tempfile::tempdir().unwrap();
    let victim = dir.path().join("victim.txt");
    std::fs::write(&victim, "precious\n").unwrap();
    let link = dir.path().join("board.json");
    std::os::unix::fs::symlink(&victim, &link).unwrap();
    let err = db
        .store
        .export_files(Some("Crew Tracker"), &link, false, ExportFormat::Portal)
        .unwrap_err();
    assert_eq!(err.code(), "io");
    assert!(err.to_string().contains("board.json"), "{err}");
    assert_eq!(std::fs::read_to_string(&victim).unwrap(), "precious\n");
}

#[test]
fn a_fifo_at_an_export_name_is_refused_instead_of_blocking() {
    let (db, names) = two_apps();
    let out = tempfile::tempdir().unwrap();
    let fifo = out.path().join(&names[0]);
    let made = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap();
    assert!(made.success());
    let (send, receive) = mpsc::channel();
    let store = db.store.clone();
    let dir = out.path().to_owned();
    std::thread::spawn(move || {
        let _ = send.send(store.export_files(None, &dir, false, ExportFormat::Appdesk));
    });
    // Not a timing measure: opening a FIFO for writing blocks forever, and a
    // test that hangs tells nothing.
    let result = receive
        .recv_timeout(Duration::from_secs(30))
        .expect("the export returned instead of blocking on the FIFO");
    let err = result.unwrap_err();
    assert!(err.to_string().contains("special file"), "{err}");
    assert_eq!(entries(out.path()), vec![names[0].clone()]);
}

#[test]
fn a_folder_at_a_file_name_is_refused_and_nothing_is_written() {
    let (db, names) = two_apps();
    let out = tempfile::tempdir().unwrap();
    std::fs::create_dir(out.path().join(&names[0])).unwrap();
    let err = db
        .store
        .export_files(None, out.path(), false, ExportFormat::Appdesk)
        .unwrap_err();
    assert!(err.to_string().contains("a folder"), "{err}");
    assert_eq!(entries(out.path()), vec![names[0].clone()]);
}

#[test]
fn exporting_again_replaces_the_earlier_files_and_leaves_no_temporary_file() {
    let (db, names) = two_apps();
    let out = tempfile::tempdir().unwrap();
    let first = db
        .store
        .export_files(None, out.path(), false, ExportFormat::Appdesk)
        .unwrap();
    let docs = db.store.export_documents(None, false).unwrap();
    let id = docs[0].id.clone();
    db.store
        .change_scopes(&id, &["tn.crm.leads:r".to_owned()], &[])
        .unwrap();
    let second = db
        .store
        .export_files(None, out.path(), false, ExportFormat::Appdesk)
        .unwrap();
    assert_eq!(first, second);
    let mut expected = names.clone();
    expected.sort();
    assert_eq!(entries(out.path()), expected, "no temporary file is left");
    let text = std::fs::read_to_string(&second[0]).unwrap();
    assert!(text.contains("tn.crm.leads:r"), "{text}");
}

#[test]
fn a_symlinked_export_folder_named_by_the_user_is_followed() {
    let (db, names) = two_apps();
    let real = tempfile::tempdir().unwrap();
    let links = tempfile::tempdir().unwrap();
    let link = links.path().join("exports");
    std::os::unix::fs::symlink(real.path(), &link).unwrap();
    db.store
        .export_files(None, &link, false, ExportFormat::Appdesk)
        .unwrap();
    let mut expected = names.clone();
    expected.sort();
    assert_eq!(entries(real.path()), expected);
}

#[test]
fn a_hard_link_at_a_file_name_is_replaced_and_the_file_it_shares_is_untouched() {
    let (db, names) = two_apps();
    let base = tempfile::tempdir().unwrap();
    let victim = base.path().join("victim.txt");
    std::fs::write(&victim, "precious\n").unwrap();
    let out = base.path().join("out");
    std::fs::create_dir(&out).unwrap();
    // A hard link is a regular file: the export replaces the name (rename), and
    // never writes into the inode it shares with the victim.
    std::fs::hard_link(&victim, out.join(&names[0])).unwrap();
    let written = db
        .store
        .export_files(None, &out, false, ExportFormat::Appdesk)
        .unwrap();
    assert_eq!(std::fs::read_to_string(&victim).unwrap(), "precious\n");
    let text = std::fs::read_to_string(&written[0]).unwrap();
    assert!(
        text.starts_with("{\n  \"format\": \"appdesk.app/v1\""),
        "{text}"
    );
}

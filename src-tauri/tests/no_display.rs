//! Started where there is no display (a server, an SSH session), the desktop
//! binary says so in one line and exits, instead of the toolkit's panic.

#![cfg(target_os = "linux")]

use std::process::Command;

#[test]
fn without_a_display_it_says_why_and_touches_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("appdesk.db");
    let out = Command::new(env!("CARGO_BIN_EXE_appdesk-desktop"))
        .env_remove("DISPLAY")
        .env_remove("WAYLAND_DISPLAY")
        .env_remove("WAYLAND_SOCKET")
        .env_remove("GDK_BACKEND")
        .env("XDG_RUNTIME_DIR", dir.path())
        .env("APPDESK_DB", &db)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "stderr: {stderr}");
    assert!(
        stderr.contains("no display") && stderr.contains("DISPLAY and WAYLAND_DISPLAY"),
        "stderr: {stderr}"
    );
    assert!(!stderr.contains("panicked"), "stderr: {stderr}");
    assert!(!db.exists(), "no database is created");
}

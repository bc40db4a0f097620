//! Updates end to end: version A installed from its `.deb` (as root), version B
//! served signed from a local HTTP server on 127.0.0.1, the window driven over
//! WebDriver to check, install and restart; and every refusal (tampered bytes,
//! another key, an older version, the wrong package type, 404/500, a stalling
//! server) leaving A installed with a clear message.
//!
//! Run by `scripts/e2e-updates`, which builds A and B as debug bundles signed
//! with the TEST-ONLY key (tests/updates/) and passes their folders in
//! `APPDESK_UPDATE_A` and `APPDESK_UPDATE_B`, a signature of B's `.deb` by
//! another key in `APPDESK_UPDATE_OTHER_SIG`, and one by the test key that names
//! no version in `APPDESK_UPDATE_UNVERSIONED_SIG`. Needs root (dpkg -i).

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use appdesk_e2e::update_server::{Reply, UpdateServer};
use appdesk_e2e::{Desktop, app_processes, eventually, sample_app};

const PACKAGE: &str = "appdesk-update-test";
const INSTALLED_BIN: &str = "/usr/bin/appdesk-desktop";
const NOTES: &str = "B's notes: faster search";

fn dir_of(var: &str) -> PathBuf {
    PathBuf::from(std::env::var_os(var).unwrap_or_else(|| {
        panic!("{var} is not set: run scripts/e2e-updates, which builds the bundles")
    }))
}

/// The one file in `dir` whose name ends with `suffix`.
fn file_in(dir: &Path, suffix: &str) -> PathBuf {
    let found: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.to_string_lossy().ends_with(suffix))
        .collect();
    assert_eq!(
        found.len(),
        1,
        "one *{suffix} in {}: {found:?}",
        dir.display()
    );
    found[0].clone()
}

fn read(path: &Path) -> Vec<u8> {
    std::fs::read(path).unwrap_or_else(|e| panic!("read {}: {e}", path.display()))
}

fn sig(path: &Path) -> String {
    String::from_utf8(read(path)).unwrap().trim().to_owned()
}

/// `dpkg -s`'s Version of the test package.
fn installed_version() -> String {
    let out = std::process::Command::new("dpkg")
        .args(["-s", PACKAGE])
        .output()
        .expect("run dpkg -s");
    let text = String::from_utf8_lossy(&out.stdout);
    text.lines()
        .find_map(|l| l.strip_prefix("Version: "))
        .unwrap_or("(not installed)")
        .to_owned()
}

/// Installs version A from its .deb, as a user would with `dpkg -i`.
fn install_a() -> String {
    let deb = file_in(&dir_of("APPDESK_UPDATE_A"), ".deb");
    let out = std::process::Command::new("dpkg")
        .arg("-i")
        .arg(&deb)
        .output()
        .expect("run dpkg -i");
    assert!(
        out.status.success(),
        "dpkg -i {}: {}",
        deb.display(),
        String::from_utf8_lossy(&out.stderr)
    );
    installed_version()
}

/// A latest.json offering `version` with one platform entry.
fn manifest(version: &str, key: &str, url: &str, signature: &str) -> Reply {
    let json = serde_json::json!({
        "version": version,
        "notes": NOTES,
        "pub_date": "2026-11-30T01:02:03Z",
        "platforms": { key: { "url": url, "signature": signature } }
    });
    Reply::Body(json.to_string().into_bytes(), "application/json")
}

async fn launch(server: &UpdateServer, dir: &Path) -> Desktop {
    let env = [
        ("APPDESK_UPDATE_URL", server.url("latest.json")),
        ("APPDESK_UPDATE_TIMEOUT_SECS", "3".to_owned()),
    ];
    let d = Desktop::launch_with(dir, &env).await;
    d.click("#nav-settings").await;
    d.wait_text("#updates-version", ".").await;
    d
}

async fn check(d: &Desktop) -> String {
    d.click("#updates-check").await;
    d.wait_js("!document.querySelector('#updates-check').disabled && document.querySelector('#updates-result')")
        .await;
    d.text("#updates-result").await
}

async fn install_fails(d: &Desktop, needle: &str) -> String {
    d.click("#updates-install").await;
    d.wait_text("#updates-message", needle).await
}

#[tokio::test]
#[ignore = "needs root, Xvfb and the bundles: run scripts/e2e-updates"]
async fn refused_updates_leave_version_a_installed_with_a_clear_message() {
    let a = install_a();
    let b = dir_of("APPDESK_UPDATE_B");
    let deb = file_in(&b, ".deb");
    let rpm = file_in(&b, ".rpm");
    let good_sig = sig(&file_in(&b, ".deb.sig"));
    let bin_before = read(Path::new(INSTALLED_BIN));
    let server = UpdateServer::start().await;
    let tmp = tempfile::tempdir().unwrap();
    let d = launch(&server, tmp.path()).await;
    let key = "linux-x86_64-deb";
    let unchanged = |case: &str| {
        assert_eq!(installed_version(), a, "{case}: dpkg -s still says A");
        assert!(
            read(Path::new(INSTALLED_BIN)) == bin_before,
            "{case}: binary untouched"
        );
    };

    // 404, then 500: said quietly, nothing offered.
    let said = check(&d).await;
    assert!(said.contains("answered with an error"), "404: {said}");
    server.set("/latest.json", Reply::Status(500));
    let said = check(&d).await;
    assert!(said.contains("answered with an error"), "500: {said}");
    unchanged("404/500");

    // A server that accepts and never answers: a timeout, not a hang.
    server.set("/latest.json", Reply::Stall);
    let started = Instant::now();
    let said = check(&d).await;
    assert!(said.contains("did not answer within 3 s"), "stall: {said}");
    assert!(
        started.elapsed() < Duration::from_secs(12),
        "{:?}",
        started.elapsed()
    );
    unchanged("stall");

    // An older version is not an update.
    let older = manifest("0.0.9", key, &server.url("b.deb"), &good_sig);
    server.set("/latest.json", older);
    let said = check(&d).await;
    assert!(
        said.contains(&format!("{a} is up to date")),
        "older: {said}"
    );
    for nothing_to_install in ["#updates-install", "#update-available"] {
        assert_eq!(
            d.count(nothing_to_install).await,
            0,
            "{nothing_to_install} after an older version"
        );
    }

    // Bytes changed after signing.
    let mut tampered = read(&deb);
    let middle = tampered.len() / 2;
    tampered[middle] ^= 0x55;
    server.set(
        "/tampered.deb",
        Reply::Body(tampered, "application/octet-stream"),
    );
    server.set(
        "/latest.json",
        manifest("0.1.1", key, &server.url("tampered.deb"), &good_sig),
    );
    assert!(check(&d).await.contains("0.1.1 is available"));
    // Until now no check found anything to install; now the header says so.
    d.wait_text("#update-available", "Update 0.1.1 available")
        .await;
    let said = install_fails(&d, "signature").await;
    assert!(said.contains("Nothing was installed"), "tampered: {said}");
    unchanged("tampered");

    // B's real bytes, signed with another key.
    server.set(
        "/b.deb",
        Reply::Body(read(&deb), "application/octet-stream"),
    );
    let other = std::fs::read_to_string(std::env::var("APPDESK_UPDATE_OTHER_SIG").unwrap());
    let other = other.expect("the other key's signature").trim().to_owned();
    server.set(
        "/latest.json",
        manifest("0.1.1", key, &server.url("b.deb"), &other),
    );
    assert!(check(&d).await.contains("0.1.1 is available"));
    install_fails(&d, "signature").await;
    unchanged("other key");

    // B's real bytes and B's own valid signature, offered as a later version:
    // the signature names the version it was made for (requireSignedVersion),
    // so an old release cannot be replayed as a new one.
    server.set(
        "/latest.json",
        manifest("0.2.0", key, &server.url("b.deb"), &good_sig),
    );
    assert!(check(&d).await.contains("0.2.0 is available"));
    let said = install_fails(&d, "is for version 0.1.1").await;
    assert!(said.contains("offered it as 0.2.0"), "replayed: {said}");
    unchanged("replayed as another version");

    // B's real bytes signed with Appdesk's (test) key, but by a signer that did
    // not name the version: refused, since requireSignedVersion is on.
    let unversioned = std::env::var("APPDESK_UPDATE_UNVERSIONED_SIG").unwrap();
    let unversioned = sig(Path::new(&unversioned));
    server.set(
        "/latest.json",
        manifest("0.1.1", key, &server.url("b.deb"), &unversioned),
    );
    assert!(check(&d).await.contains("0.1.1 is available"));
    install_fails(&d, "does not name the version it was signed for").await;
    unchanged("no signed version");

    // A validly signed .rpm offered to this .deb install.
    let rpm_sig = sig(&file_in(&b, ".rpm.sig"));
    server.set(
        "/b.rpm",
        Reply::Body(read(&rpm), "application/octet-stream"),
    );
    server.set(
        "/latest.json",
        manifest("0.1.1", key, &server.url("b.rpm"), &rpm_sig),
    );
    assert!(check(&d).await.contains("0.1.1 is available"));
    install_fails(&d, "not a .deb package").await;
    unchanged("rpm as deb");

    // A manifest with an .rpm entry only: nothing for this install.
    let rpm_only = manifest("0.1.1", "linux-x86_64-rpm", &server.url("b.rpm"), &rpm_sig);
    server.set("/latest.json", rpm_only);
    let said = check(&d).await;
    assert!(
        said.contains("no package for this kind of install"),
        "{said}"
    );
    assert!(said.contains(key), "names the key it looked for: {said}");
    unchanged("rpm only");

    // A payload on plain http to a host that is not loopback (192.0.2.7 is
    // TEST-NET-1): refused at the check, with nothing to install.
    let plain = manifest("0.1.1", key, "http://192.0.2.7/b.deb", &good_sig);
    server.set("/latest.json", plain);
    let said = check(&d).await;
    assert!(
        said.contains("plain http is accepted only for a loopback address"),
        "http payload: {said}"
    );
    assert_eq!(d.count("#updates-install").await, 0);
    unchanged("http payload");
    d.close().await;

    // The endpoint itself on plain http to a host that is not loopback.
    let env = [(
        "APPDESK_UPDATE_URL",
        "http://192.0.2.7/latest.json".to_owned(),
    )];
    let d = Desktop::launch_with(tmp.path(), &env).await;
    d.click("#nav-settings").await;
    let said = check(&d).await;
    assert!(
        said.contains("loopback") && said.contains("use https for 192.0.2.7"),
        "http endpoint: {said}"
    );
    unchanged("http endpoint");
    d.close().await;
}

#[tokio::test]
#[ignore = "needs root, Xvfb and the bundles: run scripts/e2e-updates"]
async fn version_b_is_offered_installed_and_running_after_restart_with_data_kept() {
    let a = install_a();
    let b = dir_of("APPDESK_UPDATE_B");
    let latest: serde_json::Value = serde_json::from_slice(&read(&b.join("latest.json"))).unwrap();
    let b_version = latest["version"].as_str().unwrap().to_owned();
    assert_ne!(a, b_version);
    let deb = file_in(&b, ".deb");
    let server = UpdateServer::start().await;
    server.set(
        "/b.deb",
        Reply::Body(read(&deb), "application/octet-stream"),
    );
    let sig = sig(&file_in(&b, ".deb.sig"));
    let offer = serde_json::json!({
        "version": b_version, "notes": NOTES, "pub_date": "2026-11-30T01:02:03Z",
        "platforms": { "linux-x86_64-deb": { "url": server.url("b.deb"), "signature": sig } }
    });
    server.set(
        "/latest.json",
        Reply::Body(offer.to_string().into_bytes(), "application/json"),
    );

    // Data made by A: an app with a sealed client secret (so a key file exists).
    let tmp = tempfile::tempdir().unwrap();
    let store = appdesk_e2e::open_store(tmp.path());
    let app = store
        .create_app(&sample_app("Kept Across Updates", "n"))
        .unwrap();
    store
        .connect(&app.id, "1234", appdesk_core::Environment::Integration)
        .unwrap();
    drop(store);
    let key_file = tmp.path().join("appdesk.key");
    let key_made = read(&key_file);

    let d = launch(&server, tmp.path()).await;
    assert_eq!(d.text("#updates-version").await, a);
    // The start-up check (on by default) found B: the header says so.
    let chip = d.wait_text("#update-available", &b_version).await;
    assert_eq!(chip.trim(), format!("Update {b_version} available"));
    let started = Instant::now();
    let said = check(&d).await;
    let check_time = started.elapsed();
    assert!(
        said.contains(&format!("{b_version} is available")),
        "{said}"
    );
    d.wait_text("#updates-notes", NOTES).await;
    // Settings offering B, and the header's chip, pass axe in both themes.
    let mut problems = Vec::new();
    for theme in ["light", "dark"] {
        d.choose_theme(theme).await;
        d.check_screen(&format!("update-available-{theme}"), theme, &mut problems)
            .await;
    }
    d.choose_theme("system").await;
    assert!(problems.is_empty(), "axe: {problems:#?}");
    let started = Instant::now();
    d.click("#updates-install").await;
    d.wait_text("#updates-message", "signature verified").await;
    let install_time = started.elapsed();
    eprintln!(
        "FIGURES: check to available {check_time:?}; download, verify and dpkg -i {install_time:?} \
         ({} bytes)",
        read(&deb).len()
    );
    assert_eq!(installed_version(), b_version, "dpkg -s says B");
    let old_pid = d.app_pid().expect("the app's process");
    // The app exits while the click is answered, so the driver may report an error.
    let restart = d.find("#updates-restart").await;
    let _ = restart.click().await;

    // The restart: a new process of the installed (new) binary, on the same data.
    let new_pid = eventually("a new app process after the restart", || {
        let now = app_processes(&d.db);
        now.iter()
            .copied()
            .find(|p| *p != old_pid)
            .ok_or(format!("{now:?}"))
    })
    .await;
    let exe = std::fs::read_link(format!("/proc/{new_pid}/exe")).unwrap();
    assert_eq!(
        exe,
        Path::new(INSTALLED_BIN),
        "the restarted app runs the installed binary"
    );

    // B carries one more schema migration than A (the core's test-only
    // `update-test-migration`, which records the apps it found): the restarted
    // app migrated A's database.
    let db = tmp.path().join("appdesk.db");
    let a_schema = appdesk_core::store::migrate::latest();
    eventually("B migrates A's database", || {
        let now = schema_of(&db);
        (now.0 == a_schema + 1)
            .then_some(())
            .ok_or(format!("{now:?}"))
    })
    .await;
    assert_eq!(
        schema_of(&db).1,
        std::slice::from_ref(&app.id),
        "B's migration ran on A's data"
    );
    d.close().await;

    // A fresh window of the installed app reports B, opens the database B
    // migrated, and still has A's data.
    let d = launch(&server, tmp.path()).await;
    assert_eq!(d.text("#updates-version").await, b_version);
    assert_eq!(installed_version(), b_version);
    d.wait_js(
        "document.querySelector('.app-row[data-app-name]')?.dataset.appName \
         === 'Kept Across Updates'",
    )
    .await;
    assert_eq!(schema_of(&db), (a_schema + 1, vec![app.id.clone()]));
    let connections: i64 = sqlite(&db)
        .query_row(
            "SELECT count(*) FROM connections WHERE app_id = ?1",
            [&app.id],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(connections, 1, "the connection is kept");
    assert!(read(&key_file) == key_made, "key file untouched");
    d.close().await;
    install_a();
}

/// The database read with plain SQLite, read-only (the test's own core would
/// refuse a schema newer than it knows).
fn sqlite(db: &Path) -> rusqlite::Connection {
    rusqlite::Connection::open_with_flags(db, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)
        .unwrap_or_else(|e| panic!("open {}: {e}", db.display()))
}

/// The database's schema version, and the apps B's test-only migration
/// recorded (none before it ran).
fn schema_of(db: &Path) -> (i64, Vec<String>) {
    let conn = sqlite(db);
    let version: i64 = conn
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .unwrap();
    let migrated = conn
        .prepare("SELECT app_id FROM update_test_migrated ORDER BY app_id")
        .and_then(|mut s| s.query_map([], |r| r.get(0))?.collect())
        .unwrap_or_default();
    (version, migrated)
}

/// `scripts/release` run with `args` and `env` (no signing key unless given);
/// its exit status and its standard error.
fn release(args: &[&str], env: &[(&str, &str)]) -> (bool, String) {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let out = std::process::Command::new(repo.join("scripts/release"))
        .args(args)
        .env_remove("TAURI_SIGNING_PRIVATE_KEY")
        .env_remove("TAURI_SIGNING_PRIVATE_KEY_PATH")
        .envs(env.iter().copied())
        .current_dir(&repo)
        .output()
        .expect("run scripts/release");
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn release_refuses_test_only_features_outside_a_debug_build() {
    let (ok, said) = release(&["--features", "update-test-migration"], &[]);
    assert!(!ok);
    assert!(
        said.contains("--features update-test-migration")
            && said.contains("accepted with --debug only"),
        "{said}"
    );
}

#[test]
fn release_refuses_a_signing_key_file_inside_the_repository() {
    let key = Path::new(env!("CARGO_MANIFEST_DIR")).join("updates/TEST-ONLY-updater.key");
    let (ok, said) = release(
        &["--debug"],
        &[("TAURI_SIGNING_PRIVATE_KEY", key.to_str().unwrap())],
    );
    assert!(!ok);
    assert!(said.contains("a file inside the repository"), "{said}");
}

#[test]
fn release_refuses_to_build_unsigned() {
    let (ok, said) = release(&["--debug"], &[]);
    assert!(!ok);
    assert!(
        said.contains("TAURI_SIGNING_PRIVATE_KEY is not set"),
        "{said}"
    );
}

//! Finding the workspace's binaries from any crate's tests or benches.
//!
//! Cargo gives `CARGO_BIN_EXE_<name>` only to a package's own tests, but the sync
//! tests of the CLI need `appdesk-portal` and the portal's need nothing else: so a
//! binary is found beside the running test executable
//! (`target/<profile>/deps/it-…` → `target/<profile>/NAME`). When cargo runs us
//! (`CARGO` is set) the binary is first brought up to date with
//! `$CARGO build -p PKG --bin NAME`, once per process, so `cargo test -p
//! appdesk-cli` alone never runs a missing or stale portal.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::{Mutex, OnceLock};

/// The `appdesk-portal` server binary of this build.
pub fn portal() -> PathBuf {
    sibling("appdesk-portal", "appdesk-portal")
}

/// The `appdesk` CLI binary of this build.
pub fn appdesk() -> PathBuf {
    sibling("appdesk-cli", "appdesk")
}

/// The binary `name` of package `package`, beside the running executable, built
/// (or rebuilt when stale) through cargo when cargo runs this process.
pub fn sibling(package: &str, name: &str) -> PathBuf {
    static DONE: OnceLock<Mutex<HashMap<String, PathBuf>>> = OnceLock::new();
    let done = DONE.get_or_init(|| Mutex::new(HashMap::new()));
    let mut done = done.lock().unwrap_or_else(|e| e.into_inner());
    if let Some(path) = done.get(name) {
        return path.clone();
    }
    let profile_dir = profile_dir();
    let path = profile_dir.join(name);
    if let Some(cargo) = std::env::var_os("CARGO") {
        build(Path::new(&cargo), &profile_dir, package, name);
    }
    assert!(
        path.is_file(),
        "{name} is not built at {} (run `cargo build -p {package} --bin {name}`)",
        path.display()
    );
    done.insert(name.to_owned(), path.clone());
    path
}

/// `target/<profile>`: the directory of the running test or bench executable,
/// one up when it is in `deps/`.
fn profile_dir() -> PathBuf {
    let exe = std::env::current_exe().expect("the path of the running executable");
    let dir = exe.parent().expect("an executable has a directory");
    if dir.file_name().is_some_and(|n| n == "deps") {
        dir.parent().expect("deps has a parent").to_owned()
    } else {
        dir.to_owned()
    }
}

/// `$CARGO build -p PKG --bin NAME` into the same target dir and profile as the
/// running executable (`target/release` is where `cargo bench` puts its build).
fn build(cargo: &Path, profile_dir: &Path, package: &str, name: &str) {
    let target_dir = profile_dir.parent().expect("a profile dir has a parent");
    let profile = match profile_dir.file_name().and_then(|n| n.to_str()) {
        Some("debug") => "dev",
        Some("release") => "bench",
        Some(other) => other,
        None => "dev",
    };
    let out = Command::new(cargo)
        .args(["build", "--quiet", "-p", package, "--bin", name])
        .args(["--profile", profile])
        .arg("--target-dir")
        .arg(target_dir)
        .output()
        .unwrap_or_else(|e| panic!("cannot run {} build: {e}", cargo.display()));
    assert!(
        out.status.success(),
        "cargo build -p {package} --bin {name} failed:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

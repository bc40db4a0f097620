//! Helpers for the end-to-end tests: the real `appdesk-desktop` debug binary in
//! a real window (under Xvfb), driven over WebDriver through tauri-driver and
//! WebKitWebDriver, on a database in a temp dir.
//!
//! [`Desktop::launch`] starts a tauri-driver of its own on free ports, with the
//! app's environment (`APPDESK_DB`, `APPDESK_USER`, `APPDESK_KEY_FILE`) set so
//! that the app inherits it, and opens a session. [`Desktop::close`] ends the
//! session and stops tauri-driver with SIGTERM, which also stops its
//! WebKitWebDriver (SIGKILL would leave that running, holding its port). If a
//! test panics first, `Drop` does the same and ends the app processes that this
//! launch started (found by their `APPDESK_DB`, never by name).

mod app_page;
mod axe;
pub mod bench;
mod browser;
pub mod console;
mod dialogs;
mod page;
mod process;
#[cfg(target_os = "linux")]
mod screen;
pub mod update_server;

use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use appdesk_core::{AppInput, Store, StoreOptions, TenantEntry};
use fantoccini::ClientBuilder;
use hyper_util::client::legacy::connect::HttpConnector;
use tempfile::TempDir;

pub use browser::Browser;
pub use page::{Page, Shots};
pub use process::{DriverProcess, app_processes, web_process_environment};
#[cfg(target_os = "linux")]
pub use screen::window_title;

/// How long to wait for the window to show something before failing.
pub const PATIENCE: Duration = Duration::from_secs(15);

/// The workspace root (this crate is `tests/` in it).
pub fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("tests/ is in the workspace")
        .to_owned()
}

/// The store of a window launched on `dir` (its `appdesk.db` and `appdesk.key`),
/// opened from the test as the CLI in another process would, stamping changes
/// "cli-user".
pub fn open_store(dir: &Path) -> Store {
    store_at(&dir.join("appdesk.db"), &dir.join("appdesk.key"))
}

fn store_at(db: &Path, key_file: &Path) -> Store {
    let options = StoreOptions {
        key_file: Some(key_file.to_owned()),
        user: Some("cli-user".into()),
        catalog: None,
    };
    Store::open(db, options).expect("open the test's store")
}

/// A valid app of organization "Acme": tenant 1234 with `tenant_note`, and
/// CRM › Customers (View).
pub fn sample_app(name: &str, tenant_note: &str) -> AppInput {
    AppInput {
        name: name.into(),
        organization: "Acme".into(),
        homepage_url: "https://acme.example".into(),
        tenants: vec![TenantEntry::new("1234", tenant_note)],
        scopes: vec!["tn.crm.customers:r".into()],
        ..AppInput::default()
    }
}

/// The desktop binary: `APPDESK_DESKTOP_BIN`, else `target/debug/appdesk-desktop`.
pub fn binary() -> PathBuf {
    built_binary("APPDESK_DESKTOP_BIN", "appdesk-desktop")
}

/// The CLI binary: `APPDESK_CLI_BIN`, else `target/debug/appdesk`.
pub fn cli_binary() -> PathBuf {
    built_binary("APPDESK_CLI_BIN", "appdesk")
}

fn built_binary(variable: &str, name: &str) -> PathBuf {
    if let Some(path) = std::env::var_os(variable) {
        return PathBuf::from(path);
    }
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| workspace().join("target"));
    target.join("debug").join(name)
}

/// Where screenshots go: `test-output/` at the workspace root (git-ignored).
pub fn output_dir() -> PathBuf {
    let dir = workspace().join("test-output");
    std::fs::create_dir_all(&dir).expect("create test-output/");
    dir
}

/// A free TCP port on 127.0.0.1 (free when asked; good enough for a test run).
pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port")
}

/// One running app, its database and its WebDriver session.
#[derive(Debug)]
pub struct Desktop {
    page: Page,
    pub db: PathBuf,
    pub key_file: PathBuf,
    driver: DriverProcess,
    dir: Option<TempDir>,
}

impl Desktop {
    /// Launches the app on an empty database.
    pub async fn launch() -> Desktop {
        Desktop::launch_in(tempfile::tempdir().expect("temp dir")).await
    }

    /// Launches the app on `dir/appdesk.db` (which a test may have filled);
    /// the directory is removed with the `Desktop`.
    pub async fn launch_in(dir: TempDir) -> Desktop {
        let mut d = Desktop::launch_on(dir.path()).await;
        d.dir = Some(dir);
        d
    }

    /// Launches the app on `dir/appdesk.db`, leaving `dir` in place.
    pub async fn launch_on(dir: &Path) -> Desktop {
        Desktop::launch_with(dir, &[]).await
    }

    /// [`Desktop::launch_on`] with more environment variables for the app (for
    /// one, `APPDESK_E2E_DIALOG`, which answers file dialogs in an app built
    /// with the `e2e-dialogs` feature).
    pub async fn launch_with(dir: &Path, extra_env: &[(&str, String)]) -> Desktop {
        let db = dir.join("appdesk.db");
        let key_file = dir.join("appdesk.key");
        let bin = binary();
        assert!(
            bin.exists(),
            "{} is missing: build it first (scripts/e2e does)",
            bin.display()
        );
        let env = [
            ("APPDESK_DB", db.display().to_string()),
            ("APPDESK_KEY_FILE", key_file.display().to_string()),
            ("APPDESK_USER", "e2e-tester".to_owned()),
        ];
        let env: Vec<(&str, String)> = env.into_iter().chain(extra_env.iter().cloned()).collect();
        let caps = serde_json::json!({
            "tauri:options": { "application": bin.display().to_string() }
        });
        let caps = caps.as_object().expect("an object").clone();
        // On a loaded machine tauri-driver can drop the first session request
        // while its WebKitWebDriver is still starting (seen as hyper's
        // IncompleteMessage); a fresh driver on fresh ports then succeeds.
        let mut failures = Vec::new();
        let (client, driver) = loop {
            let port = free_port();
            let driver = DriverProcess::start(port, free_port(), &env, &db);
            wait_for_port(port);
            match ClientBuilder::new(HttpConnector::new())
                .capabilities(caps.clone())
                .connect(&format!("http://127.0.0.1:{port}"))
                .await
            {
                Ok(client) => break (client, driver),
                Err(e) if failures.len() < 2 => {
                    failures.push(e.to_string());
                    drop(driver);
                    tokio::time::sleep(Duration::from_secs(1)).await;
                }
                Err(e) => {
                    panic!("a WebDriver session with the app: {e} (earlier tries: {failures:?})")
                }
            }
        };
        Desktop {
            page: Page {
                client,
                shots: Shots::Display,
            },
            db,
            key_file,
            driver,
            dir: None,
        }
    }

    /// This window's store, opened from the test as [`open_store`] does.
    pub fn store(&self) -> Store {
        store_at(&self.db, &self.key_file)
    }

    /// Runs the real `appdesk` CLI on this window's database and key file, as a
    /// user in a terminal would; panics with its stderr unless it succeeds.
    pub fn cli(&self, args: &[&str]) -> String {
        let bin = cli_binary();
        let out = std::process::Command::new(&bin)
            .arg("--db")
            .arg(&self.db)
            .arg("--key-file")
            .arg(&self.key_file)
            .args(args)
            .env("APPDESK_USER", "cli-user")
            .output()
            .unwrap_or_else(|e| {
                panic!(
                    "run {} (build it with cargo build -p appdesk-cli): {e}",
                    bin.display()
                )
            });
        assert!(
            out.status.success(),
            "appdesk {args:?} failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    /// `appdesk app new NAME` in this window's database (organization "Acme",
    /// tenant 1234, CRM › Customers View), as a user in a terminal would.
    pub fn cli_new_app(&self, name: &str) -> String {
        self.cli(&[
            "app",
            "new",
            "--name",
            name,
            "--org",
            "Acme",
            "--homepage",
            "https://acme.example",
            "--tenant",
            "1234",
            "--scope",
            "tn.crm.customers:r",
        ])
    }

    /// The app's process id (the binary WebDriver started for this launch).
    pub fn app_pid(&self) -> Option<u32> {
        app_processes(&self.db).into_iter().min()
    }

    /// Ends the session (which closes the app) and stops tauri-driver.
    pub async fn close(self) {
        let Desktop { page, driver, .. } = self;
        let _ = page.client.close().await;
        driver.stop();
    }
}

/// The window's page: what a test finds, reads, clicks and types in it.
impl std::ops::Deref for Desktop {
    type Target = Page;

    fn deref(&self) -> &Page {
        &self.page
    }
}

/// Polls `check` (something outside the window: a file, a process, the
/// database) until it gives `Ok`, for up to [`PATIENCE`]; panics saying `what`
/// was awaited and the last `Err`, what was seen instead.
pub async fn eventually<T>(what: &str, mut check: impl FnMut() -> Result<T, String>) -> T {
    let start = Instant::now();
    loop {
        match check() {
            Ok(found) => return found,
            Err(seen) if start.elapsed() >= PATIENCE => {
                panic!("{what}: not within {PATIENCE:?}; last seen: {seen}")
            }
            Err(_) => tokio::time::sleep(Duration::from_millis(50)).await,
        }
    }
}

/// WebDriver key codes, for `send_keys`.
pub const CONTROL: &str = "\u{E009}";
pub const ESCAPE: &str = "\u{E00C}";
pub const ENTER: &str = "\u{E007}";
pub const TAB: &str = "\u{E004}";
pub const ARROW_UP: &str = "\u{E013}";
pub const ARROW_DOWN: &str = "\u{E015}";
/// Releases held modifier keys.
pub const RELEASE: &str = "\u{E000}";

pub(crate) fn wait_for_port(port: u16) {
    let start = Instant::now();
    while start.elapsed() < PATIENCE {
        if TcpStream::connect(("127.0.0.1", port)).is_ok() {
            return;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    panic!("the WebDriver server did not listen on port {port} within {PATIENCE:?}");
}

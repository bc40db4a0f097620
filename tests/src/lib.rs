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
mod dialogs;
mod process;
#[cfg(target_os = "linux")]
mod screen;
pub mod update_server;

use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use appdesk_core::{AppInput, Store, StoreOptions, TenantEntry};
use fantoccini::elements::Element;
use fantoccini::{Client, ClientBuilder, Locator};
use hyper_util::client::legacy::connect::HttpConnector;
use tempfile::TempDir;

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
    pub client: Client,
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
            client,
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

    /// The element matching `css`, waiting for it to appear.
    pub async fn find(&self, css: &str) -> Element {
        match self
            .client
            .wait()
            .at_most(PATIENCE)
            .for_element(Locator::Css(css))
            .await
        {
            Ok(el) => el,
            Err(e) => {
                self.failure_screenshot().await;
                panic!("no element {css:?} within {PATIENCE:?}: {e} (see test-output/FAILED.png)")
            }
        }
    }

    /// The text of the element matching `css`, once it is there.
    pub async fn text(&self, css: &str) -> String {
        self.find(css)
            .await
            .text()
            .await
            .unwrap_or_else(|e| panic!("text of {css:?}: {e}"))
    }

    /// Waits until the text of `css` contains `needle`; returns the text.
    pub async fn wait_text(&self, css: &str, needle: &str) -> String {
        let start = Instant::now();
        let mut last = String::new();
        while start.elapsed() < PATIENCE {
            if let Ok(el) = self.client.find(Locator::Css(css)).await
                && let Ok(text) = el.text().await
            {
                if text.contains(needle) {
                    return text;
                }
                last = text;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        self.failure_screenshot().await;
        panic!(
            "{css:?} never contained {needle:?}; last text: {last:?} (see test-output/FAILED.png)"
        );
    }

    /// How many elements match `css` now (no waiting).
    pub async fn count(&self, css: &str) -> usize {
        self.client
            .find_all(Locator::Css(css))
            .await
            .map_or(0, |found| found.len())
    }

    /// Waits until `script` (a JS expression) is truthy; returns its value.
    pub async fn wait_js(&self, script: &str) -> serde_json::Value {
        let start = Instant::now();
        let wrapped = format!("return ({script});");
        let mut last = serde_json::Value::Null;
        while start.elapsed() < PATIENCE {
            if let Ok(v) = self.client.execute(&wrapped, vec![]).await {
                let truthy =
                    !matches!(&v, serde_json::Value::Null | serde_json::Value::Bool(false))
                        && v != serde_json::json!(0)
                        && v != serde_json::json!("");
                if truthy {
                    return v;
                }
                last = v;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        self.failure_screenshot().await;
        panic!("{script:?} never became true; last value: {last} (see test-output/FAILED.png)");
    }

    /// Clicks the element; if something covers it (a sticky header over it in
    /// a small window), centres it in its scroller and clicks once more.
    pub async fn click(&self, css: &str) {
        let el = self.find(css).await;
        if el.clone().click().await.is_ok() {
            return;
        }
        let arg = serde_json::to_value(&el).expect("an element reference");
        let _ = self
            .client
            .execute(
                "arguments[0].scrollIntoView({ block: 'center', inline: 'center' });",
                vec![arg],
            )
            .await;
        el.click()
            .await
            .unwrap_or_else(|e| panic!("click {css:?}: {e}"));
    }

    pub async fn type_into(&self, css: &str, text: &str) {
        self.find(css)
            .await
            .send_keys(text)
            .await
            .unwrap_or_else(|e| panic!("type into {css:?}: {e}"));
    }

    /// Replaces an input's text: empties it (as a user deleting it would, with
    /// an `input` event), then types `text`.
    pub async fn retype(&self, css: &str, text: &str) {
        let el = self.find(css).await;
        let arg = serde_json::to_value(&el).expect("an element reference");
        self.client
            .execute(
                "arguments[0].value = ''; \
                 arguments[0].dispatchEvent(new Event('input', { bubbles: true }));",
                vec![arg],
            )
            .await
            .unwrap_or_else(|e| panic!("empty {css:?}: {e}"));
        if text.is_empty() {
            return;
        }
        el.send_keys(text)
            .await
            .unwrap_or_else(|e| panic!("type into {css:?}: {e}"));
    }

    /// Scrolls the element matching `css` to the top of its scroll area.
    pub async fn show(&self, css: &str) {
        let el = self.find(css).await;
        let arg = serde_json::to_value(&el).expect("an element reference");
        // Wait two frames, so that a screenshot shows the scrolled page.
        let _ = self
            .client
            .execute_async(
                "const [el, done] = arguments; el.scrollIntoView({ block: 'start' }); \
                 requestAnimationFrame(() => requestAnimationFrame(() => done(true)));",
                vec![arg],
            )
            .await;
    }

    /// Saves a PNG of the window, as shown on the display, as
    /// `test-output/NAME.png`, once the page has painted two more frames.
    pub async fn screenshot(&self, name: &str) {
        self.try_screenshot(name)
            .await
            .unwrap_or_else(|e| panic!("screenshot {name}: {e}"));
    }

    /// The screenshot of a failing step: best effort, so that its own trouble
    /// (a page too stuck to paint) never hides the failure being reported.
    async fn failure_screenshot(&self) {
        if let Err(e) = self.try_screenshot("FAILED").await {
            eprintln!("(no screenshot of the failure: {e})");
        }
    }

    async fn try_screenshot(&self, name: &str) -> Result<(), String> {
        let size = self
            .client
            .execute_async(
                "const [done] = arguments; requestAnimationFrame(() => \
                 requestAnimationFrame(() => done([innerWidth, innerHeight])));",
                vec![],
            )
            .await
            .map_err(|e| format!("wait for a frame: {e}"))?;
        #[cfg(target_os = "linux")]
        let png = screen::capture_png(
            size[0]
                .as_u64()
                .zip(size[1].as_u64())
                .and_then(|(w, h)| Some((u16::try_from(w).ok()?, u16::try_from(h).ok()?))),
        )?;
        #[cfg(not(target_os = "linux"))]
        let png = self.client.screenshot().await.map_err(|e| e.to_string())?;
        // The picture is of the app's window: its size is the page's.
        let shot = png_size(&png);
        let page = (size[0].as_u64(), size[1].as_u64());
        if shot.map(|(w, h)| (Some(u64::from(w)), Some(u64::from(h)))) != Some(page) {
            return Err(format!("the picture is {shot:?} pixels, the page {page:?}"));
        }
        let path = output_dir().join(format!("{name}.png"));
        std::fs::write(&path, png).map_err(|e| format!("write {}: {e}", path.display()))
    }

    /// Ends the session (which closes the app) and stops tauri-driver.
    pub async fn close(self) {
        let Desktop { client, driver, .. } = self;
        let _ = client.close().await;
        driver.stop();
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
pub const ARROW_UP: &str = "\u{E013}";
pub const ARROW_DOWN: &str = "\u{E015}";
/// Releases held modifier keys.
pub const RELEASE: &str = "\u{E000}";

fn wait_for_port(port: u16) {
    let start = Instant::now();
    while start.elapsed() < PATIENCE {
        if TcpStream::connect(("127.0.0.1", port)).is_ok() {
            return;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    panic!("tauri-driver did not listen on port {port} within {PATIENCE:?}");
}

/// A PNG's width and height, from its header.
fn png_size(png: &[u8]) -> Option<(u32, u32)> {
    let header = png.get(..24)?;
    if &header[..8] != b"\x89PNG\r\n\x1a\n" || &header[12..16] != b"IHDR" {
        return None;
    }
    let word = |at: usize| {
        u32::from_be_bytes([header[at], header[at + 1], header[at + 2], header[at + 3]])
    };
    Some((word(16), word(20)))
}

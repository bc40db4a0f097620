//! Debian's Chromium over WebDriver (`chromium-driver`), headless, for the
//! portal's console: the real browser a customer's admin would use, on a page
//! served by the real portal on 127.0.0.1.
//!
//! Each [`Browser`] starts its own chromedriver on a free port and one session
//! (a fresh profile, so no cookie leaks between tests); [`Browser::close`], or
//! `Drop` after a panic, ends the session and the driver.

use std::process::{Child, Command, Stdio};

use fantoccini::ClientBuilder;
use fantoccini::cookies::Cookie;
use hyper_util::client::legacy::connect::HttpConnector;

use crate::{Page, Shots, free_port, wait_for_port};

/// The browser, and the driver that speaks WebDriver for it.
#[derive(Debug)]
pub struct Browser {
    page: Page,
    driver: Child,
}

/// Chromium's binary (`APPDESK_CHROMIUM`, else Debian's).
fn chromium() -> String {
    std::env::var("APPDESK_CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into())
}

impl Browser {
    /// Starts chromedriver and a headless Chromium session, 1280×900.
    pub async fn start() -> Browser {
        let program = std::env::var("CHROMEDRIVER").unwrap_or_else(|_| "chromedriver".into());
        let port = free_port();
        let mut driver = Command::new(&program)
            .arg(format!("--port={port}"))
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| {
                panic!("cannot start {program} (apt-get install chromium chromium-driver): {e}")
            });
        wait_for_port(port);
        // --no-sandbox: CI runs as root, where Chromium's sandbox refuses to start.
        let caps = serde_json::json!({
            "browserName": "chrome",
            "goog:chromeOptions": {
                "binary": chromium(),
                "args": ["--headless=new", "--no-sandbox", "--window-size=1280,900",
                         "--disable-dev-shm-usage", "--disable-gpu"],
            }
        });
        let caps = caps.as_object().expect("an object").clone();
        let client = match ClientBuilder::new(HttpConnector::new())
            .capabilities(caps)
            .connect(&format!("http://127.0.0.1:{port}"))
            .await
        {
            Ok(client) => client,
            Err(e) => {
                let _ = driver.kill();
                let _ = driver.wait();
                panic!("a WebDriver session with Chromium: {e}")
            }
        };
        Browser {
            page: Page {
                client,
                shots: Shots::WebDriver,
            },
            driver,
        }
    }

    /// Opens `url` and waits until the document has loaded.
    pub async fn open(&self, url: &str) {
        self.client
            .goto(url)
            .await
            .unwrap_or_else(|e| panic!("open {url}: {e}"));
        self.wait_js("document.readyState === 'complete'").await;
    }

    /// The cookies of the page's origin, as the browser holds them (flags
    /// included).
    pub async fn cookies(&self) -> Vec<Cookie<'static>> {
        self.client
            .get_all_cookies()
            .await
            .unwrap_or_else(|e| panic!("read the cookies: {e}"))
    }

    /// What the page's own script may read of its storage: every key and value
    /// of localStorage and sessionStorage, and `document.cookie`.
    pub async fn script_visible_storage(&self) -> String {
        let found = self
            .client
            .execute(
                "const all = (s) => Object.keys(s).map((k) => `${k}=${s.getItem(k)}`).join('\\n'); \
                 return [all(localStorage), all(sessionStorage), document.cookie].join('\\n');",
                vec![],
            )
            .await
            .unwrap_or_else(|e| panic!("read the page's storage: {e}"));
        found.as_str().unwrap_or_default().to_owned()
    }

    /// Ends the session and the driver.
    pub async fn close(mut self) {
        let _ = self.page.client.clone().close().await;
        self.stop_driver();
    }

    fn stop_driver(&mut self) {
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }
}

impl std::ops::Deref for Browser {
    type Target = Page;

    fn deref(&self) -> &Page {
        &self.page
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        self.stop_driver();
    }
}

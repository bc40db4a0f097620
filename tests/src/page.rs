//! What a test does to a page over WebDriver, in the desktop window or in a
//! browser: find, read, wait, click, type, and the screenshot of what is
//! shown. A failing wait saves `test-output/FAILED.png` before it panics, so
//! the failure can be looked at.
//!
//! It knows nothing of the app: [`crate::Desktop`] and [`crate::Browser`] each
//! hold a `Page` and add what their surroundings need.

use std::time::{Duration, Instant};

use fantoccini::elements::Element;
use fantoccini::{Client, Locator};

use crate::{PATIENCE, output_dir};

/// Where a screenshot comes from.
#[derive(Debug, Clone, Copy)]
pub enum Shots {
    /// The X display the window is on: WebKitGTK's WebDriver screenshot waits
    /// for a composited frame that never comes here (see `screen.rs`).
    Display,
    /// The driver's own screenshot (Chromium's works headless).
    WebDriver,
}

/// One WebDriver session on a page.
#[derive(Debug)]
pub struct Page {
    pub client: Client,
    pub(crate) shots: Shots,
}

impl Page {
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

    /// Saves a PNG of the page, as shown, as
    /// `test-output/NAME.png`, once the page has painted two more frames.
    pub async fn screenshot(&self, name: &str) {
        self.try_screenshot(name)
            .await
            .unwrap_or_else(|e| panic!("screenshot {name}: {e}"));
    }

    /// The screenshot of a failing step: best effort, so that its own trouble
    /// (a page too stuck to paint) never hides the failure being reported.
    pub(crate) async fn failure_screenshot(&self) {
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
        let png = match self.shots {
            #[cfg(target_os = "linux")]
            Shots::Display => crate::screen::capture_png(
                size[0]
                    .as_u64()
                    .zip(size[1].as_u64())
                    .and_then(|(w, h)| Some((u16::try_from(w).ok()?, u16::try_from(h).ok()?))),
            )?,
            #[cfg(not(target_os = "linux"))]
            Shots::Display => self.client.screenshot().await.map_err(|e| e.to_string())?,
            Shots::WebDriver => self.client.screenshot().await.map_err(|e| e.to_string())?,
        };
        // The picture is of the page as shown: its size is the page's.
        let shot = png_size(&png);
        let page = (size[0].as_u64(), size[1].as_u64());
        if shot.map(|(w, h)| (Some(u64::from(w)), Some(u64::from(h)))) != Some(page) {
            return Err(format!("the picture is {shot:?} pixels, the page {page:?}"));
        }
        let path = output_dir().join(format!("{name}.png"));
        std::fs::write(&path, png).map_err(|e| format!("write {}: {e}", path.display()))
    }
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

//! Steps on the app page: its tabs (each panel is in the page but hidden until
//! its tab is chosen) and the "…" menu that holds Delete.

use crate::{Desktop, open_store, sample_app};

impl Desktop {
    /// A window on a fresh database holding one created app, `name`
    /// ([`sample_app`]), opened on its page; with the app's key.
    pub async fn launch_on_app(name: &str) -> (Desktop, String) {
        let dir = tempfile::tempdir().expect("a temp dir");
        let key = open_store(dir.path())
            .create_app(&sample_app(name, ""))
            .expect("the sample app")
            .app_key
            .expect("a created app has a key");
        let d = Desktop::launch_in(dir).await;
        d.click(&format!(r#"button[data-app-name="{name}"]"#)).await;
        d.wait_text("#app-key", &key).await;
        (d, key)
    }

    /// Chooses the app page's tab `name` (`overview`, `scopes`, `tenants`,
    /// `connections`, `history`) with a click; waits until its panel shows.
    pub async fn tab(&self, name: &str) {
        self.click(&format!("#tab-{name}")).await;
        self.wait_shown_tab(name).await;
    }

    /// Waits until `name` is the selected tab and its panel is the one shown.
    pub async fn wait_shown_tab(&self, name: &str) {
        self.wait_js(&format!(
            "document.querySelector('#tab-{name}')?.getAttribute('aria-selected') === 'true' && \
             !document.querySelector('#panel-{name}').hidden && \
             [...document.querySelectorAll('[role=tabpanel]')].filter(p => !p.hidden).length === 1"
        ))
        .await;
    }

    /// Opens the app's "…" menu and chooses Delete app…; waits for its dialog.
    pub async fn open_delete_dialog(&self) {
        self.click("#app-menu").await;
        self.click("#delete-app").await;
        self.wait_js("document.querySelector('#delete-dialog').open")
            .await;
    }
}

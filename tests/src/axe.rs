//! The accessibility check of the end-to-end run: axe-core (the npm package in
//! `ui/node_modules`, a dev dependency of the UI) injected into the running
//! window, run on what it shows, and its serious and critical violations
//! returned as lines a failing test can print.

use std::time::Duration;

use crate::{Desktop, Page, workspace};

/// Where the UI's npm install put axe-core.
fn axe_source() -> String {
    let path = workspace().join("ui/node_modules/axe-core/axe.min.js");
    std::fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!(
            "read {} (npm --prefix ui ci installs it): {e}",
            path.display()
        )
    })
}

/// Runs axe on the page as shown, returns one line per serious or critical
/// violation and element ("rule (impact): help — selector: summary").
const RUN: &str = r#"
const [done] = arguments;
axe.run(document, { resultTypes: ['violations'] }).then(
  (r) => done(r.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .flatMap((v) => v.nodes.map((n) =>
      `${v.id} (${v.impact}): ${v.help} — ${n.target.join(' ')}: ${(n.failureSummary || '').replace(/\s+/g, ' ')}`))),
  (e) => done([`axe failed: ${e}`]));
"#;

impl Page {
    /// Saves the page as the screenshot `name` and adds axe's serious and
    /// critical violations on it to `problems`, each line starting `[label]`.
    pub async fn check_screen(&self, name: &str, label: &str, problems: &mut Vec<String>) {
        self.screenshot(name).await;
        for v in self.axe_violations().await {
            problems.push(format!("[{label}] {v}"));
        }
    }

    /// Injects axe-core once (a body this large is now and then dropped by the
    /// driver, so the injection is checked and retried), then returns the
    /// serious and critical violations on the page as it is now.
    pub async fn axe_violations(&self) -> Vec<String> {
        let loaded =
            "return typeof window.axe === 'object' && typeof window.axe.run === 'function';";
        let mut tries = 0;
        while self.client.execute(loaded, vec![]).await.ok() != Some(serde_json::json!(true)) {
            tries += 1;
            assert!(tries <= 5, "axe-core could not be injected into the window");
            let source = axe_source();
            if let Err(e) = self.client.execute(&source, vec![]).await {
                eprintln!("(injecting axe-core, try {tries}: {e})");
                tokio::time::sleep(Duration::from_millis(500)).await;
            }
        }
        let found = self
            .client
            .execute_async(RUN, vec![])
            .await
            .unwrap_or_else(|e| panic!("run axe-core: {e}"));
        serde_json::from_value(found).expect("axe's answer is a list of lines")
    }
}

impl Desktop {
    /// Settings › Theme, as a user picks it (`system`, `light` or `dark`).
    pub async fn choose_theme(&self, theme: &str) {
        self.click("#nav-settings").await;
        self.find("#settings-theme")
            .await
            .select_by_value(theme)
            .await
            .unwrap_or_else(|e| panic!("choose the {theme} theme: {e}"));
    }
}

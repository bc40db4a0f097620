//! Steps through the window's dialogs that guard what cannot be undone: the
//! confirmation that says what ends, and the new client secret (masked, shown
//! once, and asked about once when closed before it was copied).

use crate::{Desktop, ESCAPE};

impl Desktop {
    /// Waits for the confirmation dialog, checks that its message contains
    /// `ends`, and returns the message.
    pub async fn confirmation(&self, ends: &str) -> String {
        self.wait_js("document.querySelector('#confirm-dialog')?.open")
            .await;
        self.wait_js("document.activeElement?.id === 'confirm-cancel'")
            .await;
        self.wait_text("#confirm-message", ends).await
    }

    /// Answers the open confirmation: its action, or Cancel; waits until it closed.
    pub async fn answer_confirmation(&self, confirm: bool) {
        let button = if confirm {
            "#confirm-ok"
        } else {
            "#confirm-cancel"
        };
        self.click(button).await;
        self.wait_js("!document.querySelector('#confirm-dialog').open")
            .await;
    }

    /// The new client secret dialog: checks that the secret is masked and that
    /// focus is on Copy, then reveals it and returns it.
    pub async fn reveal_secret(&self) -> String {
        self.wait_js("document.querySelector('#secret-dialog')?.open")
            .await;
        self.wait_js("document.activeElement?.id === 'copy-secret'")
            .await;
        let masked = self.text("#new-client-secret").await;
        assert!(
            !masked.contains("cs1.") && masked.contains('•'),
            "the secret is masked until revealed: {masked:?}"
        );
        self.click("#reveal-secret").await;
        self.wait_text("#new-client-secret", "cs1.").await
    }

    /// Closes the secret dialog without copying: the first Esc only warns (the
    /// dialog stays), the second closes it.
    pub async fn close_secret_uncopied(&self) {
        self.type_into("#secret-done", ESCAPE).await;
        self.wait_text("#secret-not-copied", "not copied").await;
        assert!(
            self.wait_js("document.querySelector('#secret-dialog').open")
                .await
                == serde_json::json!(true),
            "the first close only warns"
        );
        self.type_into("#secret-done", ESCAPE).await;
        self.wait_js("!document.querySelector('#secret-dialog').open")
            .await;
    }

    /// Runs a connection row's action from its menu, as a user does: opens the
    /// row's menu button, then chooses the item (`data-action`).
    pub async fn row_action(&self, row: &str, action: &str) {
        // WebKitWebDriver refuses a click on a line cut by the window's edge.
        self.show(row).await;
        self.click(&format!("{row} .menu-button")).await;
        self.click(&format!(r#"{row} [role="menu"] [data-action="{action}"]"#))
            .await;
    }
}

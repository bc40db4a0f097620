//! The portal's console in a real browser: a world of two workspaces and two
//! customers' admins on a real portal (a throwaway PostgreSQL, `appdesk-testkit`),
//! the steps a person takes in the console (sign in, open an app, answer a
//! dialog), and a page on another origin for the cross-origin tests.
//!
//! The steps find elements by their `data-testid` only, the console's stable
//! hooks for tests; what a step checks is what the page shows, and the
//! portal's own HTTP answers are the oracle for what happened.

use std::io::{Read, Write};
use std::net::TcpListener;

use appdesk_testkit::{Api, Portal, run_command};
use serde_json::{Value, json};

use crate::{Browser, Page};

/// A customer with apps in both workspaces.
pub const TENANT_A: &str = "1111111";
/// Another customer, on one of the same apps.
pub const TENANT_B: &str = "2222222";
/// CRM › Customers, View.
pub const CUSTOMERS_VIEW: &str = "tn.crm.customers:r";
/// Job Planning and Management › Jobs, Modify.
pub const JOBS_MODIFY: &str = "tn.jpm.jobs:w";

/// The CSS selector of a console hook.
pub fn tid(name: &str) -> String {
    format!("[data-testid=\"{name}\"]")
}

/// The selector of a hook for one tenant and environment (a state cell or an
/// action button).
pub fn tid_at(name: &str, tenant: &str, env: &str) -> String {
    format!("[data-testid=\"{name}\"][data-tenant=\"{tenant}\"][data-env=\"{env}\"]")
}

/// Two workspaces (`team`, `other`), a developer of `team`, and the admins of
/// [`TENANT_A`] and [`TENANT_B`], made without a workspace.
#[derive(Debug)]
pub struct World {
    pub portal: Portal,
    pub dev: Api,
    pub dev_token: String,
    pub admin_a: Api,
    pub admin_a_token: String,
    pub admin_b: Api,
    pub admin_b_token: String,
    /// `team`'s "Dispatch Board": lists A and B.
    pub shared: Value,
    /// `other`'s "Payroll Sync": lists A.
    pub only_a: Value,
    /// `team`'s "Fleet Tracker": lists B.
    pub only_b: Value,
}

/// An app body as a developer's Appdesk would send it.
pub fn app_body(name: &str, organization: &str, tenants: &[(&str, &str)]) -> Value {
    json!({
        "name": name,
        "organization": organization,
        "homepageUrl": "https://vendor.example/app",
        "audience": "private",
        "credentials": "tenant",
        "scopes": [CUSTOMERS_VIEW],
        "tenants": tenants.iter().map(|(id, note)| json!({"id": id, "note": note})).collect::<Vec<_>>(),
    })
}

/// Starts the portal and fills the world. Blocking: call it from
/// `spawn_blocking` (the testkit runs its own runtime).
pub fn world() -> World {
    let portal = Portal::start();
    run_command(&portal.database, &["workspace", "create", "other"]);
    let dev_token = portal.token("team", "dev", &[]);
    let other_token = portal.token("other", "odev", &[]);
    let admin = |tenant: &str, user: &str| {
        run_command(
            &portal.database,
            &["token", "create", "--tenant-admin", tenant, "--user", user],
        )
    };
    let admin_a_token = admin(TENANT_A, "ann");
    let admin_b_token = admin(TENANT_B, "bob");
    let dev = portal.api(Some(&dev_token));
    let other = portal.api(Some(&other_token));
    let (shared, only_a, only_b) = appdesk_testkit::block_on(async {
        let shared = dev
            .create_ok(&app_body(
                "Dispatch Board",
                "Acme Software",
                &[
                    (TENANT_A, "first customer"),
                    (TENANT_B, "private note on B"),
                ],
            ))
            .await;
        let only_a = other
            .create_ok(&app_body(
                "Payroll Sync",
                "Globex Apps",
                &[(TENANT_A, "note")],
            ))
            .await;
        let only_b = dev
            .create_ok(&app_body(
                "Fleet Tracker",
                "Acme Software",
                &[(TENANT_B, "B only")],
            ))
            .await;
        (shared, only_a, only_b)
    });
    World {
        admin_a: portal.api(Some(&admin_a_token)),
        admin_b: portal.api(Some(&admin_b_token)),
        dev,
        dev_token,
        admin_a_token,
        admin_b_token,
        shared,
        only_a,
        only_b,
        portal,
    }
}

/// `id` of an app as the portal answered it.
pub fn id_of(app: &Value) -> String {
    app["id"].as_str().expect("an app id").to_owned()
}

impl Browser {
    /// Opens the console at `base` and signs in with `token` typed into the
    /// sign-in page's password field; waits until the signed-in page shows.
    pub async fn sign_in(&self, base: &str, token: &str) {
        self.open(&format!("{base}/")).await;
        let field = self.find(&tid("signin-token")).await;
        assert_eq!(
            field
                .attr("type")
                .await
                .expect("the field's type")
                .as_deref(),
            Some("password"),
            "the token is typed into a password field"
        );
        self.type_into(&tid("signin-token"), token).await;
        self.click(&tid("signin-submit")).await;
        self.find(&tid("signout")).await;
    }
}

impl Page {
    /// Waits for the console's dialog, checks that its text contains each of
    /// `says`, and returns the text.
    pub async fn dialog_saying(&self, says: &[&str]) -> String {
        let text = self
            .wait_text(&tid("dialog"), says.first().copied().unwrap_or(""))
            .await;
        for needle in says {
            assert!(
                text.contains(needle),
                "the dialog says {needle:?}; it says {text:?}"
            );
        }
        text
    }

    /// Confirms the open dialog and waits until it is gone.
    pub async fn confirm_dialog(&self) {
        self.click(&tid("dialog-confirm")).await;
        self.wait_js(&format!(
            "!document.querySelector('{}')",
            tid("dialog").replace('\'', "\\'")
        ))
        .await;
    }

    /// Presses the header's theme toggle until the page's colour scheme is
    /// `theme` (`light` or `dark`), as the page's computed style says.
    pub async fn choose_theme(&self, theme: &str) {
        let shown = "return getComputedStyle(document.documentElement).colorScheme;";
        for _ in 0..3 {
            let now = self.client.execute(shown, vec![]).await.ok();
            if now.as_ref().and_then(Value::as_str) == Some(theme) {
                return;
            }
            self.click(&tid("theme-toggle")).await;
        }
        panic!("the theme toggle never showed the {theme} theme");
    }

    /// Presses Tab until the focused element matches `css` (at most 80 times),
    /// as a keyboard user moves to a control; panics if it is never reached.
    pub async fn tab_to(&self, css: &str) {
        let check = format!(
            "return !!document.activeElement && document.activeElement.matches({});",
            serde_json::to_string(css).expect("a JSON string")
        );
        for _ in 0..80 {
            if self.client.execute(&check, vec![]).await.ok() == Some(json!(true)) {
                return;
            }
            self.press(crate::TAB).await;
        }
        panic!("Tab never reached {css:?}");
    }

    /// Sends keys to the focused element, as a keyboard does. The page may
    /// replace that element between the two WebDriver calls (a re-render);
    /// the focused element is then asked for again, a few times.
    pub async fn press(&self, keys: &str) {
        let mut last = String::new();
        for _ in 0..5 {
            match self.client.active_element().await {
                Ok(focused) => match focused.send_keys(keys).await {
                    Ok(()) => return,
                    Err(e) => last = e.to_string(),
                },
                Err(e) => last = e.to_string(),
            }
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        }
        panic!("press {keys:?}: {last}");
    }
}

/// A page on another origin (another port of 127.0.0.1: the same site, so a
/// `SameSite=Strict` cookie still goes along, and only the portal's own origin
/// check stands in the way). Serves one small HTML page to every request,
/// from a thread that lives as long as the test binary.
pub fn other_origin() -> String {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind another origin");
    let addr = listener.local_addr().expect("its address");
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            let mut buf = [0_u8; 4096];
            let _ = stream.read(&mut buf);
            let body = "<!doctype html><html lang=en><title>elsewhere</title><p>another site</p>";
            let _ = write!(
                stream,
                "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                body.len()
            );
        }
    });
    format!("http://{addr}")
}

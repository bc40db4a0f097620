//! `console-bench`: the portal console's figures, in Debian's headless Chromium
//! against the real portal on a throwaway PostgreSQL (issue 19, Performance).
//!
//! - Sign-in to list painted: with N apps (default 1,000) listing one tenant,
//!   the time from pressing "Sign in" to the frame that shows all N rows
//!   painted (a task queued from the frame in which the rows first exist runs
//!   once that frame is painted), measured in the page with
//!   `performance.now()`, over R runs (default 5), each from a fresh page.
//! - The JavaScript the console ships: the sum of `gzip -9` of every `.js`
//!   under `portal-ui/dist/assets`.
//!
//! Usage: console-bench [--apps N] [--runs R]
//! Run it with `scripts/console-bench` (a release portal). Timing is reported,
//! never asserted.

use appdesk_e2e::console::{TENANT_A, app_body, tid};
use appdesk_e2e::{Browser, workspace};
use appdesk_testkit::{Portal, run_command};

const SIGN_IN_TO_PAINTED: &str = r#"
const [token, rows, done] = arguments;
const field = document.querySelector('[data-testid="signin-token"]');
field.value = token;
field.dispatchEvent(new Event('input', { bubbles: true }));
const t0 = performance.now();
document.querySelector('[data-testid="signin-submit"]').click();
const tick = () => {
  if (document.querySelectorAll('[data-testid="app-row"]').length >= rows) {
    requestAnimationFrame(() => setTimeout(() => done(performance.now() - t0), 0));
  } else {
    requestAnimationFrame(tick);
  }
};
requestAnimationFrame(tick);
"#;

#[tokio::main]
async fn main() {
    let args: Vec<String> = std::env::args().collect();
    let arg = |name: &str, default: usize| -> usize {
        args.iter()
            .position(|a| a == name)
            .and_then(|i| args.get(i + 1))
            .map_or(default, |v| {
                v.parse()
                    .unwrap_or_else(|_| panic!("{name} takes a number, not {v:?}"))
            })
    };
    let apps = arg("--apps", 1000);
    let runs = arg("--runs", 5);

    let (portal, token) = tokio::task::spawn_blocking(move || seed(apps))
        .await
        .expect("the portal is seeded");
    let base = portal.base_url();
    let browser = Browser::start().await;
    let mut times = Vec::new();
    for _ in 0..runs {
        browser.open(&format!("{base}/")).await;
        browser.find(&tid("signin-token")).await;
        let ms = browser
            .client
            .execute_async(
                SIGN_IN_TO_PAINTED,
                vec![serde_json::json!(token), serde_json::json!(apps)],
            )
            .await
            .expect("the sign-in is timed in the page");
        times.push(ms.as_f64().expect("milliseconds"));
        browser.click(&tid("signout")).await;
        browser.find(&tid("signin-token")).await;
    }
    browser.close().await;
    times.sort_by(f64::total_cmp);
    println!(
        "console: {apps} apps for one tenant, sign-in to list painted over {runs} runs: \
         median {:.0} ms, best {:.0} ms, worst {:.0} ms",
        times[times.len() / 2],
        times[0],
        times[times.len() - 1]
    );
    println!(
        "console: JavaScript shipped, gzip -9: {} bytes",
        gzipped_javascript()
    );
}

/// A portal with `apps` apps listing [`TENANT_A`], and its admin's token.
fn seed(apps: usize) -> (Portal, String) {
    let portal = Portal::start();
    let token = run_command(
        &portal.database,
        &[
            "token",
            "create",
            "--tenant-admin",
            TENANT_A,
            "--user",
            "ann",
        ],
    );
    appdesk_testkit::block_on(async {
        for i in 0..apps {
            let name = format!("Bench App {i:05}");
            portal
                .dev
                .create_ok(&app_body(&name, "Acme Software", &[(TENANT_A, "")]))
                .await;
        }
    });
    (portal, token)
}

/// The sum of `gzip -9` of every `.js` file the console ships.
fn gzipped_javascript() -> usize {
    let assets = workspace().join("portal-ui/dist/assets");
    let entries = std::fs::read_dir(&assets)
        .unwrap_or_else(|e| panic!("read {} (build the console first): {e}", assets.display()));
    let mut total = 0;
    for entry in entries {
        let path = entry.expect("a directory entry").path();
        if path.extension().is_some_and(|e| e == "js") {
            let out = std::process::Command::new("gzip")
                .args(["-9", "-c"])
                .arg(&path)
                .output()
                .expect("run gzip");
            total += out.stdout.len();
        }
    }
    total
}

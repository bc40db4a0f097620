//! Every main screen of the window, in the light and the dark theme: checked
//! with axe-core (no serious or critical violation may remain) and saved as a
//! screenshot (`test-output/screen-THEME-NAME.png`, the window at 1200×800, and
//! `screen-THEME-NAME-min.png` at the minimum window size of tauri.conf.json).
//! Run by `scripts/e2e` with the other end-to-end tests.

use appdesk_core::Environment;
use appdesk_e2e::{CONTROL, Desktop, ESCAPE, RELEASE, open_store, sample_app};

const THEMES: [&str; 2] = ["light", "dark"];
/// The window's default size, then its minimum (`minWidth`/`minHeight` in
/// src-tauri/tauri.conf.json), with the suffix of their screenshots' names.
const SIZES: [(u32, u32, &str); 2] = [(1200, 800, ""), (760, 520, "-min")];

/// Settings › Theme: the choice is shown at once and set on `<html>`, and every
/// main screen (the list, each tab of an app page with a connection behind, its
/// "…" menu, a draft, the delete, confirmation and secret dialogs, a
/// connection's notes and menu, the Behind view, the palette, the new-draft
/// form, activity, settings) passes axe-core in both themes, at the default
/// and the minimum window size.
#[tokio::test]
#[ignore = "needs a display, tauri-driver and the built app: run scripts/e2e"]
async fn every_main_screen_passes_axe_in_light_and_dark() {
    let dir = tempfile::tempdir().unwrap();
    {
        let store = open_store(dir.path());
        let app = store
            .create_app(&sample_app("Dispatch Board", "Acme HQ"))
            .unwrap();
        store
            .connect(&app.id, "1234", Environment::Integration)
            .unwrap();
        // A second version: the connection is behind, with what it would gain.
        store
            .set_scopes(
                &app.id,
                &["tn.crm.customers:r".into(), "tn.jpm.jobs:r".into()],
            )
            .unwrap();
        let mut draft = sample_app("Half-done Draft", "");
        draft.homepage_url = "acme.example".into();
        store.save_draft(&draft).unwrap();
    }
    let d = Desktop::launch_in(dir).await;
    d.wait_text("#apps-count", "2 apps").await;

    let mut problems = Vec::new();
    for (width, height, size) in SIZES {
        d.client
            .set_window_size(width, height)
            .await
            .unwrap_or_else(|e| panic!("resize the window to {width}×{height}: {e}"));
        for theme in THEMES {
            let check = |screen: &'static str| (theme, screen, size);
            d.choose_theme(theme).await;
            d.wait_js(&format!(
                "document.documentElement.dataset.theme === '{theme}' && \
             getComputedStyle(document.body).colorScheme === '{theme}'"
            ))
            .await;
            d.wait_text("#settings-db", "appdesk.db").await;
            check_at(&d, check("settings"), &mut problems).await;

            d.click("#nav-activity").await;
            d.find("#activity tr").await;
            check_at(&d, check("activity"), &mut problems).await;

            d.click(r#"button[data-app-name="Half-done Draft"]"#).await;
            d.wait_text("#draft-homepage-problem", "URL").await;
            check_at(&d, check("draft"), &mut problems).await;

            d.click("#nav-behind").await;
            d.find("tr[data-behind]").await;
            check_at(&d, check("behind"), &mut problems).await;

            d.click(r#"button[data-app-name="Dispatch Board"]"#).await;
            d.wait_text("#app-title", "Dispatch Board").await;
            // Each tab of the app page (the page remembers the last one: start
            // on Overview), then the "…" menu open.
            d.tab("overview").await;
            check_at(&d, check("app-page"), &mut problems).await;
            d.tab("scopes").await;
            d.click(r#"#app-picker input[data-scope="tn.crm.leads:r"]"#)
                .await;
            d.wait_text("#scope-preview", "Saving creates version 3")
                .await;
            check_at(&d, check("app-scopes"), &mut problems).await;
            d.click("#reset-scopes").await;
            d.tab("tenants").await;
            check_at(&d, check("app-tenants"), &mut problems).await;
            d.tab("connections").await;
            d.find("tr[data-connection] .chip.warn").await;
            check_at(&d, check("app-connections"), &mut problems).await;
            d.click("tr[data-connection] button.behind").await;
            d.wait_text("tr.detail [data-notes] pre", "version 1 to version 2")
                .await;
            check_at(&d, check("connection-notes"), &mut problems).await;
            d.click("tr[data-connection] .menu-button").await;
            d.find("[role=menu] [data-action]").await;
            check_at(&d, check("connection-menu"), &mut problems).await;
            d.type_into("[role=menu] [data-action]", ESCAPE).await;
            d.wait_js("!document.querySelector('[role=menu]')").await;
            d.tab("history").await;
            d.find("#compare-result").await;
            check_at(&d, check("app-history"), &mut problems).await;
            d.click("#app-menu").await;
            d.find("#delete-app").await;
            check_at(&d, check("app-menu"), &mut problems).await;
            d.click("#delete-app").await;
            d.wait_js("document.querySelector('#delete-dialog').open")
                .await;
            check_at(&d, check("delete-dialog"), &mut problems).await;
            d.type_into("#delete-confirm", ESCAPE).await;
            d.wait_js("!document.querySelector('#delete-dialog').open")
                .await;

            d.tab("connections").await;
            d.row_action(r#"tr[data-connection="1234:integration"]"#, "regenerate")
                .await;
            d.confirmation("the old secret stops working").await;
            check_at(&d, check("confirm-dialog"), &mut problems).await;
            d.answer_confirmation(true).await;
            d.reveal_secret().await;
            check_at(&d, check("secret-dialog"), &mut problems).await;
            d.close_secret_uncopied().await;

            // The palette over the page, and the new-draft form.
            d.type_into("body", &format!("{CONTROL}k{RELEASE}")).await;
            d.wait_js("document.querySelector('#palette').open").await;
            d.type_into("#palette-input", "dis").await;
            d.find("#palette-list [data-kind=\"app\"]").await;
            check_at(&d, check("palette"), &mut problems).await;
            d.type_into("#palette-input", ESCAPE).await;
            d.wait_js("!document.querySelector('#palette').open").await;
            d.click("#new-draft").await;
            d.find("#new-draft-form").await;
            check_at(&d, check("new-draft"), &mut problems).await;
            d.click("#new-draft-cancel").await;
        }
    }
    // Back to System, so that the other tests' windows (which share this build's
    // web storage) start as a user's would.
    d.choose_theme("system").await;
    d.close().await;
    assert!(
        problems.is_empty(),
        "serious or critical accessibility violations:\n{}",
        problems.join("\n")
    );
}

/// Screenshots the screen as `screen-THEME-NAME[SIZE]` and adds axe's serious
/// and critical violations on it to `problems`, each line naming the screen.
async fn check_at(
    d: &Desktop,
    (theme, screen, size): (&str, &str, &str),
    problems: &mut Vec<String>,
) {
    d.check_screen(
        &format!("screen-{theme}-{screen}{size}"),
        &format!("{theme} {screen}{size}"),
        problems,
    )
    .await;
}

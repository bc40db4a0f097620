//! End-to-end tests of the window's shell (issue 11): the apps list's search,
//! sort, filters and resizable sidebar; Ctrl+N's new-draft form; the command
//! palette; the activity filters and CSV export; Show in folder; the native
//! menu bar (driven with xdotool, as WebDriver cannot reach GTK menus). The
//! real debug binary in a real window over WebDriver, on a temp database
//! (`scripts/e2e` runs them).
//!
//! The window's web storage is shared by every test's window: each test that
//! changes the list's order, filter or the sidebar's width puts it back.

use appdesk_core::{AppInput, Environment, TenantEntry};
use appdesk_e2e::{ARROW_DOWN, CONTROL, Desktop, ENTER, ESCAPE, RELEASE, open_store, sample_app};

/// The name of the first row of the apps list.
const FIRST_ROW: &str = "document.querySelector('.app-row[data-app-name]')?.dataset.appName";

/// Searches by key, client ID and tenant ID; sorts by most behind and filters
/// drafts and apps behind; resizes the sidebar from the keyboard.
#[tokio::test]
#[ignore = "needs a display, tauri-driver and the built app: run scripts/e2e"]
async fn the_apps_list_searches_ids_sorts_and_filters() {
    let dir = tempfile::tempdir().unwrap();
    let (key, client_id) = {
        let store = open_store(dir.path());
        let board = store.create_app(&sample_app("Dispatch Board", "")).unwrap();
        store
            .create_app(&AppInput {
                tenants: vec![TenantEntry::new("7654321", "")],
                ..sample_app("Zeta Reports", "")
            })
            .unwrap();
        store
            .save_draft(&AppInput {
                name: "Quiet Draft".into(),
                ..AppInput::default()
            })
            .unwrap();
        let c = store
            .connect("Zeta Reports", "7654321", Environment::Production)
            .unwrap();
        // A second version leaves Zeta Reports' connection behind.
        store
            .set_scopes("Zeta Reports", &["tn.crm.customers:rw".into()])
            .unwrap();
        (board.app_key.unwrap(), c.client_id)
    };
    let d = Desktop::launch_in(dir).await;
    d.wait_text("#apps-count", "3 apps").await;

    for (query, app) in [
        (key.as_str(), "Dispatch Board"),
        (client_id.as_str(), "Zeta Reports"),
        ("7654321", "Zeta Reports"),
    ] {
        d.retype("#search", query).await;
        d.wait_js(&format!(
            "document.getElementById('apps-list').dataset.query === {query:?}"
        ))
        .await;
        d.wait_text("#apps-count", "1 app").await;
        d.find(&format!(r#"button[data-app-name="{app}"]"#)).await;
    }
    d.retype("#search", "").await;
    d.wait_text("#apps-count", "3 apps").await;
    assert_eq!(d.wait_js(FIRST_ROW).await, "Dispatch Board");

    // Most behind first.
    choose(&d, "#apps-sort", "behind").await;
    d.wait_js("document.getElementById('apps-list').dataset.view === 'behind:all'")
        .await;
    assert_eq!(d.wait_js(FIRST_ROW).await, "Zeta Reports");
    d.screenshot("40-apps-sorted-behind").await;

    // Only drafts, then only apps behind.
    d.click("#apps-only-drafts").await;
    d.wait_text("#apps-count", "1 app").await;
    d.find(r#"button[data-app-name="Quiet Draft"]"#).await;
    d.click("#apps-only-behind").await;
    d.wait_js("document.getElementById('apps-list').dataset.view === 'behind:behind'")
        .await;
    d.wait_text("#apps-count", "1 app").await;
    assert_eq!(d.wait_js(FIRST_ROW).await, "Zeta Reports");
    d.click("#apps-only-all").await;
    choose(&d, "#apps-sort", "name").await;
    d.wait_js("document.getElementById('apps-list').dataset.view === 'name:all'")
        .await;
    d.wait_text("#apps-count", "3 apps").await;

    // The sidebar: a separator with its width, moved by the arrows, remembered.
    let width = |d: &Desktop| {
        let d = d.client.clone();
        async move {
            let v = d
                .execute(
                    "const s = document.getElementById('sidebar-splitter'); \
                     return [Number(s.getAttribute('aria-valuenow')), \
                     document.getElementById('sidebar').getBoundingClientRect().width, \
                     localStorage.getItem('appdesk.sidebar.width')];",
                    vec![],
                )
                .await
                .unwrap();
            (v[0].as_f64().unwrap(), v[1].as_f64().unwrap(), v[2].clone())
        }
    };
    let (before, shown, _) = width(&d).await;
    assert_eq!(before, shown);
    d.type_into("#sidebar-splitter", "\u{E014}\u{E014}").await; // → twice
    let (after, shown, stored) = width(&d).await;
    assert_eq!(after, before + 32.0);
    assert_eq!(shown, after);
    assert_eq!(stored, serde_json::json!(after.to_string()));
    d.type_into("#sidebar-splitter", ENTER).await; // back to the default
    d.close().await;
}

/// Ctrl+N opens the new-draft form; leaving it empty leaves no draft row.
/// Typing a name saves the draft and its editor takes over.
#[tokio::test]
#[ignore = "needs a display, tauri-driver and the built app: run scripts/e2e"]
async fn ctrl_n_leaves_no_draft_until_a_name_is_typed() {
    let d = Desktop::launch().await;
    d.wait_text("#apps-count", "0 apps").await;
    d.find("#empty-new").await;
    d.find("#empty-import").await;
    d.screenshot("41-apps-empty-state").await;

    d.type_into("body", &format!("{CONTROL}n{RELEASE}")).await;
    d.find("#new-draft-form").await;
    d.wait_js("document.activeElement?.id === 'draft-name'")
        .await;
    d.screenshot("42-new-draft-form").await;
    d.type_into("#draft-name", ESCAPE).await;
    d.find("#empty-state").await;
    // Nothing was written: no row, and the database holds no app.
    d.wait_text("#apps-count", "0 apps").await;
    assert_eq!(d.store().list_apps(&Default::default()).unwrap().total, 0);

    d.click("#empty-new").await;
    d.type_into("#draft-name", "Route Planner").await;
    d.find("#draft-form").await;
    d.wait_text("#apps-count", "1 app").await;
    d.find(r#"button[data-app-name="Route Planner"]"#).await;
    let drafts = d.store().list_apps(&Default::default()).unwrap();
    assert_eq!(drafts.items.len(), 1);
    assert_eq!(drafts.items[0].name, "Route Planner");
    d.close().await;
}

/// Ctrl+K: the palette opens with focus in its combobox, filters as typed,
/// and goes to an app by part of its key; it also runs an action.
#[tokio::test]
#[ignore = "needs a display, tauri-driver and the built app: run scripts/e2e"]
async fn the_palette_opens_filters_and_goes_to_an_app() {
    let dir = tempfile::tempdir().unwrap();
    let key = {
        let store = open_store(dir.path());
        store.create_app(&sample_app("Dispatch Board", "")).unwrap();
        store
            .create_app(&sample_app("Swift Pay", ""))
            .unwrap()
            .app_key
            .unwrap()
    };
    let d = Desktop::launch_in(dir).await;
    d.wait_text("#apps-count", "2 apps").await;

    d.type_into("body", &format!("{CONTROL}k{RELEASE}")).await;
    d.wait_js("document.querySelector('#palette').open").await;
    d.wait_js(
        "document.activeElement?.id === 'palette-input' && \
         document.activeElement.getAttribute('role') === 'combobox'",
    )
    .await;
    d.type_into("#palette-input", &key[..14]).await;
    d.wait_js(
        "document.querySelectorAll('#palette-list [data-kind=\"app\"]').length === 1 && \
         document.querySelector('#palette-list [aria-selected=\"true\"]')?.textContent.includes('Swift Pay')",
    )
    .await;
    d.screenshot("43-palette").await;
    d.type_into("#palette-input", ENTER).await;
    d.wait_text("#app-title", "Swift Pay").await;
    d.wait_js("!document.querySelector('#palette').open").await;

    // An action, picked with the arrows.
    d.type_into("body", &format!("{CONTROL}k{RELEASE}")).await;
    d.type_into("#palette-input", "activ").await;
    d.wait_js(
        "document.querySelector('#palette-list [aria-selected=\"true\"]')?.dataset.id === 'activity'",
    )
    .await;
    d.type_into("#palette-input", &format!("{ARROW_DOWN}{ENTER}"))
        .await;
    d.find("#activity").await;
    d.close().await;
}

/// The activity filters by user and action, times with seconds and zone, an
/// app name opens its app, and "Export CSV…" writes the filtered entries.
#[tokio::test]
#[ignore = "needs a display, tauri-driver and the app built with e2e-dialogs: run scripts/e2e"]
async fn activity_filters_links_and_exports_csv() {
    let dir = tempfile::tempdir().unwrap();
    {
        let store = open_store(dir.path()); // user "cli-user"
        store.create_app(&sample_app("Dispatch Board", "")).unwrap();
        store
            .connect("Dispatch Board", "1234", Environment::Integration)
            .unwrap();
    }
    let answer = dir.path().join("dialog-answer");
    let csv = dir.path().join("activity.csv");
    let d = Desktop::launch_with(
        dir.path(),
        &[("APPDESK_E2E_DIALOG", answer.display().to_string())],
    )
    .await;
    d.wait_text("#apps-count", "1 app").await;
    d.click("#nav-activity").await;
    d.find(r#"#activity tr[data-action="connect"]"#).await;
    let time = d.text(r#"#activity tr[data-action="connect"] td"#).await;
    assert!(
        time.len() >= "2026-01-01 00:00:00 UTC".len()
            && time.contains("UTC")
            && time.matches(':').count() >= 2,
        "a time with seconds and its zone: {time:?}"
    );

    choose(&d, "#activity-action", "connect").await;
    d.wait_js("document.querySelectorAll('#activity tbody tr').length === 1")
        .await;
    std::fs::write(&answer, format!("{}\n", csv.display())).unwrap();
    d.click("#activity-export").await;
    d.wait_text("#activity-summary", "Exported 1 entry").await;
    let text = std::fs::read_to_string(&csv).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 2, "{text}");
    assert!(lines[1].contains(",connect,"), "{text}");
    d.screenshot("44-activity-filtered").await;

    d.click(r#"#activity tr[data-action="connect"] a.app-link"#)
        .await;
    d.wait_text("#app-title", "Dispatch Board").await;
    d.close().await;
}

/// Picks `value` in the `<select>` at `css`, as a user does.
async fn choose(d: &Desktop, css: &str, value: &str) {
    d.find(css)
        .await
        .select_by_value(value)
        .await
        .unwrap_or_else(|e| panic!("choose {value} in {css}: {e}"));
}

/// Settings' "Show in folder" hands the file manager the folder that holds
/// each path. The file manager is the system's `xdg-open`, so a recording
/// `xdg-open`, alone on the app's PATH, stands in for it; then one that
/// cannot run shows the window's error instead of failing quietly.
#[tokio::test]
#[ignore = "needs a display, tauri-driver and the built app: run scripts/e2e"]
async fn show_in_folder_opens_the_folder_of_each_path() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let bin = tempfile::tempdir().unwrap();
    let record = bin.path().join("opened.txt");
    let opener = bin.path().join("xdg-open");
    std::fs::write(
        &opener,
        format!(
            "#!/bin/sh\nprintf '%s\\n' \"$*\" >> '{}'\n",
            record.display()
        ),
    )
    .unwrap();
    std::fs::set_permissions(&opener, std::fs::Permissions::from_mode(0o755)).unwrap();
    // The app's PATH is that folder, and the drivers that start it (linked
    // into it), and nothing else: a system xdg-open (xdg-utils, which
    // Chromium's packages bring along) must not answer for it.
    for driver in ["tauri-driver", "WebKitWebDriver"] {
        let found = std::env::split_paths(&std::env::var_os("PATH").unwrap_or_default())
            .map(|dir| dir.join(driver))
            .find(|p| p.is_file())
            .unwrap_or_else(|| panic!("{driver} is not on PATH (scripts/e2e checks for it)"));
        std::os::unix::fs::symlink(&found, bin.path().join(driver)).unwrap();
    }
    let path = bin.path().display().to_string();
    let d = Desktop::launch_with(dir.path(), &[("PATH", path)]).await;
    d.click("#nav-settings").await;
    let folder = dir.path().display().to_string();
    let opened = || std::fs::read_to_string(&record).unwrap_or_default();
    for (button, clicks) in [
        ("#show-database", 1),
        ("#show-keyFile", 2),
        ("#show-dataDir", 3),
    ] {
        d.click(button).await;
        let what = format!("{button}: xdg-open is run");
        appdesk_e2e::eventually(&what, || {
            let now = opened();
            (now.lines().count() >= clicks).then_some(()).ok_or(now)
        })
        .await;
    }
    // The database and the key file are shown by their folder (xdg-open opens
    // a file in its own program, not the file manager), and so is the folder.
    assert_eq!(opened(), format!("{folder}\n{folder}\n{folder}\n"));

    // An xdg-open that cannot be run: said in the window, nothing else happens.
    std::fs::set_permissions(&opener, std::fs::Permissions::from_mode(0o644)).unwrap();
    d.click("#show-dataDir").await;
    let said = d
        .wait_text(
            "[aria-labelledby=settings-paths-title] [role=alert]",
            "xdg-open",
        )
        .await;
    assert!(said.contains("could not open the file manager"), "{said}");
    assert_eq!(opened().lines().count(), 3);
    d.close().await;
}

/// `xdotool ARGS` on the test's X display (a user's keyboard: WebDriver
/// cannot reach GTK's menu bar); its standard output.
fn xdotool(args: &[&str]) -> String {
    let out = std::process::Command::new("xdotool")
        .args(args)
        .output()
        .expect("run xdotool (scripts/system-packages --test installs it)");
    assert!(
        out.status.success(),
        "xdotool {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// The native menu bar runs the window's actions: File › Settings… by its
/// accelerator, and View › Theme: Dark (an item with no shortcut, so only the
/// menu can run it) reached from the keyboard with F10 and the arrow keys.
#[tokio::test]
#[ignore = "needs a display, tauri-driver and the built app: run scripts/e2e"]
async fn the_native_menu_runs_the_windows_actions() {
    let d = Desktop::launch().await;
    d.wait_text("#apps-count", "0 apps").await;
    let window = xdotool(&["search", "--sync", "--onlyvisible", "--name", "^Appdesk$"]);
    let window = window.lines().next().expect("the app's window").to_owned();
    xdotool(&["windowfocus", "--sync", &window]);
    assert_eq!(d.count("#settings").await, 0);

    // File › Settings… (Ctrl+,).
    xdotool(&["key", "--clearmodifiers", "ctrl+comma"]);
    d.find("#settings").await;

    // F10 opens the menu bar at File; Right twice is View; Up wraps to its
    // last item, Theme: Dark.
    d.choose_theme("light").await;
    d.wait_js("document.documentElement.dataset.theme === 'light'")
        .await;
    xdotool(&["windowfocus", "--sync", &window]);
    for key in ["F10", "Right", "Right", "Up", "Return"] {
        xdotool(&["key", key]);
        tokio::time::sleep(std::time::Duration::from_millis(150)).await;
    }
    d.wait_js("document.documentElement.dataset.theme === 'dark'")
        .await;
    let chosen = d.find("#settings-theme").await.prop("value").await.unwrap();
    assert_eq!(chosen.as_deref(), Some("dark"), "Settings shows the choice");
    d.choose_theme("system").await;
    d.close().await;
}

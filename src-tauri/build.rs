//! Build script: checks that the front end is built, and declares Appdesk's
//! commands so that Tauri generates one permission per command; the window's
//! capability (capabilities/default.json) then grants exactly those.

use std::path::Path;

/// Every `#[tauri::command]` the shell registers; keep in step with `main.rs`.
const COMMANDS: &[&str] = &[
    "list_apps",
    "get_app",
    "edit_app",
    "delete_app",
    "save_draft",
    "update_draft",
    "create_draft",
    "catalog",
    "preview_scopes",
    "set_scopes",
    "history",
    "change_tenants",
    "connections",
    "connect",
    "upgrade",
    "disable",
    "enable",
    "regenerate_secret",
    "activity",
    "activity_where",
    "activity_facets",
    "export_activity",
    "settings",
    "set_user",
    "change_token",
    "show_in_folder",
    "choose_paths",
    "export_app",
    "export_all",
    "plan_import",
    "apply_import",
    "set_window_title",
    "behind",
    "request_upgrades",
    "upgrade_notes",
    "rotate_secret",
    "retire_previous_secret",
    "choose_report_path",
    "export_behind",
    "watch_menu",
    "watch_updates",
    "update_settings",
    "set_update_check_at_start",
    "check_for_update",
    "install_update",
    "restart_app",
    "sync_status",
    "link_remote",
    "unlink_remote",
    "conflicts",
    "resolve_conflicts",
    "test_remote",
    "sync_plan",
    "sync_now",
];

fn main() {
    // `cfg(gtk)`: the systems where the window is GTK and WebKitGTK.
    println!("cargo::rustc-check-cfg=cfg(gtk)");
    let os = std::env::var("CARGO_CFG_TARGET_OS").unwrap_or_default();
    if ["linux", "dragonfly", "freebsd", "netbsd", "openbsd"].contains(&os.as_str()) {
        println!("cargo::rustc-cfg=gtk");
    }
    let dist = Path::new("../ui/dist");
    println!("cargo:rerun-if-changed=../ui/dist");
    if !dist.join("index.html").exists() {
        // Tauri embeds ../ui/dist at compile time and fails without it. Rather
        // than break `cargo build --workspace` for whoever has not built the UI,
        // embed a page that says what to run; scripts/e2e and CI build the UI first.
        println!(
            "cargo:warning=ui/dist is missing: the app will show a placeholder. \
             Run `npm --prefix ui ci && npm --prefix ui run build` first."
        );
        std::fs::create_dir_all(dist).expect("create ui/dist");
        std::fs::write(dist.join("index.html"), PLACEHOLDER).expect("write placeholder");
    }
    let manifest = tauri_build::AppManifest::new().commands(COMMANDS);
    tauri_build::try_build(tauri_build::Attributes::new().app_manifest(manifest))
        .expect("tauri-build");
}

const PLACEHOLDER: &str = "<!doctype html><html lang=\"en\"><meta charset=\"utf-8\">\
<title>Appdesk</title><body><h1>The Appdesk UI is not built</h1>\
<p>Run <code>npm --prefix ui ci &amp;&amp; npm --prefix ui run build</code>, then \
rebuild the desktop app.</p></body></html>\n";

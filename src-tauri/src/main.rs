//! The Appdesk desktop app: a Tauri 2 window over `appdesk-core`.
//!
//! This crate only translates. Each `#[tauri::command]` (one file per area under
//! `commands/`) takes the [`Store`](appdesk_core::Store) from state, calls one core
//! function on a blocking thread and returns its result or its
//! `{code, message, field, problems}` error. Rules belong in the core; a command
//! longer than a few lines means logic is in the wrong room.

#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

mod commands;
mod dialogs;
mod install;
mod menu;
mod opener;
mod state;
#[cfg(gtk)]
mod webkit_env;

#[cfg(test)]
mod acl;
#[cfg(test)]
mod bindings;

use tauri::Manager;

fn main() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    glibc_malloc::limit_arenas();
    #[cfg(gtk)]
    {
        set_webkit_env();
        if !display_in_sight() {
            // GTK would fail to start and the toolkit would panic; say why instead.
            eprintln!(
                "appdesk-desktop: no display to open a window on (DISPLAY and \
                 WAYLAND_DISPLAY are not set); the appdesk CLI works without one"
            );
            std::process::exit(1);
        }
    }
    let opened = state::open_from_env();
    match &opened {
        Err(e) => eprintln!("appdesk-desktop: {}", e.message),
        Ok(store) => {
            // Off the main thread: load the name list that one- and
            // two-character searches scan, so the first such keystroke is quick.
            let store = store.clone();
            let _ = std::thread::Builder::new()
                .name("appdesk-warm-up".into())
                .spawn(move || {
                    if let Err(e) = store.warm_up() {
                        eprintln!("appdesk-desktop: warming up search: {e}");
                    }
                });
        }
    }
    tauri::Builder::default()
        .manage(state::Shared::new(opened))
        .manage(menu::MenuSink::default())
        .menu(menu::build)
        .on_menu_event(|app, event| app.state::<menu::MenuSink>().send(event.id().as_ref()))
        .manage(commands::updates::Pending::default())
        .setup(|app| {
            // The updater is off where the configuration has no `plugins.updater`
            // (the test overlay removes it); it needs a configured public key.
            if app.config().plugins.0.contains_key("updater") {
                app.handle()
                    .plugin(tauri_plugin_updater::Builder::new().build())?;
                commands::updates::check_at_start(app.handle());
            }
            if let Some(window) = app.get_webview_window("main") {
                window.set_title("Appdesk")?;
            }
            Ok(())
        })
        .invoke_handler(tauri::generate_handler![
            commands::apps::list_apps,
            commands::apps::get_app,
            commands::apps::edit_app,
            commands::apps::delete_app,
            commands::drafts::save_draft,
            commands::drafts::update_draft,
            commands::drafts::create_draft,
            commands::scopes::catalog,
            commands::scopes::preview_scopes,
            commands::scopes::set_scopes,
            commands::scopes::history,
            commands::tenants::change_tenants,
            commands::connections::connections,
            commands::connections::connect,
            commands::connections::upgrade,
            commands::connections::disable,
            commands::connections::enable,
            commands::connections::regenerate_secret,
            commands::activity::activity,
            commands::activity::activity_where,
            commands::activity::activity_facets,
            commands::activity::export_activity,
            commands::settings::settings,
            commands::settings::set_user,
            commands::settings::change_token,
            commands::settings::show_in_folder,
            commands::exchange::choose_paths,
            commands::exchange::export_app,
            commands::exchange::export_all,
            commands::exchange::plan_import,
            commands::exchange::apply_import,
            commands::window::set_window_title,
            commands::lifecycle::behind,
            commands::lifecycle::request_upgrades,
            commands::lifecycle::upgrade_notes,
            commands::lifecycle::rotate_secret,
            commands::lifecycle::retire_previous_secret,
            commands::lifecycle::choose_report_path,
            commands::lifecycle::export_behind,
            commands::window::watch_menu,
            commands::updates::update_settings,
            commands::updates::set_update_check_at_start,
            commands::updates::check_for_update,
            commands::updates::install_update,
            commands::updates::restart_app,
            commands::updates::watch_updates,
            commands::sync::sync_status,
            commands::sync::link_remote,
            commands::sync::unlink_remote,
            commands::sync::conflicts,
            commands::sync::resolve_conflicts,
            commands::sync::test_remote,
            commands::sync::sync_plan,
            commands::sync::sync_now,
        ])
        .run(tauri::generate_context!())
        .unwrap_or_else(|e| {
            eprintln!("appdesk-desktop: {e}");
            std::process::exit(1);
        });
}

/// Sets WebKitGTK's environment defaults ([`webkit_env::DEFAULTS`]: shared
/// memory frames, no JavaScript JIT), keeping any the user chose.
#[cfg(gtk)]
#[allow(unsafe_code)]
fn set_webkit_env() {
    for (name, value) in webkit_env::to_set(|name| std::env::var_os(name)) {
        // SAFETY: the first thing `main` does, before any other thread exists,
        // so nothing can be reading the environment while it changes.
        unsafe { std::env::set_var(name, value) };
    }
}

/// glibc's allocator, tuned for a window that is mostly idle.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
#[allow(unsafe_code)]
mod glibc_malloc {
    use std::ffi::c_int;

    unsafe extern "C" {
        fn mallopt(param: c_int, value: c_int) -> c_int;
    }

    /// `M_ARENA_MAX` from glibc's malloc.h.
    const M_ARENA_MAX: c_int = -8;

    /// At most two malloc arenas instead of eight per core: each thread that
    /// allocates (tokio's workers and blocking threads, GTK's, WebKit's) would
    /// otherwise get an arena of its own, each keeping freed memory. Measured
    /// with `scripts/desktop-bench`: see the commit.
    pub fn limit_arenas() {
        // SAFETY: mallopt only changes a malloc parameter; called first thing
        // in `main`, with a constant glibc documents. A refusal (0) leaves the
        // default, which is harmless.
        unsafe { mallopt(M_ARENA_MAX, 2) };
    }
}

/// Whether GTK has a display to connect to: X11 (`DISPLAY`), Wayland
/// (`WAYLAND_DISPLAY`, `WAYLAND_SOCKET`, or the default `wayland-0` socket in
/// `XDG_RUNTIME_DIR`), or a backend chosen with `GDK_BACKEND` (broadway).
#[cfg(gtk)]
fn display_in_sight() -> bool {
    let set = |name: &str| std::env::var_os(name).is_some_and(|v| !v.is_empty());
    set("DISPLAY")
        || set("WAYLAND_DISPLAY")
        || set("WAYLAND_SOCKET")
        || set("GDK_BACKEND")
        || std::env::var_os("XDG_RUNTIME_DIR")
            .is_some_and(|dir| std::path::Path::new(&dir).join("wayland-0").exists())
}

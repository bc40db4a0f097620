//! The native menu bar (File, Edit, View, Help). Each item of ours has the id
//! of a window action (ui/src/lib/actions.ts) and the same shortcut the
//! window's keyboard handler knows; a click sends that id to the window over
//! the channel it registered with `watch_menu`, and the window runs the action
//! exactly as for the shortcut. Nothing is decided here.
//!
//! macOS needs the standard Edit items in the menu for its text shortcuts to
//! reach the web view; GTK and Windows web views handle those themselves, so
//! the items are there only on macOS (on GTK they would take the keys away
//! from the page's text fields).

use std::sync::Mutex;

use tauri::ipc::Channel;
use tauri::menu::{AboutMetadata, Menu, MenuItemBuilder, SubmenuBuilder};
use tauri::{AppHandle, Runtime};

/// `(id, label, accelerator)` of our items, by menu.
pub const FILE: &[(&str, &str, Option<&str>)] = &[
    ("new-draft", "New App", Some("CmdOrCtrl+N")),
    ("import", "Import…", Some("CmdOrCtrl+O")),
    ("export-all", "Export All…", None),
    ("settings", "Settings…", Some("CmdOrCtrl+,")),
];
pub const EDIT: &[(&str, &str, Option<&str>)] = &[
    ("search", "Find App", Some("CmdOrCtrl+F")),
    ("palette", "Command Palette…", Some("CmdOrCtrl+K")),
];
pub const VIEW: &[(&str, &str, Option<&str>)] = &[
    ("activity", "Activity", Some("CmdOrCtrl+Shift+A")),
    ("theme-system", "Theme: System", None),
    ("theme-light", "Theme: Light", None),
    ("theme-dark", "Theme: Dark", None),
];

/// Where menu clicks go: the channel the window gave to `watch_menu`.
#[derive(Default)]
pub struct MenuSink(Mutex<Option<Channel<String>>>);

impl MenuSink {
    pub fn watch(&self, channel: Channel<String>) {
        *self
            .0
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner) = Some(channel);
    }

    /// Sends `id` on, if it is one of our items and a window is watching.
    pub fn send(&self, id: &str) {
        let ours = FILE
            .iter()
            .chain(EDIT)
            .chain(VIEW)
            .any(|(i, _, _)| *i == id);
        let sink = self
            .0
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if let (true, Some(channel)) = (ours, sink.as_ref()) {
            // A window that went away cannot be told; nothing else to do.
            let _ = channel.send(id.to_owned());
        }
    }
}

/// The menu bar.
pub fn build<R: Runtime>(app: &AppHandle<R>) -> tauri::Result<Menu<R>> {
    let items = |list: &[(&str, &str, Option<&str>)]| -> tauri::Result<Vec<_>> {
        list.iter()
            .map(|(id, label, accel)| {
                let item = MenuItemBuilder::with_id(*id, *label);
                match accel {
                    Some(a) => item.accelerator(*a),
                    None => item,
                }
                .build(app)
            })
            .collect()
    };
    let mut file = SubmenuBuilder::new(app, "File");
    for (i, item) in items(FILE)?.iter().enumerate() {
        if i == 3 {
            file = file.separator();
        }
        file = file.item(item);
    }
    let file = file.separator().quit().build()?;

    let mut edit = SubmenuBuilder::new(app, "Edit");
    if cfg!(target_os = "macos") {
        edit = edit
            .undo()
            .redo()
            .separator()
            .cut()
            .copy()
            .paste()
            .select_all()
            .separator();
    }
    for item in &items(EDIT)? {
        edit = edit.item(item);
    }
    let edit = edit.build()?;

    let mut view = SubmenuBuilder::new(app, "View");
    for (i, item) in items(VIEW)?.iter().enumerate() {
        if i == 1 {
            view = view.separator();
        }
        view = view.item(item);
    }
    let view = view.build()?;

    let about = AboutMetadata {
        name: Some("Appdesk".into()),
        version: Some(env!("CARGO_PKG_VERSION").into()),
        comments: Some("Draft and manage ServiceTitan API apps offline".into()),
        ..AboutMetadata::default()
    };
    let help = SubmenuBuilder::new(app, "Help")
        .about(Some(about))
        .build()?;
    Menu::with_items(app, &[&file, &edit, &view, &help])
}

#[cfg(test)]
mod tests {
    use super::{EDIT, FILE, VIEW};

    /// Every item's id is an action the window runs: the ids in
    /// ui/src/lib/actions.ts (which the window checks each message against).
    #[test]
    fn every_menu_item_names_an_action_of_the_window() {
        let actions = std::fs::read_to_string(
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../ui/src/lib/actions.ts"),
        )
        .unwrap();
        let ids = &actions[actions.find("export type ActionId").unwrap()..];
        let ids = &ids[..ids.find(';').unwrap()];
        for (id, _, _) in FILE.iter().chain(EDIT).chain(VIEW) {
            assert!(ids.contains(&format!("'{id}'")), "{id} is not an ActionId");
        }
    }

    /// The window's shortcuts (ui/src/lib/keys.ts) and the menu's accelerators
    /// agree: each accelerated item's key maps to its id there.
    #[test]
    fn every_accelerator_is_the_windows_shortcut_for_the_same_action() {
        let keys = std::fs::read_to_string(
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../ui/src/lib/keys.ts"),
        )
        .unwrap();
        for (id, _, accel) in FILE.iter().chain(EDIT).chain(VIEW) {
            let Some(accel) = accel else { continue };
            let key = accel.rsplit('+').next().unwrap().to_lowercase();
            let key = if key.is_empty() { ",".to_owned() } else { key };
            let entry = format!("'{key}': '{id}'");
            let bare = format!("{key}: '{id}'");
            assert!(
                keys.contains(&entry) || keys.contains(&bare),
                "{accel} for {id} is not in keys.ts"
            );
        }
    }
}

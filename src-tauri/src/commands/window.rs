//! The window's own title, which follows the open app ("Dispatch Board —
//! Appdesk"), so that a window switcher or task bar says which app is open.

use tauri::ipc::Channel;
use tauri::{State, WebviewWindow};

use appdesk_core::{ErrorBody, ErrorCode};

use super::Reply;

/// "NAME — Appdesk", or "Appdesk" when no app (or an unnamed draft) is open.
pub fn title_for(app: Option<&str>) -> String {
    match app.map(str::trim).filter(|name| !name.is_empty()) {
        Some(name) => format!("{name} — Appdesk"),
        None => "Appdesk".to_owned(),
    }
}

/// Sets the title of the calling window for the open app's name (`None`: none).
#[tauri::command]
pub fn set_window_title(window: WebviewWindow, app: Option<String>) -> Reply<()> {
    window
        .set_title(&title_for(app.as_deref()))
        .map_err(|e| ErrorBody::new(ErrorCode::Internal, None, e.to_string()))
}

/// The window's channel for native menu clicks: each message is the id of
/// the action to run (see `menu.rs`).
#[tauri::command]
pub fn watch_menu(sink: State<'_, crate::menu::MenuSink>, events: Channel<String>) {
    sink.watch(events);
}

#[cfg(test)]
mod tests {
    use super::title_for;

    #[test]
    fn the_title_names_the_open_app_and_then_appdesk() {
        assert_eq!(
            title_for(Some("Dispatch Board")),
            "Dispatch Board — Appdesk"
        );
        assert_eq!(title_for(Some("  ")), "Appdesk");
        assert_eq!(title_for(None), "Appdesk");
    }
}

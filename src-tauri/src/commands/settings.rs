//! Settings (the user stamp, where the database is) and the change token the
//! window polls to show changes made elsewhere, by the CLI for one.

use appdesk_core::Store;
use serde::Serialize;
use tauri::State;

use super::Reply;
use crate::state::Shared;

/// What the Settings screen shows.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct Settings {
    pub user: String,
    /// The database file; `None` for an in-memory store.
    pub database: Option<String>,
    pub key_file: String,
    pub catalog_version: String,
    pub app_version: String,
}

impl Settings {
    fn of(store: &Store) -> Settings {
        Settings {
            user: store.user(),
            database: store.path().map(|p| p.display().to_string()),
            key_file: store.key_file().display().to_string(),
            catalog_version: store.catalog().catalog_version.clone(),
            app_version: env!("CARGO_PKG_VERSION").to_owned(),
        }
    }
}

#[tauri::command]
pub async fn settings(state: State<'_, Shared>) -> Reply<Settings> {
    state.run(|s| Ok(Settings::of(s))).await
}

/// Sets the user stamp recorded on every change from now on (R10).
#[tauri::command]
pub async fn set_user(state: State<'_, Shared>, name: String) -> Reply<Settings> {
    state
        .run(move |s| s.set_configured_user(&name).map(|_| Settings::of(s)))
        .await
}

/// Changes whenever anyone commits to the database; compare with the last one.
#[tauri::command]
pub async fn change_token(state: State<'_, Shared>) -> Reply<i64> {
    state.run(|s| s.change_token()).await
}

//! Settings (the user stamp, where the database is) and the change token the
//! window polls to show changes made elsewhere, by the CLI for one.

use appdesk_core::{ErrorBody, ErrorCode, Store};
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
    /// The folder holding the database file.
    pub data_dir: Option<String>,
    pub catalog_version: String,
    pub app_version: String,
}

impl Settings {
    fn of(store: &Store) -> Settings {
        Settings {
            user: store.user(),
            database: store.path().map(|p| p.display().to_string()),
            key_file: store.key_file().display().to_string(),
            data_dir: store
                .path()
                .and_then(|p| p.parent())
                .map(|p| p.display().to_string()),
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

/// Which of the Settings paths to show in the file manager. The window names
/// one of these, never a path of its own: it cannot open anything else.
#[derive(Debug, Clone, Copy, serde::Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(test, derive(ts_rs::TS))]
pub enum PathKind {
    Database,
    KeyFile,
    DataDir,
}

/// Opens the folder holding the database, the key file or the data folder in
/// the system's file manager (selecting the file where the system can).
#[tauri::command]
pub async fn show_in_folder(state: State<'_, Shared>, which: PathKind) -> Reply<()> {
    let path = state
        .run(move |s| {
            let db = s.path().map(std::path::Path::to_path_buf);
            Ok(match which {
                PathKind::Database => db,
                PathKind::KeyFile => Some(s.key_file().to_path_buf()),
                PathKind::DataDir => db.and_then(|p| p.parent().map(|d| d.to_path_buf())),
            })
        })
        .await?;
    let path =
        path.ok_or_else(|| ErrorBody::new(ErrorCode::NotFound, None, "the database is in memory"))?;
    crate::opener::show(&path, matches!(which, PathKind::DataDir))
}

/// Changes whenever anyone commits to the database; compare with the last one.
#[tauri::command]
pub async fn change_token(state: State<'_, Shared>) -> Reply<i64> {
    state.run(|s| s.change_token()).await
}

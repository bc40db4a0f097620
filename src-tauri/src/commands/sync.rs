//! Sync in the window (issue 10 §6): link, unlink, the status line, and the
//! conflicts' resolver. Like every command, each one calls one core function
//! on a blocking thread, so a slow portal never holds the window up.

use appdesk_core::sync::resolve::Take;
use appdesk_core::{RemoteAdded, RemoteRemoved, Resolution, StoredConflict, SyncStatus};
use serde::Deserialize;
use tauri::State;

use super::Reply;
use crate::state::Shared;

/// The linked remote (if any), last sync, pending changes and conflicts.
#[tauri::command]
pub async fn sync_status(state: State<'_, Shared>) -> Reply<SyncStatus> {
    state.run(|s| s.sync_status()).await
}

/// Links this database to a portal; the token is sealed, never echoed back.
#[tauri::command]
pub async fn link_remote(
    state: State<'_, Shared>,
    name: String,
    url: String,
    token: String,
) -> Reply<RemoteAdded> {
    state.run(move |s| s.add_remote(&name, &url, &token)).await
}

/// Unlinks: local apps stay as they are; unpushed intents are dropped.
#[tauri::command]
pub async fn unlink_remote(state: State<'_, Shared>, name: String) -> Reply<RemoteRemoved> {
    state.run(move |s| s.remove_remote(&name)).await
}

#[tauri::command]
pub async fn conflicts(state: State<'_, Shared>) -> Reply<Vec<StoredConflict>> {
    state.run(|s| s.conflicts()).await
}

/// What a resolution keeps, as the window sends it.
#[derive(Debug, Clone, Deserialize)]
#[serde(tag = "take", content = "value", rename_all = "camelCase")]
#[cfg_attr(test, derive(ts_rs::TS))]
pub enum TakeRequest {
    Mine,
    Theirs,
    Value(String),
}

/// Resolves one field of `app`, or all of its conflicts when `field` is null.
#[tauri::command]
pub async fn resolve_conflicts(
    state: State<'_, Shared>,
    app: String,
    field: Option<String>,
    take: TakeRequest,
) -> Reply<Resolution> {
    let take = match take {
        TakeRequest::Mine => Take::Mine,
        TakeRequest::Theirs => Take::Theirs,
        TakeRequest::Value(v) => Take::Value(v),
    };
    state
        .run(move |s| s.resolve_conflicts(&app, field.as_deref(), &take))
        .await
}

//! The scope catalog, scope changes with their preview, and the version history
//! (R2, R5, R6).

use appdesk_core::{Catalog, HistoryEntry, ScopeChange, ScopePreview};
use tauri::State;

use super::Reply;
use crate::state::Shared;

#[tauri::command]
pub async fn catalog(state: State<'_, Shared>) -> Reply<Catalog> {
    state.run(|s| Ok(s.catalog().clone())).await
}

#[tauri::command]
pub async fn preview_scopes(
    state: State<'_, Shared>,
    app: String,
    scopes: Vec<String>,
) -> Reply<ScopePreview> {
    state.run(move |s| s.preview_scopes(&app, &scopes)).await
}

#[tauri::command]
pub async fn set_scopes(
    state: State<'_, Shared>,
    app: String,
    scopes: Vec<String>,
) -> Reply<ScopeChange> {
    state.run(move |s| s.set_scopes(&app, &scopes)).await
}

#[tauri::command]
pub async fn history(state: State<'_, Shared>, app: String) -> Reply<Vec<HistoryEntry>> {
    state.run(move |s| s.history(&app)).await
}

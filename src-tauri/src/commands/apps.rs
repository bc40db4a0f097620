//! The apps list, one app, field edits and deletion (R1, R4, R9).

use appdesk_core::{App, AppEdit, AppSummary, DeletedApp, ListQuery, Page};
use tauri::State;

use super::Reply;
use crate::state::Shared;

/// One window of the apps list (the UI asks only for the rows it shows).
#[tauri::command]
pub async fn list_apps(state: State<'_, Shared>, query: ListQuery) -> Reply<Page<AppSummary>> {
    state.run(move |s| s.list_summaries(&query)).await
}

#[tauri::command]
pub async fn get_app(state: State<'_, Shared>, app: String) -> Reply<App> {
    state.run(move |s| s.app(&app)).await
}

#[tauri::command]
pub async fn edit_app(state: State<'_, Shared>, app: String, edit: AppEdit) -> Reply<App> {
    state.run(move |s| s.edit_app(&app, &edit)).await
}

#[tauri::command]
pub async fn delete_app(state: State<'_, Shared>, app: String) -> Reply<DeletedApp> {
    state.run(move |s| s.delete_app(&app)).await
}

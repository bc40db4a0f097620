//! Drafts (R3): saved as typed, created when complete.

use appdesk_core::{App, AppInput};
use tauri::State;

use super::Reply;
use crate::state::Shared;

#[tauri::command]
pub async fn save_draft(state: State<'_, Shared>, input: AppInput) -> Reply<App> {
    state.run(move |s| s.save_draft(&input)).await
}

#[tauri::command]
pub async fn update_draft(state: State<'_, Shared>, app: String, input: AppInput) -> Reply<App> {
    state.run(move |s| s.update_draft(&app, &input)).await
}

/// Validates the draft (every problem at once), then makes the key and version 1.
#[tauri::command]
pub async fn create_draft(state: State<'_, Shared>, app: String) -> Reply<App> {
    state.run(move |s| s.create_draft(&app)).await
}

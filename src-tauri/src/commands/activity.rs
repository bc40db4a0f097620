//! The activity log (R10).

use appdesk_core::ActivityEntry;
use tauri::State;

use super::Reply;
use crate::state::Shared;

/// Newest first; for one app when `app` is given.
#[tauri::command]
pub async fn activity(
    state: State<'_, Shared>,
    app: Option<String>,
    limit: i64,
) -> Reply<Vec<ActivityEntry>> {
    state.run(move |s| s.activity(app.as_deref(), limit)).await
}

//! The activity log (R10): the whole log, filtered, and exported as CSV.

use appdesk_core::{ActivityEntry, ActivityFacets, ActivityQuery};
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

/// Newest first, filtered by app name, user and action.
#[tauri::command]
pub async fn activity_where(
    state: State<'_, Shared>,
    query: ActivityQuery,
) -> Reply<Vec<ActivityEntry>> {
    state.run(move |s| s.activity_where(&query)).await
}

/// The users and actions the filters offer.
#[tauri::command]
pub async fn activity_facets(state: State<'_, Shared>) -> Reply<ActivityFacets> {
    state.run(|s| s.activity_facets()).await
}

/// Writes the entries `query` selects to `path` as CSV; how many were written.
#[tauri::command]
pub async fn export_activity(
    state: State<'_, Shared>,
    path: String,
    query: ActivityQuery,
) -> Reply<usize> {
    state
        .run(move |s| s.export_activity(path.as_ref(), &query))
        .await
}

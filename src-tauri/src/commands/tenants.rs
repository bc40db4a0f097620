//! Tenants an app is visible to (R7).

use appdesk_core::{App, TenantAdd};
use tauri::State;

use super::Reply;
use crate::state::Shared;

/// Adds (or re-notes) `add` and removes `remove`, in one change.
#[tauri::command]
pub async fn change_tenants(
    state: State<'_, Shared>,
    app: String,
    add: Vec<TenantAdd>,
    remove: Vec<String>,
) -> Reply<App> {
    state
        .run(move |s| s.change_tenants(&app, &add, &remove))
        .await
}

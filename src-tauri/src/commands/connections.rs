//! Tenants' connections (R8): connect, upgrade, disable, enable, regenerate.

use appdesk_core::{ConnectionOutcome, ConnectionView, Environment};
use tauri::State;

use super::Reply;
use crate::state::Shared;

#[tauri::command]
pub async fn connections(state: State<'_, Shared>, app: String) -> Reply<Vec<ConnectionView>> {
    state.run(move |s| s.connections(&app)).await
}

/// Connects at the latest version; the new secret is in the reply, once.
#[tauri::command]
pub async fn connect(
    state: State<'_, Shared>,
    app: String,
    tenant: String,
    env: Environment,
) -> Reply<ConnectionView> {
    state.run(move |s| s.connect(&app, &tenant, env)).await
}

#[tauri::command]
pub async fn upgrade(
    state: State<'_, Shared>,
    app: String,
    tenant: String,
    env: Environment,
) -> Reply<ConnectionOutcome> {
    state.run(move |s| s.upgrade(&app, &tenant, env)).await
}

#[tauri::command]
pub async fn disable(
    state: State<'_, Shared>,
    app: String,
    tenant: String,
    env: Environment,
) -> Reply<ConnectionOutcome> {
    state.run(move |s| s.disable(&app, &tenant, env)).await
}

#[tauri::command]
pub async fn enable(
    state: State<'_, Shared>,
    app: String,
    tenant: String,
    env: Environment,
) -> Reply<ConnectionOutcome> {
    state.run(move |s| s.enable(&app, &tenant, env)).await
}

/// A new client secret (the old one stops working); shown once.
#[tauri::command]
pub async fn regenerate_secret(
    state: State<'_, Shared>,
    app: String,
    tenant: String,
    env: Environment,
) -> Reply<ConnectionOutcome> {
    state
        .run(move |s| s.regenerate_secret(&app, &tenant, env))
        .await
}

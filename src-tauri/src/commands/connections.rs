//! Tenants' connections (R8): connect, upgrade, disable, enable, regenerate.
//! In a linked database the actions go to the portal's tenant-admin
//! endpoint (`appdesk_sync::connections::perform`), or are refused saying why.

use appdesk_core::{ConnectionOutcome, ConnectionView, Environment};
use appdesk_sync::client::ConnectionAction as Action;
use appdesk_sync::connections::perform;
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
    state
        .run_body(move |s| {
            perform(s, &app, &tenant, env, Action::Connect)
                .map(|o| o.connection)
                .map_err(|e| e.body())
        })
        .await
}

#[tauri::command]
pub async fn upgrade(
    state: State<'_, Shared>,
    app: String,
    tenant: String,
    env: Environment,
) -> Reply<ConnectionOutcome> {
    state
        .run_body(move |s| perform(s, &app, &tenant, env, Action::Upgrade).map_err(|e| e.body()))
        .await
}

#[tauri::command]
pub async fn disable(
    state: State<'_, Shared>,
    app: String,
    tenant: String,
    env: Environment,
) -> Reply<ConnectionOutcome> {
    state
        .run_body(move |s| perform(s, &app, &tenant, env, Action::Disable).map_err(|e| e.body()))
        .await
}

#[tauri::command]
pub async fn enable(
    state: State<'_, Shared>,
    app: String,
    tenant: String,
    env: Environment,
) -> Reply<ConnectionOutcome> {
    state
        .run_body(move |s| perform(s, &app, &tenant, env, Action::Enable).map_err(|e| e.body()))
        .await
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
        .run_body(move |s| perform(s, &app, &tenant, env, Action::Regenerate).map_err(|e| e.body()))
        .await
}

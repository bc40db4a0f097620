//! Sync in the window (issue 10 §6): link, unlink, test, the status line,
//! the plan, the sync with its progress, and the conflicts' resolver. Like
//! every command, each one calls one core or engine function on a blocking
//! thread, so a slow portal never holds the window (or typing) up.

use appdesk_core::sync::resolve::Take;
use appdesk_core::{RemoteAdded, RemoteRemoved, Resolution, StoredConflict, SyncStatus};
use appdesk_sync::{Mode, Progress, Report};
use serde::{Deserialize, Serialize};
use tauri::State;
use tauri::ipc::Channel;

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

/// Reaches the linked portal with the sealed token: OK, or why not.
#[tauri::command]
pub async fn test_remote(state: State<'_, Shared>) -> Reply<String> {
    state
        .run_body(|s| appdesk_sync::client::test_remote(s, None).map_err(|e| e.body()))
        .await
}

/// What a sync would pull, push and flag; writes nothing, here or remotely.
#[tauri::command]
pub async fn sync_plan(state: State<'_, Shared>) -> Reply<Report> {
    state
        .run_body(|s| appdesk_sync::sync(s, None, Mode::Plan, &mut |_| {}).map_err(|e| e.body()))
        .await
}

/// A step of a running sync, as the window's progress line shows it.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct SyncProgress {
    pub phase: String,
    pub done: u32,
    /// `None`: not known yet (the feed is read page by page).
    pub total: Option<u32>,
}

impl SyncProgress {
    fn of(p: Progress) -> SyncProgress {
        let n = |v: usize| u32::try_from(v).unwrap_or(u32::MAX);
        match p {
            Progress::Pulling { apps } => SyncProgress {
                phase: "Pulling".into(),
                done: n(apps),
                total: None,
            },
            Progress::Pushing { done, queued } => SyncProgress {
                phase: "Pushing".into(),
                done: n(done),
                total: Some(n(queued)),
            },
        }
    }
}

/// Syncs, reporting progress on `progress`. A failure loses nothing: the
/// outbox keeps every change not acknowledged.
#[tauri::command]
pub async fn sync_now(state: State<'_, Shared>, progress: Channel<SyncProgress>) -> Reply<Report> {
    state
        .run_body(move |s| {
            // A window that went away cannot be told; the sync goes on.
            let mut tell = |p: Progress| drop(progress.send(SyncProgress::of(p)));
            appdesk_sync::sync(s, None, Mode::Apply, &mut tell).map_err(|e| e.body())
        })
        .await
}

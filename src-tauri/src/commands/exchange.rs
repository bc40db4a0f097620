//! Export and import of app definition files (DESIGN §3) from the window.
//!
//! The format, its validation and the import plan are the core's
//! (`appdesk_core::exchange`, `Store::plan_import`, `Store::apply_import_with`).
//! Choosing paths is a command of its own ([`choose_paths`]), so the window asks
//! for paths first and then calls an action with them. Nothing is written by
//! `plan_import`; `apply_import` is called only when the user confirms the plan,
//! and the core makes the plan again inside its transaction.

use std::path::PathBuf;

use appdesk_core::exchange::{self, ExportFormat};
use appdesk_core::{Error, ErrorBody, ErrorCode, ImportPlan};
use serde::{Deserialize, Serialize};
use tauri::State;
use tauri::ipc::Channel;

use super::Reply;
use crate::dialogs::{self, Dialog};
use crate::state::Shared;

/// Which native dialog the window asks for.
#[derive(Debug, Clone, Deserialize)]
#[serde(tag = "kind", rename_all = "camelCase")]
#[cfg_attr(test, derive(ts_rs::TS))]
pub enum PathRequest {
    /// A file to export one app to; proposes the app's file name.
    #[serde(rename_all = "camelCase")]
    ExportFile {
        app: String,
    },
    ExportFolder,
    ImportFiles,
    ImportFolder,
}

/// How far an import has got; sent over a channel while `apply_import` runs.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct ImportProgress {
    pub stage: ImportStage,
    pub done: u32,
    pub total: u32,
}

/// Files are read first, then the plan is applied app by app.
#[derive(Debug, Clone, Copy, Serialize)]
#[serde(rename_all = "lowercase")]
#[cfg_attr(test, derive(ts_rs::TS))]
pub enum ImportStage {
    Reading,
    Applying,
}

/// Progress is sent every this many items (and for the first and the last).
const PROGRESS_EVERY: usize = 100;

/// Opens the dialog; the chosen paths, or none when it was cancelled.
#[tauri::command]
pub async fn choose_paths(state: State<'_, Shared>, request: PathRequest) -> Reply<Vec<String>> {
    let dialog = match request {
        PathRequest::ExportFile { app } => {
            let docs = state
                .run(move |s| s.export_documents(Some(&app), false))
                .await?;
            let name = docs.first().map(exchange::file_name).unwrap_or_default();
            Dialog::SaveFile { name }
        }
        PathRequest::ExportFolder => Dialog::ExportFolder,
        PathRequest::ImportFiles => Dialog::ImportFiles,
        PathRequest::ImportFolder => Dialog::ImportFolder,
    };
    let paths = dialogs::ask(dialog).await;
    Ok(paths.iter().map(|p| p.display().to_string()).collect())
}

/// Writes one app's document to `path`; returns the path written.
#[tauri::command]
pub async fn export_app(
    state: State<'_, Shared>,
    app: String,
    path: String,
    history: bool,
    format: ExportFormat,
) -> Reply<Vec<String>> {
    state
        .run(move |s| {
            let docs = s.export_documents(Some(&app), history)?;
            let doc = docs.first().ok_or(Error::AppNotFound(app))?;
            Ok(std::fs::write(&path, exchange::render(doc, format)).map(|()| vec![path.clone()]))
        })
        .await?
        .map_err(|e| io_error(e, "the file"))
}

/// Writes every app and draft to its own file in `dir`; returns the paths.
#[tauri::command]
pub async fn export_all(
    state: State<'_, Shared>,
    dir: String,
    history: bool,
    format: ExportFormat,
) -> Reply<Vec<String>> {
    state
        .run(move |s| {
            let docs = s.export_documents(None, history)?;
            Ok(exchange::write_folder(dir.as_ref(), &docs, format))
        })
        .await?
        .map(|paths| paths.iter().map(|p| p.display().to_string()).collect())
        .map_err(|e| io_error(e, "the folder"))
}

/// What importing `paths` (files or folders) would do; writes nothing. Problems
/// in the files come back as an `invalid_file` error with every `fileProblems`.
#[tauri::command]
pub async fn plan_import(state: State<'_, Shared>, paths: Vec<String>) -> Reply<ImportPlan> {
    let paths: Vec<PathBuf> = paths.into_iter().map(PathBuf::from).collect();
    state
        .run(move |s| {
            let files = exchange::read_paths(&paths, s.catalog()).map_err(Error::Import)?;
            s.plan_import(&files)
        })
        .await
}

/// Imports `paths` in one transaction, reporting progress on `progress`;
/// returns the plan that was applied (made again from the files as they are now).
#[tauri::command]
pub async fn apply_import(
    state: State<'_, Shared>,
    paths: Vec<String>,
    progress: Channel<ImportProgress>,
) -> Reply<ImportPlan> {
    let paths: Vec<PathBuf> = paths.into_iter().map(PathBuf::from).collect();
    state
        .run(move |s| {
            let reading = |done, total| send(&progress, ImportStage::Reading, done, total);
            let files =
                exchange::read_paths_with(&paths, s.catalog(), reading).map_err(Error::Import)?;
            s.apply_import_with(&files, |done, total| {
                send(&progress, ImportStage::Applying, done, total)
            })
        })
        .await
}

/// Sends progress for the first item, every [`PROGRESS_EVERY`] items and the
/// last, so that 10k apps make about a hundred messages, not 10k.
fn send(channel: &Channel<ImportProgress>, stage: ImportStage, done: usize, total: usize) {
    if done == 1 || done == total || done.is_multiple_of(PROGRESS_EVERY) {
        let n = |v: usize| u32::try_from(v).unwrap_or(u32::MAX);
        // A window that went away cannot be told; the import goes on regardless.
        let _ = channel.send(ImportProgress {
            stage,
            done: n(done),
            total: n(total),
        });
    }
}

/// A file that could not be written, in the core's error shape.
fn io_error(e: std::io::Error, what: &str) -> ErrorBody {
    ErrorBody::new(
        ErrorCode::Io,
        Some("path"),
        format!("cannot write {what}: {e}"),
    )
}

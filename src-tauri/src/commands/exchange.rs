//! Export and import of app definition files (DESIGN §3) from the window.
//!
//! The format, its validation, the import plan and the writing of files are the
//! core's (`Store::export_files`, `Store::import_paths`). Choosing paths is a
//! command of its own ([`choose_paths`]), so the window asks for paths first and
//! then calls an action with them. Nothing is written by `plan_import`;
//! `apply_import` is called only when the user confirms the plan, with the
//! plan's fingerprint: the core makes the plan again inside its transaction and
//! refuses (`plan_changed`, nothing written) unless it is the plan the user saw.

use std::path::PathBuf;

use appdesk_core::exchange::{self, ExportFormat};
use appdesk_core::{ImportMode, ImportPlan, ImportStage};
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
    /// A CSV file to export the activity log to.
    ActivityCsv,
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
        PathRequest::ActivityCsv => Dialog::SaveCsv {
            name: "appdesk-activity.csv".to_owned(),
        },
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
    let written = state
        .run(move |s| s.export_files(Some(&app), path.as_ref(), history, format))
        .await?;
    Ok(displayed(&written))
}

/// Writes every app and draft to its own file in `dir`; returns the paths.
#[tauri::command]
pub async fn export_all(
    state: State<'_, Shared>,
    dir: String,
    history: bool,
    format: ExportFormat,
) -> Reply<Vec<String>> {
    let written = state
        .run(move |s| s.export_files(None, dir.as_ref(), history, format))
        .await?;
    Ok(displayed(&written))
}

fn displayed(paths: &[PathBuf]) -> Vec<String> {
    paths.iter().map(|p| p.display().to_string()).collect()
}

/// What importing `paths` (files or folders) would do; writes nothing. Problems
/// in the files come back as an `invalid_file` error with every `fileProblems`.
#[tauri::command]
pub async fn plan_import(state: State<'_, Shared>, paths: Vec<String>) -> Reply<ImportPlan> {
    plan(&state, paths).await
}

/// Imports `paths` in one transaction if their plan still has `fingerprint`
/// (the plan the user confirmed), reporting progress on `progress`.
#[tauri::command]
pub async fn apply_import(
    state: State<'_, Shared>,
    paths: Vec<String>,
    fingerprint: String,
    progress: Channel<ImportProgress>,
) -> Reply<ImportPlan> {
    apply(&state, paths, fingerprint, move |p| {
        // A window that went away cannot be told; the import goes on regardless.
        let _ = progress.send(p);
    })
    .await
}

/// The body of [`plan_import`], callable without a window.
pub async fn plan(state: &Shared, paths: Vec<String>) -> Reply<ImportPlan> {
    let paths: Vec<PathBuf> = paths.into_iter().map(PathBuf::from).collect();
    state
        .run(move |s| s.import_paths(&paths, ImportMode::Plan, |_, _, _| {}))
        .await
}

/// The body of [`apply_import`], callable without a window: `report` gets the
/// first, every [`PROGRESS_EVERY`]th and the last progress of each stage, so
/// that 10k apps make about a hundred messages, not 10k.
pub async fn apply(
    state: &Shared,
    paths: Vec<String>,
    fingerprint: String,
    report: impl Fn(ImportProgress) + Send + 'static,
) -> Reply<ImportPlan> {
    let paths: Vec<PathBuf> = paths.into_iter().map(PathBuf::from).collect();
    state
        .run(move |s| {
            let mode = ImportMode::Apply {
                expect: Some(&fingerprint),
            };
            s.import_paths(&paths, mode, |stage, done, total| {
                if done == 1 || done == total || done.is_multiple_of(PROGRESS_EVERY) {
                    let n = |v: usize| u32::try_from(v).unwrap_or(u32::MAX);
                    report(ImportProgress {
                        stage,
                        done: n(done),
                        total: n(total),
                    });
                }
            })
        })
        .await
}

#[cfg(test)]
mod tests {
    use std::sync::{Arc, Mutex};

    use appdesk_core::{AppInput, Store, StoreOptions, TenantEntry};

    use super::*;

    fn run<T>(f: impl std::future::Future<Output = T>) -> T {
        tauri::async_runtime::block_on(f)
    }

    /// A store in a temp dir with one app, and that app's file with a new homepage.
    fn store_and_file(dir: &std::path::Path, homepage: &str) -> (Shared, String) {
        let store = Store::open(&dir.join("a.db"), StoreOptions::default()).unwrap();
        store
            .create_app(&AppInput {
                name: "Dispatch Board".into(),
                organization: "Acme".into(),
                homepage_url: "https://acme.example".into(),
                tenants: vec![TenantEntry::new("1234", "HQ")],
                scopes: vec!["tn.crm.customers:r".into()],
                ..AppInput::default()
            })
            .unwrap();
        let file = rewrite(&store, dir, homepage);
        (Shared::new(Ok(store)), file)
    }

    fn rewrite(store: &Store, dir: &std::path::Path, homepage: &str) -> String {
        let mut doc = store.export_documents(None, false).unwrap().remove(0);
        doc.homepage_url = homepage.into();
        let file = dir.join("board.json");
        std::fs::write(&file, exchange::render(&doc, ExportFormat::Appdesk)).unwrap();
        file.display().to_string()
    }

    fn homepage(state: &Shared) -> String {
        run(state.run(|s| s.app("Dispatch Board")))
            .unwrap()
            .homepage_url
    }

    #[test]
    fn confirming_a_plan_whose_file_changed_is_refused_and_writes_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let (state, file) = store_and_file(dir.path(), "https://shown.example");
        let shown = run(plan(&state, vec![file.clone()])).unwrap();
        assert_eq!(shown.apps[0].changes[0].to, "https://shown.example/");

        let reopened = Store::open(&dir.path().join("a.db"), StoreOptions::default()).unwrap();
        rewrite(&reopened, dir.path(), "https://swapped.example");
        let sent = Arc::new(Mutex::new(Vec::new()));
        let log = Arc::clone(&sent);
        let err = run(apply(
            &state,
            vec![file.clone()],
            shown.fingerprint.clone(),
            move |p| log.lock().unwrap().push(p.stage),
        ))
        .unwrap_err();
        assert_eq!(err.code, "plan_changed", "{}", err.message);
        assert_eq!(homepage(&state), "https://acme.example/", "nothing written");
        assert!(
            !sent.lock().unwrap().contains(&ImportStage::Applying),
            "no app was applied"
        );

        let now = run(plan(&state, vec![file.clone()])).unwrap();
        assert_ne!(now.fingerprint, shown.fingerprint);
        run(apply(&state, vec![file], now.fingerprint, |_| {})).unwrap();
        assert_eq!(homepage(&state), "https://swapped.example/");
    }
}

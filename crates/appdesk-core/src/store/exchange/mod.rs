//! Export and import of app definition files (DESIGN §3) against the store.
//!
//! One flow for every client: [`Store::export_files`] writes what
//! [`Store::export_documents`] reads, and [`Store::import_paths`] reads files,
//! plans, and applies (or only plans). The CLI and the window call these and
//! only translate their arguments and results.
//!
//! - `export`: every table read once in one snapshot, documents assembled in
//!   memory, so exporting 10k apps costs a handful of queries, not 10k.
//! - `plan`: what an import would do, app by app, with a fingerprint of the
//!   documents read and of the plan itself, so that a confirmation can be bound
//!   to the plan that was shown.
//! - `apply`: the plan made again inside one transaction and applied, all of it
//!   or nothing; refused when it is not the plan that was confirmed.

mod apply;
mod export;
mod plan;

use std::path::{Path, PathBuf};

use serde::Serialize;

use super::Store;
use crate::error::{Error, Result};
use crate::exchange::{self, AppDocument, ExportFormat};
use crate::model::{AppInput, AppStatus};

/// What an import does, app by app.
#[derive(Debug, Clone, Default, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct ImportPlan {
    pub apps: Vec<PlannedApp>,
    pub create: usize,
    pub update: usize,
    pub unchanged: usize,
    /// SHA-256 (hex) of the documents read and of this plan. Confirming with it
    /// ([`ImportMode::Apply`]) applies this plan or nothing.
    pub fingerprint: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "lowercase")]
pub enum PlanAction {
    Create,
    Update,
    Unchanged,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct PlannedApp {
    pub file: String,
    pub path: String,
    /// `None` for a new app whose file has no id (one is made on import).
    pub id: Option<String>,
    pub name: String,
    pub status: AppStatus,
    pub action: PlanAction,
    /// Field changes of an existing app: `{field, from, to}`.
    pub changes: Vec<FieldChange>,
    pub scopes_added: Vec<String>,
    pub scopes_removed: Vec<String>,
    /// The version the import creates or makes (a new app's current version).
    pub new_version: Option<i64>,
    pub tenants_added: Vec<String>,
    pub tenants_removed: Vec<String>,
    pub tenant_notes_changed: Vec<String>,
    /// What the user should know before confirming, e.g. that another app of
    /// the same name exists (names are not unique, so it is allowed).
    pub warnings: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct FieldChange {
    pub field: String,
    pub from: String,
    pub to: String,
}

/// What [`Store::import_paths`] does after reading the files.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImportMode<'a> {
    /// Only the plan; nothing is written.
    Plan,
    /// Plan and apply. With `expect`, the plan made inside the transaction must
    /// have that fingerprint, else [`Error::PlanChanged`] and nothing is written.
    Apply { expect: Option<&'a str> },
}

/// Files are read first, then the plan is applied app by app.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "lowercase")]
pub enum ImportStage {
    Reading,
    Applying,
}

impl Store {
    /// Exports to disk: one app to the file `out`, or (`app` = `None`) every app
    /// and draft to its own file in the folder `out`. Never writes through a
    /// symlink; see [`exchange::write_folder`]. Returns the paths written.
    pub fn export_files(
        &self,
        app: Option<&str>,
        out: &Path,
        history: bool,
        format: ExportFormat,
    ) -> Result<Vec<PathBuf>> {
        let docs = self.export_documents(app, history)?;
        match app {
            None => exchange::write_folder(out, &docs, format),
            Some(query) => {
                let doc = docs
                    .first()
                    .ok_or_else(|| Error::AppNotFound(query.to_owned()))?;
                exchange::write_file(out, doc, format).map(|p| vec![p])
            }
        }
    }

    /// Reads the files and folders at `paths`, plans the import and, with
    /// [`ImportMode::Apply`], applies it. `progress(stage, done, total)` is called
    /// after each file read and each app applied. Problems in the files come back
    /// as [`Error::Import`], every one of them.
    pub fn import_paths(
        &self,
        paths: &[PathBuf],
        mode: ImportMode<'_>,
        mut progress: impl FnMut(ImportStage, usize, usize),
    ) -> Result<ImportPlan> {
        let files = exchange::read_paths_with(paths, self.catalog(), |done, total| {
            progress(ImportStage::Reading, done, total)
        })
        .map_err(Error::Import)?;
        match mode {
            ImportMode::Plan => self.plan_import(&files),
            ImportMode::Apply { expect } => self
                .apply_import_checked(&files, expect, |d, t| progress(ImportStage::Applying, d, t)),
        }
    }
}

fn draft_input(doc: &AppDocument) -> AppInput {
    AppInput {
        name: doc.name.clone(),
        organization: doc.organization.clone(),
        homepage_url: doc.homepage_url.clone(),
        audience: doc.audience,
        credentials: doc.credentials,
        tenants: doc.tenants.clone(),
        scopes: doc.scopes.clone(),
    }
}

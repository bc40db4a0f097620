//! Apply: an import made again inside one transaction and written, all of it or
//! nothing. Changes to existing apps go through the same paths as edits by hand,
//! so a scope change makes a version (R5) and a removed tenant's connections end
//! (R8).

use rusqlite::Connection;

use super::super::activity::{self, Action, Stamp};
use super::super::apps::{NewApp, edit_created, unique_app_key, write_created};
use super::super::drafts::{insert_draft, write_draft};
use super::super::rows::{self, AppRow};
use super::super::tenants::{self, TenantAdd};
use super::super::{Store, new_id};
use super::plan::{Step, plan};
use super::{ImportPlan, PlanAction, draft_input};
use crate::error::{Error, Result};
use crate::exchange::{ParsedFile, VersionRecord};
use crate::model::{AppEdit, AppStatus};
use crate::scope::ScopeSet;
use crate::validate;

impl Store {
    /// Imports `files` in one transaction, as planned; returns the plan.
    pub fn apply_import(&self, files: &[ParsedFile]) -> Result<ImportPlan> {
        self.apply_import_with(files, |_, _| {})
    }

    /// [`Store::apply_import`], calling `progress(done, total)` after each app
    /// is applied (`total` counts every planned app, unchanged ones included).
    /// The plan is made again inside the transaction, so what is applied is
    /// what the database holds now, not what an earlier `plan_import` saw. The
    /// last call comes before the commit: a failure after it still writes nothing.
    pub fn apply_import_with(
        &self,
        files: &[ParsedFile],
        progress: impl FnMut(usize, usize),
    ) -> Result<ImportPlan> {
        self.apply_import_checked(files, None, progress)
    }

    /// [`Store::apply_import_with`], bound to a plan shown before: unless the
    /// plan made inside the transaction has the fingerprint `expect`, nothing is
    /// written and the error is [`Error::PlanChanged`].
    pub fn apply_import_checked(
        &self,
        files: &[ParsedFile],
        expect: Option<&str>,
        mut progress: impl FnMut(usize, usize),
    ) -> Result<ImportPlan> {
        let stamp = self.stamp();
        self.write(|conn| {
            let (plan, steps) = plan(conn, files)?;
            if let Some(expected) = expect.filter(|e| *e != plan.fingerprint) {
                return Err(Error::PlanChanged {
                    expected: expected.to_owned(),
                    found: plan.fingerprint,
                });
            }
            for (done, step) in steps.iter().enumerate() {
                self.apply_step(conn, &stamp, step)?;
                progress(done + 1, steps.len());
            }
            Ok(plan)
        })
    }

    fn apply_step(&self, conn: &Connection, stamp: &Stamp, step: &Step<'_>) -> Result<()> {
        let doc = &step.parsed.document;
        let summary = |what: &str| format!("imported from {}: {what}", step.file);
        match (&step.existing, doc.status) {
            (None, AppStatus::Draft) => {
                let id = if doc.id.is_empty() {
                    new_id()
                } else {
                    doc.id.clone()
                };
                insert_draft(
                    conn,
                    stamp,
                    &id,
                    &draft_input(doc),
                    Action::Import,
                    &summary("draft"),
                )
            }
            (Some(row), AppStatus::Draft) => {
                if step.planned.action == PlanAction::Update {
                    write_draft(conn, stamp, &row.id, &draft_input(doc))?;
                    activity::record(
                        conn,
                        stamp,
                        (&row.id, &doc.name),
                        Action::Import,
                        &summary("draft updated"),
                    )?;
                }
                Ok(())
            }
            (existing, AppStatus::Created) if step.planned.action == PlanAction::Create => {
                let valid =
                    validate::app(&draft_input(doc), self.catalog()).map_err(Error::Invalid)?;
                let first;
                let versions: &[VersionRecord] = match &doc.history {
                    Some(history) => history,
                    None => {
                        first = [VersionRecord {
                            version: 1,
                            scopes: valid.scopes.to_strings(),
                            created_at: stamp.at.clone(),
                            created_by: stamp.user.clone(),
                        }];
                        &first
                    }
                };
                let new = NewApp {
                    id: existing.as_ref().map(|r| r.id.clone()).unwrap_or_else(|| {
                        if doc.id.is_empty() {
                            new_id()
                        } else {
                            doc.id.clone()
                        }
                    }),
                    key: match &doc.app_key {
                        Some(key) => key.clone(),
                        None => unique_app_key(conn)?,
                    },
                    app: &valid,
                    versions,
                    replaces_draft: existing.is_some(),
                };
                let what = format!("created at version {}", versions.len());
                write_created(conn, stamp, &new, Action::Import, &summary(&what)).map(drop)
            }
            (Some(row), AppStatus::Created) if step.planned.action == PlanAction::Update => {
                self.update_created(conn, stamp, row, step)?;
                activity::record(
                    conn,
                    stamp,
                    (&row.id, &doc.name),
                    Action::Import,
                    &summary("updated"),
                )
            }
            _ => Ok(()),
        }
    }

    fn update_created(
        &self,
        conn: &Connection,
        stamp: &Stamp,
        row: &AppRow,
        step: &Step<'_>,
    ) -> Result<()> {
        let doc = &step.parsed.document;
        let edit = AppEdit {
            name: Some(doc.name.clone()),
            organization: Some(doc.organization.clone()),
            homepage_url: Some(doc.homepage_url.clone()),
            audience: Some(doc.audience),
            credentials: Some(doc.credentials),
        };
        edit_created(conn, stamp, row, &edit)?;
        let row = rows::app_row(conn, &row.id)?;
        if !step.planned.scopes_added.is_empty() || !step.planned.scopes_removed.is_empty() {
            let current = super::super::scopes::current_scopes(conn, &row)?;
            self.save_scopes(
                conn,
                stamp,
                row.clone(),
                current,
                ScopeSet::from_stored(&doc.scopes),
            )?;
        }
        let adds: Vec<TenantAdd> = doc
            .tenants
            .iter()
            .filter(|t| {
                step.planned.tenants_added.contains(&t.id)
                    || step.planned.tenant_notes_changed.contains(&t.id)
            })
            .map(|t| TenantAdd {
                id: t.id.clone(),
                note: Some(t.note.clone()),
            })
            .collect();
        tenants::apply_to_created(conn, stamp, &row, &adds, &step.planned.tenants_removed)
    }
}

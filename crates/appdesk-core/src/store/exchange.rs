//! Export and import of app definition files (DESIGN §3) against the store.
//!
//! Export reads every table once in one snapshot and assembles the documents in
//! memory, so exporting 10k apps costs a handful of queries, not 10k. Import is
//! planned first (what would be created and updated, with each change) and then
//! applied in one transaction: all of it or nothing. Changes to existing apps go
//! through the same paths as edits by hand, so a scope change makes a version
//! (R5) and a removed tenant's connections end (R8).

use std::collections::HashMap;

use rusqlite::{Connection, OptionalExtension};
use serde::Serialize;

use super::activity::{self, Action, Stamp};
use super::apps::{NewApp, edit_created, unique_app_key, write_created};
use super::drafts::{insert_draft, write_draft};
use super::rows::{self, APP_COLUMNS, AppRow};
use super::tenants::{self, TenantAdd};
use super::{Store, new_id};
use crate::error::{Error, Result};
use crate::exchange::{AppDocument, FORMAT_V1, ParsedDocument, ParsedFile, VersionRecord};
use crate::model::{AppEdit, AppInput, AppStatus, TenantEntry};
use crate::scope::ScopeSet;
use crate::validate;

/// What an import does, app by app.
#[derive(Debug, Clone, Default, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct ImportPlan {
    pub apps: Vec<PlannedApp>,
    pub create: usize,
    pub update: usize,
    pub unchanged: usize,
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
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct FieldChange {
    pub field: String,
    pub from: String,
    pub to: String,
}

impl Store {
    /// The documents of one app, or of all apps and drafts sorted by name.
    pub fn export_documents(&self, app: Option<&str>, history: bool) -> Result<Vec<AppDocument>> {
        self.read(|conn| {
            let only = app
                .map(|q| rows::resolve(conn, q))
                .transpose()?
                .map(|r| r.id);
            let apps: Vec<AppRow> = conn
                .prepare(&format!(
                    "SELECT {APP_COLUMNS} FROM apps WHERE ?1 IS NULL OR id = ?1
                     ORDER BY name_folded, id"
                ))?
                .query_map([&only], AppRow::from_row)?
                .collect::<rusqlite::Result<_>>()?;
            let mut tenants: HashMap<String, Vec<TenantEntry>> = HashMap::new();
            let mut stmt = conn.prepare(
                "SELECT app_id, tenant_id, note FROM app_tenants WHERE ?1 IS NULL OR app_id = ?1
                 ORDER BY app_id, tenant_id",
            )?;
            let mut found = stmt.query([&only])?;
            while let Some(r) = found.next()? {
                tenants.entry(r.get(0)?).or_default().push(TenantEntry {
                    id: r.get(1)?,
                    note: r.get(2)?,
                });
            }
            let versions = versions_by_app(conn, only.as_deref(), history)?;
            apps.into_iter()
                .map(|row| document(row, &mut tenants, &versions, history))
                .collect()
        })
    }

    /// What importing `files` would do; writes nothing. Problems that only the
    /// database reveals (a deleted app's key, an id and a key naming two apps)
    /// are all reported, each at its document.
    pub fn plan_import(&self, files: &[ParsedFile]) -> Result<ImportPlan> {
        self.read(|conn| Ok(plan(conn, files)?.0))
    }

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
        mut progress: impl FnMut(usize, usize),
    ) -> Result<ImportPlan> {
        let stamp = self.stamp();
        self.write(|conn| {
            let (plan, steps) = plan(conn, files)?;
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
            let current = super::scopes::current_scopes(conn, &row)?;
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

/// One document, what it matches in the database, and what will be done.
struct Step<'a> {
    file: &'a str,
    parsed: &'a ParsedDocument,
    existing: Option<AppRow>,
    planned: PlannedApp,
}

fn plan<'a>(conn: &Connection, files: &'a [ParsedFile]) -> Result<(ImportPlan, Vec<Step<'a>>)> {
    let mut problems = Vec::new();
    let mut steps = Vec::new();
    for file in files {
        for parsed in &file.documents {
            match plan_one(conn, &file.name, parsed)? {
                Ok(step) => steps.push(step),
                Err(message) => problems.push(parsed.problem(&file.name, message)),
            }
        }
    }
    if !problems.is_empty() {
        return Err(Error::Import(problems));
    }
    let mut plan = ImportPlan::default();
    for step in &steps {
        match step.planned.action {
            PlanAction::Create => plan.create += 1,
            PlanAction::Update => plan.update += 1,
            PlanAction::Unchanged => plan.unchanged += 1,
        }
        plan.apps.push(step.planned.clone());
    }
    Ok((plan, steps))
}

/// `Ok(Err(message))` is a problem with the document; `Err(e)` a failure.
fn plan_one<'a>(
    conn: &Connection,
    file: &'a str,
    parsed: &'a ParsedDocument,
) -> Result<std::result::Result<Step<'a>, String>> {
    let doc = &parsed.document;
    let by_id = find(conn, "id", &doc.id)?;
    let by_key = match &doc.app_key {
        Some(key) => find(conn, "app_key", key)?,
        None => None,
    };
    for (what, value) in [("id", Some(&doc.id)), ("app key", doc.app_key.as_ref())] {
        let Some(value) = value.filter(|v| !v.is_empty()) else {
            continue;
        };
        let deleted: Option<String> = conn
            .query_row(
                "SELECT name FROM tombstones WHERE app_id = ?1 OR app_key = ?1",
                [value],
                |r| r.get(0),
            )
            .optional()?;
        if let Some(name) = deleted {
            return Ok(Err(format!(
                "{what} {value} belonged to {name:?}, deleted here; a deleted app is not brought back"
            )));
        }
    }
    let existing = match (by_id, by_key) {
        (Some(a), Some(b)) if a.id != b.id => {
            return Ok(Err(format!(
                "the id names {:?} but the app key names {:?}",
                a.name, b.name
            )));
        }
        (None, Some(b)) if !doc.id.is_empty() => {
            return Ok(Err(format!(
                "app key {} belongs to {:?} ({}), not to id {}",
                b.app_key.unwrap_or_default(),
                b.name,
                b.id,
                doc.id
            )));
        }
        (a, b) => a.or(b),
    };
    let mut planned = PlannedApp {
        file: file.to_owned(),
        path: parsed.path.clone(),
        id: existing
            .as_ref()
            .map(|r| r.id.clone())
            .or_else(|| Some(doc.id.clone()).filter(|i| !i.is_empty())),
        name: doc.name.clone(),
        status: doc.status,
        action: PlanAction::Create,
        changes: Vec::new(),
        scopes_added: Vec::new(),
        scopes_removed: Vec::new(),
        new_version: None,
        tenants_added: Vec::new(),
        tenants_removed: Vec::new(),
        tenant_notes_changed: Vec::new(),
    };
    // Whether the document creates an app (new, or a draft here becoming the
    // created app of the file); otherwise it is compared with the app here.
    let creates = match (&existing, doc.status) {
        (None, _)
        | (
            Some(AppRow {
                current_version: None,
                ..
            }),
            AppStatus::Created,
        ) => {
            if doc.status == AppStatus::Created {
                planned.new_version = Some(doc.history.as_ref().map_or(1, |h| h.len() as i64));
                planned.scopes_added = doc.scopes.clone();
            }
            planned.tenants_added = doc.tenants.iter().map(|t| t.id.clone()).collect();
            true
        }
        (Some(row), AppStatus::Draft) if row.current_version.is_some() => {
            return Ok(Err(format!(
                "{:?} is created here; a draft file cannot replace it",
                row.name
            )));
        }
        (Some(row), AppStatus::Draft) => {
            let here = row.draft_input()?;
            compare_fields(&mut planned, row, doc);
            let there = draft_input(doc);
            let (mut a, mut b) = (here.scopes.clone(), there.scopes.clone());
            a.sort();
            b.sort();
            if a != b {
                planned.changes.push(FieldChange {
                    field: "scopes".into(),
                    from: a.join(", "),
                    to: b.join(", "),
                });
            }
            diff_tenants(&mut planned, &here.tenants, &there.tenants);
            false
        }
        (Some(row), AppStatus::Created) => {
            if doc
                .app_key
                .as_ref()
                .is_some_and(|k| Some(k) != row.app_key.as_ref())
            {
                return Ok(Err(
                    "an app key never changes (R4); the file's differs from this app's".into(),
                ));
            }
            compare_fields(&mut planned, row, doc);
            let current = super::scopes::current_scopes(conn, row)?;
            let diff = current.diff(&ScopeSet::from_stored(&doc.scopes));
            planned.scopes_added = diff.added.to_strings();
            planned.scopes_removed = diff.removed.to_strings();
            if !diff.is_empty() {
                planned.new_version = row.current_version.map(|v| v + 1);
            }
            diff_tenants(&mut planned, &rows::tenants(conn, &row.id)?, &doc.tenants);
            false
        }
    };
    if !creates {
        let changed = !planned.changes.is_empty()
            || !planned.scopes_added.is_empty()
            || !planned.scopes_removed.is_empty()
            || !planned.tenants_added.is_empty()
            || !planned.tenants_removed.is_empty()
            || !planned.tenant_notes_changed.is_empty();
        planned.action = if changed {
            PlanAction::Update
        } else {
            PlanAction::Unchanged
        };
    }
    Ok(Ok(Step {
        file,
        parsed,
        existing,
        planned,
    }))
}

fn find(conn: &Connection, column: &str, value: &str) -> rusqlite::Result<Option<AppRow>> {
    if value.is_empty() {
        return Ok(None);
    }
    conn.prepare_cached(&format!(
        "SELECT {APP_COLUMNS} FROM apps WHERE {column} = ?1"
    ))?
    .query_row([value], AppRow::from_row)
    .optional()
}

fn compare_fields(planned: &mut PlannedApp, row: &AppRow, doc: &AppDocument) {
    let pairs = [
        ("name", row.name.clone(), doc.name.clone()),
        (
            "organization",
            row.organization.clone(),
            doc.organization.clone(),
        ),
        (
            "homepageUrl",
            row.homepage_url.clone(),
            doc.homepage_url.clone(),
        ),
        (
            "audience",
            row.audience.to_string(),
            doc.audience.to_string(),
        ),
        (
            "credentials",
            row.credentials.to_string(),
            doc.credentials.to_string(),
        ),
    ];
    for (field, from, to) in pairs {
        if from != to {
            planned.changes.push(FieldChange {
                field: field.into(),
                from,
                to,
            });
        }
    }
}

fn diff_tenants(planned: &mut PlannedApp, here: &[TenantEntry], there: &[TenantEntry]) {
    let here_by_id: HashMap<&str, &str> = here
        .iter()
        .map(|t| (t.id.as_str(), t.note.as_str()))
        .collect();
    let there_by_id: HashMap<&str, &str> = there
        .iter()
        .map(|t| (t.id.as_str(), t.note.as_str()))
        .collect();
    for t in there {
        match here_by_id.get(t.id.as_str()) {
            None => planned.tenants_added.push(t.id.clone()),
            Some(note) if *note != t.note => planned.tenant_notes_changed.push(t.id.clone()),
            Some(_) => {}
        }
    }
    planned.tenants_removed = here
        .iter()
        .filter(|t| !there_by_id.contains_key(t.id.as_str()))
        .map(|t| t.id.clone())
        .collect();
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

/// Versions of all apps (or one), by app id: every version with `history`, else
/// only the current one.
fn versions_by_app(
    conn: &Connection,
    only: Option<&str>,
    history: bool,
) -> Result<HashMap<String, Vec<VersionRecord>>> {
    let sql = if history {
        "SELECT app_id, version, scopes, created_at, created_by FROM versions
         WHERE ?1 IS NULL OR app_id = ?1 ORDER BY app_id, version"
    } else {
        "SELECT v.app_id, v.version, v.scopes, v.created_at, v.created_by
         FROM versions v JOIN apps a ON a.id = v.app_id AND a.current_version = v.version
         WHERE ?1 IS NULL OR v.app_id = ?1"
    };
    let mut out: HashMap<String, Vec<VersionRecord>> = HashMap::new();
    let mut stmt = conn.prepare(sql)?;
    let mut found = stmt.query([only])?;
    while let Some(r) = found.next()? {
        let json: String = r.get(2)?;
        let (app_id, version): (String, i64) = (r.get(0)?, r.get(1)?);
        let scopes = rows::decode_scopes(&json, &app_id, version)?;
        out.entry(app_id).or_default().push(VersionRecord {
            version,
            scopes,
            created_at: r.get(3)?,
            created_by: r.get(4)?,
        });
    }
    Ok(out)
}

fn document(
    row: AppRow,
    tenants: &mut HashMap<String, Vec<TenantEntry>>,
    versions: &HashMap<String, Vec<VersionRecord>>,
    history: bool,
) -> Result<AppDocument> {
    let (scopes, app_tenants, history) = match row.current_version {
        Some(_) => {
            let own = versions.get(&row.id).map(Vec::as_slice).unwrap_or_default();
            let scopes = own.last().map(|v| v.scopes.clone()).unwrap_or_default();
            (
                scopes,
                tenants.remove(&row.id).unwrap_or_default(),
                history.then(|| own.to_vec()),
            )
        }
        None => {
            let mut input = row.draft_input()?;
            input.scopes.sort();
            input.scopes.dedup();
            input.tenants.sort_by(|a, b| a.id.cmp(&b.id));
            (input.scopes, input.tenants, None)
        }
    };
    Ok(AppDocument {
        format: FORMAT_V1.into(),
        id: row.id,
        status: row.status,
        name: row.name,
        organization: row.organization,
        homepage_url: row.homepage_url,
        audience: row.audience,
        credentials: row.credentials,
        app_key: row.app_key,
        version: row.current_version,
        scopes,
        tenants: app_tenants,
        history,
    })
}

//! Plan: what an import would do, app by app, against the database as it is.
//!
//! The plan carries a fingerprint (SHA-256 of every document read, rendered
//! canonically, and of the planned changes), so a confirmation given for one
//! plan is never taken for another: if the files or the database changed in
//! between, the fingerprint differs and `apply` refuses. Names are not unique,
//! so an import that makes a second app of a name already taken is allowed, but
//! the plan says so in a warning.

use std::collections::HashMap;

use rusqlite::{Connection, OptionalExtension};
use sha2::{Digest, Sha256};

use super::super::Store;
use super::super::rows::{self, APP_COLUMNS, AppRow};
use super::{FieldChange, ImportPlan, PlanAction, PlannedApp, draft_input};
use crate::error::{Error, Result};
use crate::exchange::{self, AppDocument, ExportFormat, ParsedDocument, ParsedFile};
use crate::model::{AppStatus, TenantEntry};
use crate::scope::ScopeSet;

impl Store {
    /// What importing `files` would do; writes nothing. Problems that only the
    /// database reveals (a deleted app's key, an id and a key naming two apps)
    /// are all reported, each at its document.
    pub fn plan_import(&self, files: &[ParsedFile]) -> Result<ImportPlan> {
        self.read(|conn| Ok(plan(conn, files)?.0))
    }
}

/// One document, what it matches in the database, and what will be done.
pub(super) struct Step<'a> {
    pub file: &'a str,
    pub parsed: &'a ParsedDocument,
    pub existing: Option<AppRow>,
    pub planned: PlannedApp,
}

pub(super) fn plan<'a>(
    conn: &Connection,
    files: &'a [ParsedFile],
) -> Result<(ImportPlan, Vec<Step<'a>>)> {
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
    warn_of_same_names(conn, &mut steps)?;
    let mut plan = ImportPlan::default();
    for step in &steps {
        match step.planned.action {
            PlanAction::Create => plan.create += 1,
            PlanAction::Update => plan.update += 1,
            PlanAction::Unchanged => plan.unchanged += 1,
        }
        plan.apps.push(step.planned.clone());
    }
    plan.fingerprint = fingerprint(files, &plan.apps);
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
        warnings: Vec::new(),
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
            let current = super::super::scopes::current_scopes(conn, row)?;
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

/// Warns, at each app the import creates or renames, of another app that has
/// (or will have) the same name: in the database, or made by another document
/// of the same import.
fn warn_of_same_names(conn: &Connection, steps: &mut [Step<'_>]) -> Result<()> {
    let mut named: HashMap<String, String> = HashMap::new();
    let mut stmt = conn
        .prepare_cached("SELECT id, name FROM apps WHERE name_folded = ?1 AND id <> ?2 LIMIT 1")?;
    for step in steps.iter_mut() {
        let renamed = step.planned.changes.iter().any(|c| c.field == "name");
        let creates_new = step.planned.action == PlanAction::Create && step.existing.is_none();
        if !creates_new && !renamed {
            continue;
        }
        let name = &step.parsed.document.name;
        let folded = rows::fold(name);
        let own_id = step.existing.as_ref().map_or("", |r| r.id.as_str());
        let other: Option<(String, String)> = stmt
            .query_row([folded.as_str(), own_id], |r| Ok((r.get(0)?, r.get(1)?)))
            .optional()?;
        if let Some((id, other_name)) = other {
            step.planned.warnings.push(format!(
                "another app named {other_name:?} exists ({id}); this import makes a second \
                 app of that name"
            ));
        }
        let here = format!("{} {}", step.file, step.parsed.path);
        match named.get(&folded) {
            Some(first) => step.planned.warnings.push(format!(
                "{first} in this import also makes an app named {name:?}"
            )),
            None => {
                named.insert(folded, here);
            }
        }
    }
    Ok(())
}

/// SHA-256 (hex) of each document read (its file, JSON path and canonical
/// rendering) and of the planned changes. Each part is length-prefixed, so no
/// two different inputs run together into the same bytes.
fn fingerprint(files: &[ParsedFile], apps: &[PlannedApp]) -> String {
    let mut hash = Sha256::new();
    let mut part = |bytes: &[u8]| {
        hash.update((bytes.len() as u64).to_le_bytes());
        hash.update(bytes);
    };
    for file in files {
        part(file.name.as_bytes());
        for parsed in &file.documents {
            part(parsed.path.as_bytes());
            part(exchange::render(&parsed.document, ExportFormat::Appdesk).as_bytes());
        }
    }
    // Serializing plain structs of strings and numbers cannot fail.
    part(&serde_json::to_vec(apps).unwrap_or_default());
    hash.finalize().iter().map(|b| format!("{b:02x}")).collect()
}

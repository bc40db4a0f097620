//! Creating (R1–R5), editing and deleting (R9) an app, as decisions.
//!
//! Must not go in here: looking up whether an id or key is used or retired
//! (the caller does, and passes the answer in [`Proposed`]), or any write.

use super::{Action, Activity, AppState, Change, Stamp, new_id};
use crate::catalog::Catalog;
use crate::error::{Error, Problem, Result};
use crate::exchange::VersionRecord;
use crate::model::{AppEdit, AppInput};
use crate::secrets;
use crate::validate::{self, ValidApp};

/// An id and app key a client proposes for a new app, with what the caller
/// looked up about each: `*_taken` is true when a live app or a tombstone
/// (a deleted app) has it. The default proposes nothing.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Proposed {
    pub id: Option<String>,
    pub id_taken: bool,
    pub app_key: Option<String>,
    pub key_taken: bool,
}

/// A new app to insert: its id and key, its checked content, version 1.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
#[must_use]
pub struct Creation {
    pub id: String,
    pub app_key: String,
    pub app: ValidApp,
    pub version: VersionRecord,
    /// The app's revision once created: 1, or a draft's revision plus 1.
    pub revision: i64,
    pub stamp: Stamp,
    pub activity: Activity,
    /// Proposals that were not kept (`id`, `appKey`), and why; the client is
    /// told, since it gets an id or key it did not ask for.
    pub notices: Vec<Problem>,
}

/// What a deletion persists: a tombstone with the retired key, the app gone
/// with its connections (R9).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
#[must_use]
pub struct Deletion {
    pub app_id: String,
    pub name: String,
    /// Retired forever; `None` for a draft.
    pub app_key: Option<String>,
    /// The tombstone's revision: the app's plus 1.
    pub revision: i64,
    pub connections_ended: i64,
    pub stamp: Stamp,
    pub activity: Activity,
}

/// Creates an app from `input`: validates R1 and R2 (every problem at once),
/// keeps a proposed id or key only if well formed and not taken, otherwise
/// issues a fresh one (R4) and says so in the notices; makes version 1 (R5).
///
/// A fresh key is drawn from the CSPRNG (129 bits); the caller should still
/// check it is unused and decide again in the (never seen) case it is.
pub fn create(
    input: &AppInput,
    catalog: &Catalog,
    proposed: &Proposed,
    stamp: &Stamp,
) -> Result<Creation> {
    let app = validate::app(input, catalog).map_err(Error::Invalid)?;
    let mut notices = Vec::new();
    let id = match &proposed.id {
        Some(id) if !is_id(id) => {
            notices.push(Problem::new(
                "id",
                format!("{id:?} is not a UUID in lower-case hyphenated form; a new id was issued"),
            ));
            new_id()
        }
        Some(id) if proposed.id_taken => {
            notices.push(Problem::new(
                "id",
                format!("{id} is already used; a new id was issued"),
            ));
            new_id()
        }
        Some(id) => id.clone(),
        None => new_id(),
    };
    let app_key = match &proposed.app_key {
        Some(key) if !secrets::is_app_key(key) => {
            notices.push(Problem::new(
                "appKey",
                format!(
                    "{key:?} is not an app key (ak1. and 25 of a-z, 0-9); a new key was issued"
                ),
            ));
            secrets::new_app_key()?
        }
        Some(key) if proposed.key_taken => {
            notices.push(Problem::new(
                "appKey",
                format!("{key} is used or retired; a new key was issued"),
            ));
            secrets::new_app_key()?
        }
        Some(key) => key.clone(),
        None => secrets::new_app_key()?,
    };
    Ok(creation(id, app_key, app, 1, stamp, notices))
}

/// Turns a draft into an app: the same checks as [`create`] (R3), the draft's
/// id, a fresh key, version 1, the draft's revision plus 1.
pub fn create_draft(
    draft_id: &str,
    draft_revision: i64,
    input: &AppInput,
    catalog: &Catalog,
    stamp: &Stamp,
) -> Result<Creation> {
    let app = validate::app(input, catalog).map_err(Error::Invalid)?;
    let key = secrets::new_app_key()?;
    Ok(creation(
        draft_id.to_owned(),
        key,
        app,
        draft_revision + 1,
        stamp,
        Vec::new(),
    ))
}

fn creation(
    id: String,
    app_key: String,
    app: ValidApp,
    revision: i64,
    stamp: &Stamp,
    notices: Vec<Problem>,
) -> Creation {
    let version = VersionRecord {
        version: 1,
        scopes: app.scopes.to_strings(),
        created_at: stamp.at.clone(),
        created_by: stamp.user.clone(),
    };
    let summary = format!(
        "created with app key {app_key}; version 1 with {} scope(s), {} tenant(s)",
        version.scopes.len(),
        app.tenants.len()
    );
    Creation {
        activity: Activity {
            app_id: id.clone(),
            app_name: app.name.clone(),
            action: Action::Create,
            summary,
        },
        id,
        app_key,
        app,
        version,
        revision,
        stamp: stamp.clone(),
        notices,
    }
}

/// An app id as this system issues them: a UUID, lower-case and hyphenated.
pub fn is_id(text: &str) -> bool {
    uuid::Uuid::parse_str(text).is_ok_and(|u| u.hyphenated().to_string() == text)
}

/// Changes a created app's fields: each given one is checked (every problem at
/// once); the key and versions are untouched (R4). Giving a field its current
/// value is no change.
pub fn edit(app: &AppState, edit: &AppEdit, stamp: &Stamp) -> Result<Change> {
    let mut problems = Vec::new();
    let mut checked = |value: &Option<String>, check: fn(&str) -> Result<String, Problem>| {
        value
            .as_deref()
            .and_then(|v| check(v).map_err(|p| problems.push(p)).ok())
    };
    let name = checked(&edit.name, validate::name);
    let organization = checked(&edit.organization, validate::organization);
    let homepage_url = checked(&edit.homepage_url, validate::homepage_url);
    if !problems.is_empty() {
        return Err(Error::Invalid(problems));
    }
    let old = &app.fields;
    let mut next = old.clone();
    let mut changes = Vec::new();
    let mut change = |label: &str, old: &mut String, new: Option<String>| {
        if let Some(new) = new.filter(|n| n != old) {
            changes.push(format!("{label}: {old:?} → {new:?}"));
            *old = new;
        }
    };
    change("name", &mut next.name, name);
    change("organization", &mut next.organization, organization);
    change("homepage URL", &mut next.homepage_url, homepage_url);
    if let Some(a) = edit.audience.filter(|a| *a != old.audience) {
        changes.push(format!("audience: {} → {a}", old.audience));
        next.audience = a;
    }
    if let Some(c) = edit.credentials.filter(|c| *c != old.credentials) {
        changes.push(format!("credentials: {} → {c}", old.credentials));
        next.credentials = c;
    }
    let mut out = Change::none(app, stamp);
    if !changes.is_empty() {
        out.record(&next.name, Action::Edit, changes.join("; "));
        out.fields = Some(next);
    }
    Ok(out)
}

/// Deletes a created app: its key is retired for good, its connections end,
/// a tombstone and an activity entry remain (R9).
pub fn delete(app: &AppState, stamp: &Stamp) -> Deletion {
    let ended = app.connections.len() as i64;
    deletion(
        &app.id,
        &app.fields.name,
        Some(&app.app_key),
        app.revision,
        ended,
        stamp,
    )
}

/// Deletes a draft (drafts are local: no key, no connections).
pub fn delete_draft(id: &str, name: &str, revision: i64, stamp: &Stamp) -> Deletion {
    deletion(id, name, None, revision, 0, stamp)
}

fn deletion(
    id: &str,
    name: &str,
    key: Option<&str>,
    revision: i64,
    connections_ended: i64,
    stamp: &Stamp,
) -> Deletion {
    let summary = match key {
        Some(key) => {
            format!("deleted; app key {key} retired, {connections_ended} connection(s) ended")
        }
        None => "draft deleted".to_owned(),
    };
    Deletion {
        app_id: id.to_owned(),
        name: name.to_owned(),
        app_key: key.map(str::to_owned),
        revision: revision + 1,
        connections_ended,
        stamp: stamp.clone(),
        activity: Activity {
            app_id: id.to_owned(),
            app_name: name.to_owned(),
            action: Action::Delete,
            summary,
        },
    }
}

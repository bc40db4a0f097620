//! Keeping mine against the portal's deletion (a delete-against-edit conflict
//! whose edit is local): the app comes back on the portal as a new app, since
//! the deleted id and key are retired there for good (R9, R10). So that the
//! resolution can name what the app will be called, the new id and key are
//! drawn here, now: the local app takes them in every table, and the queued
//! create proposes them (the portal keeps a proposal that is well formed and
//! unused, which fresh ones are; should it ever issue others, the push's
//! acknowledgement re-identifies the app again).
//!
//! Must not: push anything (the next sync does), or keep any of the deleted
//! app's sync state (its base, queued intents, conflicts, portal connections),
//! which the portal no longer has.

use rusqlite::{Connection, params};

use super::rows::AppRow;
use super::{activity, outbox, rows, state, sync_pull, sync_push};
use crate::decide::{Action, Stamp};
use crate::error::Result;
use crate::sync::{Intent, Snapshot};

/// What re-creating did: the id and key the app had (the key stays retired on
/// the portal) and the ones it has now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Recreated {
    pub old_id: String,
    pub retired_key: String,
    pub new_id: String,
    pub new_key: String,
}

/// Gives the local app `row` (which the portal deleted) a new id and key and
/// queues its creation on `remote`, in the caller's transaction.
pub(super) fn recreate(
    conn: &Connection,
    remote: &str,
    row: &AppRow,
    stamp: &Stamp,
) -> Result<Recreated> {
    let old_id = row.id.clone();
    let retired_key = state::load(conn, row)?.app_key;
    let new_id = super::new_id();
    let new_key = crate::secrets::new_app_key()?;
    sync_pull::forget(conn, remote, &old_id)?;
    conn.prepare_cached("DELETE FROM portal_connections WHERE app_id = ?1")?
        .execute([&old_id])?;
    sync_push::reidentify(conn, &old_id, &new_id)?;
    conn.prepare_cached("UPDATE apps SET app_key = ?2 WHERE id = ?1")?
        .execute(params![new_id, new_key])?;
    let row = rows::app_row(conn, &new_id)?;
    let app = state::load(conn, &row)?;
    let summary = format!(
        "kept against the portal's deletion: re-created with id {new_id} and app key {new_key} \
         (was {old_id}; the key {retired_key} stays retired on the portal)"
    );
    activity::record(
        conn,
        stamp,
        (&new_id, &app.fields.name),
        Action::Edit,
        &summary,
    )?;
    let create = Intent::Create {
        app: Snapshot::of_state(&app),
    };
    let at = (new_id.as_str(), row.revision, Some(app.version));
    outbox::enqueue(conn, remote, at, &create, stamp)?;
    Ok(Recreated {
        old_id,
        retired_key,
        new_id,
        new_key,
    })
}

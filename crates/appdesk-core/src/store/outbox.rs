//! The outbox: in a linked database, every local change to a created app also
//! appends its intents ([`crate::sync::Intent`]) in the same transaction, each
//! with an idempotency key (UUID v7) and the portal revision it was made on.
//!
//! The hooks are called from the three places that write a decision's result
//! (`state::persist`, `state::persist_deletion`, `apps::write_created`), never
//! from a command, so each change is recorded once whatever path made it
//! (CLI, window, import). A database that is never linked has no remote row,
//! and these hooks then write nothing.
//!
//! Drafts are local and never queued; connections are the portal's in a
//! linked database and are not queued either.

use std::collections::BTreeSet;

use rusqlite::{Connection, OptionalExtension, params};

use super::{rows, state};
use crate::decide::{Change, Deletion, Stamp};
use crate::error::Result;
use crate::sync::{Intent, Snapshot, intent};
use crate::validate::ValidApp;

/// The remote this database is linked to, if any.
pub(super) fn linked(conn: &Connection) -> Result<Option<String>> {
    Ok(conn
        .prepare_cached("SELECT name FROM remotes ORDER BY name LIMIT 1")?
        .query_row([], |r| r.get(0))
        .optional()?)
}

/// Queues the intents of `change`; call before it is written (the state it
/// was decided on is read back here).
pub(super) fn record_change(conn: &Connection, change: &Change) -> Result<()> {
    // Connection writes are the portal's business in a linked database, not
    // intents: a change with nothing else needs no state loaded.
    let app_part =
        change.fields.is_some() || change.version.is_some() || !change.tenants.is_empty();
    if change.is_empty() || !app_part {
        return Ok(());
    }
    let Some(remote) = linked(conn)? else {
        return Ok(());
    };
    let before = state::load(conn, &rows::app_row(conn, &change.app_id)?)?;
    for (intent, version) in intent::of_change(&before, change) {
        let at = (change.app_id.as_str(), change.revision, version);
        enqueue(conn, &remote, at, &intent, &change.stamp)?;
    }
    Ok(())
}

/// Queues the creation of an app the portal has never seen, proposing its id
/// and key; `version` is its latest (an import may bring several).
pub(super) fn record_creation(
    conn: &Connection,
    stamp: &Stamp,
    (id, key): (&str, &str),
    app: &ValidApp,
    (revision, version): (i64, i64),
) -> Result<()> {
    let Some(remote) = linked(conn)? else {
        return Ok(());
    };
    let intent = Intent::Create {
        app: Snapshot::of_new(id, key, app),
    };
    enqueue(conn, &remote, (id, revision, Some(version)), &intent, stamp)
}

/// Queues a deletion of a created app (a draft's is local only).
pub(super) fn record_deletion(conn: &Connection, d: &Deletion) -> Result<()> {
    if d.app_key.is_none() {
        return Ok(());
    }
    let Some(remote) = linked(conn)? else {
        return Ok(());
    };
    enqueue(
        conn,
        &remote,
        (&d.app_id, d.revision, None),
        &Intent::Delete,
        &d.stamp,
    )
}

/// Appends one intent: `(app id, local revision once made, version made)`.
pub(super) fn enqueue(
    conn: &Connection,
    remote: &str,
    (app_id, revision, version): (&str, i64, Option<i64>),
    intent: &Intent,
    stamp: &Stamp,
) -> Result<()> {
    let base: Option<i64> = conn
        .prepare_cached("SELECT revision FROM sync_bases WHERE remote = ?1 AND app_id = ?2")?
        .query_row(params![remote, app_id], |r| r.get(0))
        .optional()?;
    let json = serde_json::to_string(intent).map_err(|e| {
        crate::Error::conflict("app", format!("cannot encode an outbox intent: {e}"))
    })?;
    conn.prepare_cached(
        "INSERT INTO outbox (remote, idempotency_key, app_id, base_revision, local_revision,
             version, intent, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
    )?
    .execute(params![
        remote,
        crate::decide::new_id(),
        app_id,
        base,
        revision,
        version,
        json,
        stamp.at
    ])?;
    Ok(())
}

/// The versions of an app that the portal has not numbered yet: those a
/// queued intent made, and all of them while its creation is queued.
pub(super) fn pending_versions(conn: &Connection, app_id: &str) -> Result<Pending> {
    let mut stmt = conn.prepare_cached(
        "SELECT version, json_extract(intent, '$.kind') = 'create' FROM outbox
         WHERE app_id = ?1 AND version IS NOT NULL",
    )?;
    let mut pending = Pending::default();
    for row in stmt.query_map([app_id], |r| {
        Ok((r.get::<_, i64>(0)?, r.get::<_, bool>(1)?))
    })? {
        let (version, create) = row?;
        pending.all |= create;
        pending.versions.insert(version);
    }
    Ok(pending)
}

#[derive(Debug, Default)]
pub(super) struct Pending {
    all: bool,
    versions: BTreeSet<i64>,
}

impl Pending {
    pub fn contains(&self, version: i64) -> bool {
        self.all || self.versions.contains(&version)
    }
}

#[cfg(test)]
mod tests {
    use super::super::{Store, StoreOptions, rows, state};
    use crate::decide;
    use crate::model::AppEdit;

    fn count(store: &Store) -> i64 {
        store
            .read(|conn| Ok(conn.query_row("SELECT count(*) FROM outbox", [], |r| r.get(0))?))
            .unwrap()
    }

    #[test]
    fn a_change_refused_as_stale_leaves_no_intent_behind() {
        let store = Store::open_in_memory(StoreOptions::default()).unwrap();
        store
            .add_remote("origin", "https://portal.example", "adp_x_y")
            .unwrap();
        let app = store.create_app(&state::dispatch_board()).unwrap();
        let stale = store
            .read(|conn| state::load(conn, &rows::app_row(conn, &app.id)?))
            .unwrap();
        let rename = |name: &str| AppEdit {
            name: Some(name.into()),
            ..AppEdit::default()
        };
        store.edit_app(&app.id, &rename("Field Pro")).unwrap();
        let queued = count(&store);
        let late = decide::edit(&stale, &rename("Late"), &store.stamp()).unwrap();
        let refused = store.write(|conn| state::persist(conn, &late, None));
        assert_eq!(refused.unwrap_err().code(), "conflict");
        assert_eq!(
            count(&store),
            queued,
            "the refused change's intent rolled back with it"
        );
    }
}

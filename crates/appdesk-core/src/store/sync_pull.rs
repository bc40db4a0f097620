//! A pull applied: each app the portal changed is merged three ways against
//! its last synced base (`sync::merge`), the merged app written locally, its
//! conflicts stored, its queued intents rebuilt against the portal's state,
//! and its base advanced, all in the transaction that also moves the feed's
//! cursor past it (SYNC.md §3).
//!
//! The merged app is checked by the same rules as any app (R1, R2:
//! `validate::app`) before it is written; a pulled change appends no intent
//! of its own (the outbox only gets what the portal still lacks, rebuilt as a
//! diff from the portal's state). "Never synced" is not "deleted": an app the
//! portal has never had (no base) is never removed by a pull.

use std::collections::{BTreeMap, BTreeSet};

use rusqlite::{Connection, OptionalExtension, params};
use serde::Serialize;

use super::quarantine::{self, Quarantined};
use super::rows;
use super::sync_write::{app_row, check, delete_local, local_versions, write_app};
use super::{Store, activity, outbox, state, sync_history};
use crate::decide::{Action, Stamp};
use crate::error::{Error, Result};
use crate::exchange::VersionRecord;
use crate::sync::rebuild::{field_value, intents_between};
use crate::sync::{Conflict, Intent, Snapshot, identity, merge, rebase};

/// The portal's side of one app, as a pull brings it.
#[derive(Debug, Clone)]
pub struct Theirs {
    pub app_id: String,
    /// `None`: the portal deleted it (a tombstone in the feed, or absent from
    /// a full listing).
    pub app: Option<PortalApp>,
    /// The last of this client's mutations the portal applied to the app as
    /// of this state (the largest `mutationId` a pull read for it): every
    /// queued intent numbered up to it is the portal's now (see
    /// [`crate::sync::rebase`]).
    pub mutation: Option<i64>,
}

/// An app as the portal has it.
#[derive(Debug, Clone)]
pub struct PortalApp {
    pub snapshot: Snapshot,
    /// Its revision (the ETag a write is made against).
    pub revision: i64,
    /// Its latest version.
    pub version: i64,
    /// When the portal created it (an app new here takes it).
    pub created_at: String,
    /// Its versions, oldest first; `None` when this database holds them
    /// already. It may start after version 1: the versions before are those
    /// this database holds (see [`Store::sync_wants_history`]).
    pub history: Option<Vec<VersionRecord>>,
}

/// The remote a sync talks to, and where its feed was left.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyncLink {
    pub name: String,
    pub url: String,
    pub cursor: Option<String>,
}

/// What a pull did to one app.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Pulled {
    pub app: String,
    pub app_name: Option<String>,
    /// `added`, `updated`, `deleted`, or `conflict` (the local app kept, the
    /// portal's deletion or change stored as a conflict).
    pub what: &'static str,
    pub conflicts: Vec<Conflict>,
}

impl Store {
    /// The remote to sync with: `name`, or the only one. Not linked, or no
    /// such remote, is an error that says what to do.
    pub fn sync_link(&self, name: Option<&str>) -> Result<SyncLink> {
        self.read(|conn| {
            let linked = outbox::linked(conn)?.ok_or_else(|| {
                Error::not_allowed(
                    Some("remote"),
                    "this database is not linked to a portal; link it first: appdesk remote add \
                     NAME URL --token-file FILE",
                )
            })?;
            let name = name.unwrap_or(&linked);
            conn.query_row(
                "SELECT r.name, r.url, s.cursor FROM remotes r
                 LEFT JOIN sync_state s ON s.remote = r.name WHERE r.name = ?1",
                [name],
                |r| {
                    Ok(SyncLink {
                        name: r.get(0)?,
                        url: r.get(1)?,
                        cursor: r.get(2)?,
                    })
                },
            )
            .optional()?
            .ok_or_else(|| {
                Error::invalid(
                    "remote",
                    format!("no remote is named {name:?} (see appdesk remote list)"),
                )
            })
        })
    }

    /// Of `apps` (id, revision, version as the portal has them), those whose
    /// history a pull must bring: new here, or at another version than the
    /// portal numbered here last; each with that last version (`None`: none).
    /// A pull then gives [`PortalApp::history`] from that version on, or all.
    pub fn sync_wants_history(
        &self,
        remote: &str,
        apps: &[(&str, i64, i64)],
    ) -> Result<BTreeMap<String, Option<i64>>> {
        self.read(|conn| {
            let mut wanted = BTreeMap::new();
            for (id, revision, version) in apps {
                let base = base(conn, remote, id)?;
                if base.as_ref().is_some_and(|(r, _)| r >= revision) {
                    continue;
                }
                let known = sync_history::known_version(conn, id)?;
                if known != Some(*version) {
                    wanted.insert((*id).to_owned(), known);
                }
            }
            Ok(wanted)
        })
    }

    /// The apps the portal had when last synced (each has a base), for a
    /// full listing to find those it no longer has.
    pub fn sync_known_apps(&self, remote: &str) -> Result<Vec<String>> {
        self.read(|conn| {
            let mut stmt = conn.prepare("SELECT app_id FROM sync_bases WHERE remote = ?1")?;
            let ids = stmt.query_map([remote], |r| r.get(0))?;
            Ok(ids.collect::<rusqlite::Result<_>>()?)
        })
    }

    /// Applies one pulled page in one transaction: each app merged and
    /// written, and then (`Some`) the cursor that covers them.
    pub fn sync_apply(
        &self,
        remote: &str,
        theirs: &[Theirs],
        cursor: Option<&str>,
    ) -> Result<Vec<Pulled>> {
        let page = super::Page {
            theirs,
            connections: &[],
            cursor,
        };
        self.sync_apply_page(remote, &page)
    }

    pub(super) fn apply_page(
        &self,
        conn: &Connection,
        remote: &str,
        theirs: &[Theirs],
        stamp: &Stamp,
    ) -> Result<Vec<Pulled>> {
        let mut pulled = Vec::new();
        for t in theirs {
            if let Some(p) = self.apply_one(conn, remote, t, stamp)? {
                pulled.push(p);
            }
        }
        Ok(pulled)
    }

    fn apply_one(
        &self,
        conn: &Connection,
        remote: &str,
        t: &Theirs,
        stamp: &Stamp,
    ) -> Result<Option<Pulled>> {
        let id = t.app_id.as_str();
        let base = base(conn, remote, id)?;
        if let (Some(p), Some((revision, _))) = (&t.app, &base)
            && p.revision <= *revision
        {
            return Ok(None); // what this database already merged, or older
        }
        let row = app_row(conn, id)?;
        if row.as_ref().is_some_and(|r| r.current_version.is_none()) {
            return Ok(None); // a draft is local only
        }
        // This client's own intents the portal applied (their answers may
        // have been lost) are the portal's now: folded into the base, so
        // the merge never reads them as someone else's change.
        let applied = applied_intents(conn, remote, id, t.mutation)?;
        // The portal's state after this client's own create may carry the
        // key it chose; any other state keeps the app's id and key, or is
        // kept aside (quarantined, reported) with nothing else written.
        let created = applied
            .iter()
            .flatten()
            .any(|(_, i)| matches!(i, Intent::Create { .. }));
        if let Some(p) = &t.app {
            let answer = match created {
                true => identity::Answer::Created,
                false => identity::Answer::Kept,
            };
            let key = row.as_ref().and_then(|r| r.app_key.as_deref());
            if let Err(refused) = identity::check(id, key, &p.snapshot, answer) {
                let kept = Quarantined {
                    app: id.to_owned(),
                    app_name: Some(p.snapshot.name.clone()),
                    revision: p.revision,
                    reason: refused.to_string(),
                    since: String::new(),
                };
                quarantine::keep(conn, remote, &kept, &stamp.at)?;
                return Ok(None);
            }
        }
        let applied = applied.map(|a| forget_applied(conn, a)).transpose()?;
        let base = match applied {
            None => base.map(|(_, s)| s),
            Some(applied) => rebase::replay(base.as_ref().map(|(_, s)| s), &applied),
        };
        let theirs = t.app.as_ref().map(|p| &p.snapshot);
        if theirs.is_none() && base.is_none() {
            return Ok(None); // never synced is not deleted
        }
        let mine = match &row {
            Some(r) => Some(Snapshot::of_state(&state::load(conn, r)?)),
            None => None,
        };
        let merged = merge(base.as_ref(), mine.as_ref(), theirs);
        let conflicts = carried(conn, id, merged.conflicts, mine.as_ref(), theirs)?;
        let name = merged
            .app
            .as_ref()
            .or(mine.as_ref())
            .or(theirs)
            .map(|s| s.name.clone());
        let what = match (&merged.app, &t.app) {
            (None, None) => {
                if let Some(r) = &row {
                    delete_local(conn, r, stamp, remote)?;
                }
                forget(conn, remote, id)?;
                "deleted"
            }
            // Deleted here, unchanged there: the queued delete stays, now
            // made against the portal's revision.
            (None, Some(p)) => {
                set_base(conn, remote, p, stamp)?;
                return Ok(None);
            }
            // Edited here, deleted there: a conflict; the local app stays.
            (Some(_), None) => {
                conn.prepare_cached("DELETE FROM sync_bases WHERE remote = ?1 AND app_id = ?2")?
                    .execute(params![remote, id])?;
                "conflict"
            }
            (Some(m), Some(p)) => {
                let held: BTreeSet<String> = conflicts.iter().map(|c| c.field.clone()).collect();
                self.write_merged(conn, remote, (m, p), &held, stamp)?;
                if row.is_some() { "updated" } else { "added" }
            }
        };
        super::conflicts::replace(conn, remote, id, &conflicts, &stamp.at)?;
        Ok(Some(Pulled {
            app: id.to_owned(),
            app_name: name,
            what: if conflicts.is_empty() {
                what
            } else {
                "conflict"
            },
            conflicts,
        }))
    }

    /// Writes the merged app `m` over the local one (if any), its
    /// history (the portal's, then one pending version if `m`'s scopes are not
    /// the portal's), and queues what the portal still lacks.
    fn write_merged(
        &self,
        conn: &Connection,
        remote: &str,
        (m, p): (&Snapshot, &PortalApp),
        held: &BTreeSet<String>,
        stamp: &Stamp,
    ) -> Result<()> {
        let id = &m.id;
        check(m, self.catalog())?;
        write_app(conn, (m, &p.created_at), stamp)?;
        let rebased = rebase_queue(conn, id, p, m, held)?;
        set_base(conn, remote, p, stamp)?;
        // A history from the feed starts after the versions held here.
        let history = match &p.history {
            Some(h) => {
                let first = h.first().map_or(p.version + 1, |v| v.version);
                let mut all = local_versions(conn, id, first - 1)?;
                all.extend(h.iter().cloned());
                all
            }
            None => local_versions(conn, id, p.version)?,
        };
        let gapless = history
            .iter()
            .enumerate()
            .all(|(i, v)| v.version == i as i64 + 1);
        if !gapless || history.last().map(|v| v.version) != Some(p.version) {
            return Err(Error::conflict(
                "app",
                format!(
                    "the history of app {id} as pulled is not versions 1 to {}; sync again",
                    p.version
                ),
            ));
        }
        let scopes: Vec<String> = m.scopes.iter().cloned().collect();
        let extra = (m.scopes != p.snapshot.scopes).then_some((scopes.as_slice(), stamp));
        let latest = sync_history::replace(conn, id, &history, extra)?;
        let revision: i64 = conn
            .prepare_cached("SELECT revision FROM apps WHERE id = ?1")?
            .query_row([id], |r| r.get(0))?;
        conn.prepare_cached(
            "UPDATE outbox SET version = ?2 WHERE app_id = ?1 AND version IS NOT NULL",
        )?
        .execute(params![id, latest])?;
        if !rebased {
            for intent in intents_between(&p.snapshot, m, held) {
                let version = matches!(intent, Intent::Scopes { .. }).then_some(latest);
                outbox::enqueue(conn, remote, (id, revision, version), &intent, stamp)?;
            }
        }
        let summary = format!("synced from {remote} (revision {})", p.revision);
        activity::record(conn, stamp, (id, &m.name), Action::Sync, &summary)
    }
}

/// Rebases the queued intents of `id` onto the portal's `p`, replaying them
/// as intents (SYNC.md): each keeps what still changes the portal's state
/// (a changed one gets a new idempotency key and no mutation number: that
/// body was never sent), one that changes nothing goes. `true` when the
/// intents so rebased make exactly the merged app `m` (outside the fields in
/// conflict); otherwise the queue is rebuilt as the difference between the
/// portal's state and `m` (`false`, nothing queued yet), as a merge the
/// intents alone do not explain (no base, a delete) needs.
fn rebase_queue(
    conn: &Connection,
    id: &str,
    p: &PortalApp,
    m: &Snapshot,
    held: &BTreeSet<String>,
) -> Result<bool> {
    let mut stmt =
        conn.prepare_cached("SELECT seq, intent FROM outbox WHERE app_id = ?1 ORDER BY seq")?;
    let queued = stmt
        .query_map([id], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?)))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let mut state = p.snapshot.clone();
    let mut plan = Vec::with_capacity(queued.len());
    for (seq, json) in queued {
        let intent: Intent = rows::decode_column(&json, "outbox", &seq.to_string(), "intent")?;
        let trimmed = rebase::trim(&state, &intent);
        if let Some(t) = &trimmed {
            state = rebase::replay(Some(&state), [t]).unwrap_or(state);
        }
        plan.push((seq, intent, trimmed));
    }
    if !intents_between(&state, m, held).is_empty() {
        conn.prepare_cached("DELETE FROM outbox WHERE app_id = ?1")?
            .execute([id])?;
        return Ok(false);
    }
    for (seq, intent, trimmed) in plan {
        match trimmed {
            None => {
                conn.prepare_cached("DELETE FROM outbox WHERE seq = ?1")?
                    .execute([seq])?;
            }
            Some(t) if t != intent => {
                conn.prepare_cached(
                    "UPDATE outbox SET intent = ?2, idempotency_key = ?3, mutation_id = NULL
                     WHERE seq = ?1",
                )?
                .execute(params![
                    seq,
                    super::drafts::json(&t),
                    super::new_id()
                ])?;
            }
            Some(_) => {}
        }
    }
    Ok(true)
}

/// The base of `app_id`: the portal's revision and snapshot last synced.
pub(super) fn base(
    conn: &Connection,
    remote: &str,
    app_id: &str,
) -> Result<Option<(i64, Snapshot)>> {
    let row: Option<(i64, String)> = conn
        .prepare_cached(
            "SELECT revision, snapshot FROM sync_bases WHERE remote = ?1 AND app_id = ?2",
        )?
        .query_row(params![remote, app_id], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?;
    match row {
        None => Ok(None),
        Some((revision, json)) => Ok(Some((
            revision,
            rows::decode_column(&json, "sync_bases", app_id, "snapshot")?,
        ))),
    }
}

/// The intents of `app_id` that the portal applied (numbered up to
/// `mutation`), with their seqs, in order; `None` when there are none.
fn applied_intents(
    conn: &Connection,
    remote: &str,
    app_id: &str,
    mutation: Option<i64>,
) -> Result<Option<Vec<(i64, Intent)>>> {
    let Some(mutation) = mutation else {
        return Ok(None);
    };
    let mut stmt = conn.prepare_cached(
        "SELECT seq, intent FROM outbox
         WHERE remote = ?1 AND app_id = ?2 AND mutation_id <= ?3 ORDER BY seq",
    )?;
    let rows = stmt
        .query_map(params![remote, app_id, mutation], |r| {
            Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    if rows.is_empty() {
        return Ok(None);
    }
    rows.iter()
        .map(|(seq, json)| {
            let intent = rows::decode_column(json, "outbox", &seq.to_string(), "intent")?;
            Ok((*seq, intent))
        })
        .collect::<Result<Vec<_>>>()
        .map(Some)
}

/// Takes the applied intents out of the outbox: they are the portal's now.
fn forget_applied(conn: &Connection, applied: Vec<(i64, Intent)>) -> Result<Vec<Intent>> {
    let mut delete = conn.prepare_cached("DELETE FROM outbox WHERE seq = ?1")?;
    applied
        .into_iter()
        .map(|(seq, intent)| {
            delete.execute([seq])?;
            Ok(intent)
        })
        .collect()
}

/// Advances the base to the portal's `p` (never back to an older revision).
pub(super) fn set_base(
    conn: &Connection,
    remote: &str,
    p: &PortalApp,
    stamp: &Stamp,
) -> Result<()> {
    let json = super::drafts::json(&p.snapshot);
    conn.prepare_cached(
        "INSERT INTO sync_bases (remote, app_id, revision, snapshot, synced_at)
         VALUES (?1, ?2, ?3, ?4, ?5)
         ON CONFLICT (remote, app_id) DO UPDATE SET revision = excluded.revision,
             snapshot = excluded.snapshot, synced_at = excluded.synced_at
         WHERE excluded.revision > sync_bases.revision",
    )?
    .execute(params![remote, p.snapshot.id, p.revision, json, stamp.at])?;
    Ok(())
}

/// Forgets an app the portal deleted: its base, queued intents, conflicts.
pub(super) fn forget(conn: &Connection, remote: &str, app_id: &str) -> Result<()> {
    conn.prepare_cached("DELETE FROM outbox WHERE app_id = ?1")?
        .execute([app_id])?;
    conn.prepare_cached("DELETE FROM conflicts WHERE app_id = ?1")?
        .execute([app_id])?;
    conn.prepare_cached("DELETE FROM sync_bases WHERE remote = ?1 AND app_id = ?2")?
        .execute(params![remote, app_id])?;
    Ok(())
}

/// The merge's conflicts, plus those stored before that still hold (the two
/// sides still differ there), each with the portal's value as it is now.
fn carried(
    conn: &Connection,
    app_id: &str,
    mut found: Vec<Conflict>,
    mine: Option<&Snapshot>,
    theirs: Option<&Snapshot>,
) -> Result<Vec<Conflict>> {
    let mut stmt =
        conn.prepare_cached("SELECT field, mine, theirs, base FROM conflicts WHERE app_id = ?1")?;
    let stored = stmt
        .query_map([app_id], |r| {
            Ok(Conflict {
                field: r.get(0)?,
                mine: r.get(1)?,
                theirs: r.get(2)?,
                base: r.get(3)?,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let fields: BTreeSet<String> = found.iter().map(|c| c.field.clone()).collect();
    for mut c in stored {
        if fields.contains(&c.field) {
            continue;
        }
        let (m, t) = if c.field == "app" {
            (mine.map(|s| s.name.clone()), theirs.map(|s| s.name.clone()))
        } else {
            (field_value(mine, &c.field), field_value(theirs, &c.field))
        };
        let still = if c.field == "app" {
            m.is_some() != t.is_some()
        } else {
            m != t
        };
        if still {
            c.theirs = t;
            found.push(c);
        }
    }
    found.sort_by(|a, b| a.field.cmp(&b.field));
    Ok(found)
}

//! The outbox as a push reads it, and each acknowledgement stored: an
//! intent's row is deleted only in the transaction that stores the portal's
//! answer (its base, its key, its numbered versions), so a sync interrupted
//! anywhere sends it again with the same idempotency key, and the portal
//! replays its first answer instead of applying it twice.

use std::collections::BTreeSet;

use rusqlite::{Connection, OptionalExtension, params};

use super::sync_pull::{PortalApp, Pulled, Theirs, base, forget, set_base};
use super::{Store, sync_history};
use crate::error::Result;
use crate::sync::rebuild::hold_back;
use crate::sync::{Intent, identity};

/// One queued intent, ready to send.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Queued {
    pub seq: i64,
    /// Sent as `Idempotency-Key`.
    pub key: String,
    pub app_id: String,
    pub app_name: Option<String>,
    pub intent: Intent,
    /// The portal revision the app was last synced at, sent as `If-Match`
    /// (`None`: the portal has never had the app).
    pub if_match: Option<i64>,
}

/// What a sync would do (see [`Store::sync_plan`]).
#[derive(Debug, Clone)]
pub struct SyncPlan {
    pub pulled: Vec<Pulled>,
    pub pushed: Vec<Queued>,
    /// Every conflict there would be afterwards.
    pub conflicts: Vec<super::StoredConflict>,
}

/// The portal's answer to a sent intent.
#[derive(Debug, Clone)]
pub enum Ack {
    /// The app as the write left it (a create, or a change).
    App(Box<PortalApp>),
    /// The app is deleted on the portal.
    Deleted,
}

impl Store {
    /// Readies the outbox for a push, in one transaction: the parts of an
    /// intent that touch a field in conflict are held back (their local value
    /// goes to the conflict's *mine*, which a resolution keeping mine sends),
    /// and a queued create of an app the portal already has is dropped (the
    /// pull merged it and queued what the portal lacks).
    pub fn sync_prepare_push(&self, remote: &str) -> Result<()> {
        self.write(|conn| prepare(conn, remote))
    }

    /// The first queued intent after `after` (a seq) whose app is not in
    /// `skip`.
    pub fn sync_next_intent(
        &self,
        remote: &str,
        after: i64,
        skip: &BTreeSet<String>,
    ) -> Result<Option<Queued>> {
        self.read(|conn| next_in(conn, remote, after, skip))
    }

    /// Every queued intent, in order (what a plan would push).
    pub fn sync_queued(&self, remote: &str) -> Result<Vec<Queued>> {
        self.read(|conn| queued_in(conn, remote))
    }

    /// What a sync would do, computed and rolled back: `theirs` applied as a
    /// pull would, the outbox readied as a push would; returns what was
    /// pulled and what would be pushed. Nothing is written.
    pub fn sync_plan(&self, remote: &str, theirs: &[Theirs]) -> Result<SyncPlan> {
        let stamp = self.stamp();
        self.rolled_back(|conn| {
            let pulled = self.apply_page(conn, remote, theirs, &stamp)?;
            prepare(conn, remote)?;
            Ok(SyncPlan {
                pulled,
                pushed: queued_in(conn, remote)?,
                conflicts: super::conflicts::listed(conn)?,
            })
        })
    }

    /// Stores the portal's answer to the intent `seq` and removes it from the
    /// outbox, in one transaction. An answer older than the base (a replay
    /// of a first answer) never moves the base back.
    pub fn sync_acknowledge(&self, remote: &str, seq: i64, ack: &Ack) -> Result<()> {
        let stamp = self.stamp();
        self.write(|conn| {
            let Some((app_id, json)) = conn
                .prepare_cached("SELECT app_id, intent FROM outbox WHERE seq = ?1")?
                .query_row([seq], |r| {
                    Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?))
                })
                .optional()?
            else {
                return Ok(());
            };
            let intent: Intent =
                super::rows::decode_column(&json, "outbox", &seq.to_string(), "intent")?;
            match ack {
                Ack::Deleted => forget(conn, remote, &app_id),
                Ack::App(p) => {
                    // Only the answer to a create may choose the id and key.
                    let answer = match intent {
                        Intent::Create { .. } => identity::Answer::Created,
                        _ => identity::Answer::Kept,
                    };
                    let key: Option<String> = conn
                        .prepare_cached("SELECT app_key FROM apps WHERE id = ?1")?
                        .query_row([&app_id], |r| r.get(0))
                        .optional()?
                        .flatten();
                    identity::check(&app_id, key.as_deref(), &p.snapshot, answer)?;
                    let id = &p.snapshot.id;
                    if *id != app_id {
                        reidentify(conn, &app_id, id)?;
                    }
                    conn.prepare_cached(
                        "UPDATE apps SET app_key = ?2 WHERE id = ?1 AND app_key <> ?2",
                    )?
                    .execute(params![id, p.snapshot.app_key])?;
                    set_base(conn, remote, p, &stamp)?;
                    conn.prepare_cached("DELETE FROM outbox WHERE seq = ?1")?
                        .execute([seq])?;
                    if let Some(history) = &p.history {
                        let exists: bool = conn
                            .prepare_cached("SELECT count(*) FROM apps WHERE id = ?1")?
                            .query_row([id], |r| r.get(0))?;
                        if exists {
                            sync_history::replace(conn, id, history, None)?;
                        }
                    }
                    Ok(())
                }
            }
        })
    }

    /// Numbers the intent `seq` for sending, committed before it is sent: its
    /// mutation number (kept if it has one: a resend is the same mutation)
    /// and this database's client id at `remote` (made on the first send).
    /// The portal records the number with the write, so a pull can tell this
    /// client's applied intents from others' changes ([`crate::sync::rebase`]).
    pub fn sync_sending(&self, remote: &str, seq: i64) -> Result<Sending> {
        self.write(|conn| {
            let client = client_id(conn, remote, true)?.unwrap_or_default();
            let id: Option<i64> = conn
                .prepare_cached("SELECT mutation_id FROM outbox WHERE seq = ?1 AND remote = ?2")?
                .query_row(params![seq, remote], |r| r.get(0))
                .optional()?
                .flatten();
            let mutation = match id {
                Some(id) => id,
                None => {
                    let next: i64 = conn
                        .prepare_cached(
                            "UPDATE sync_state SET next_mutation_id = next_mutation_id + 1
                             WHERE remote = ?1 RETURNING next_mutation_id - 1",
                        )?
                        .query_row([remote], |r| r.get(0))?;
                    conn.prepare_cached("UPDATE outbox SET mutation_id = ?2 WHERE seq = ?1")?
                        .execute(params![seq, next])?;
                    next
                }
            };
            Ok(Sending { client, mutation })
        })
    }

    /// This database's client id at `remote`, if it has sent anything yet
    /// (a plan reads it, and makes none).
    pub fn sync_client_id(&self, remote: &str) -> Result<Option<String>> {
        self.read(|conn| client_id(conn, remote, false))
    }

    /// Intents queued for `remote`.
    pub fn sync_pending(&self, remote: &str) -> Result<usize> {
        self.read(|conn| {
            Ok(conn
                .prepare_cached("SELECT count(*) FROM outbox WHERE remote = ?1")?
                .query_row([remote], |r| r.get::<_, i64>(0))? as usize)
        })
    }
}

/// What an intent is sent with, besides its idempotency key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sending {
    /// Sent as `Appdesk-Client-Id`.
    pub client: String,
    /// Sent as `Appdesk-Mutation-Id`.
    pub mutation: i64,
}

/// The client id of this database at `remote`; with `make`, a new one (a
/// UUID v7) when it has none.
fn client_id(conn: &Connection, remote: &str, make: bool) -> Result<Option<String>> {
    let id: Option<String> = conn
        .prepare_cached("SELECT client_id FROM sync_state WHERE remote = ?1")?
        .query_row([remote], |r| r.get(0))
        .optional()?
        .flatten();
    if id.is_some() || !make {
        return Ok(id);
    }
    let id = super::new_id();
    conn.prepare_cached("UPDATE sync_state SET client_id = ?2 WHERE remote = ?1")?
        .execute(params![remote, id])?;
    Ok(Some(id))
}

fn queued_in(conn: &Connection, remote: &str) -> Result<Vec<Queued>> {
    let mut out = Vec::new();
    let mut after = 0;
    while let Some(q) = next_in(conn, remote, after, &BTreeSet::new())? {
        after = q.seq;
        out.push(q);
    }
    Ok(out)
}

fn next_in(
    conn: &Connection,
    remote: &str,
    after: i64,
    skip: &BTreeSet<String>,
) -> Result<Option<Queued>> {
    let mut stmt = conn.prepare_cached(
        "SELECT o.seq, o.idempotency_key, o.app_id, o.intent,
                coalesce(a.name, t.name), b.revision
         FROM outbox o
         LEFT JOIN apps a ON a.id = o.app_id
         LEFT JOIN tombstones t ON t.app_id = o.app_id
         LEFT JOIN sync_bases b ON b.remote = o.remote AND b.app_id = o.app_id
         WHERE o.remote = ?1 AND o.seq > ?2 ORDER BY o.seq",
    )?;
    let mut rows = stmt.query(params![remote, after])?;
    while let Some(r) = rows.next()? {
        let app_id: String = r.get(2)?;
        if skip.contains(&app_id) {
            continue;
        }
        let seq: i64 = r.get(0)?;
        let json: String = r.get(3)?;
        return Ok(Some(Queued {
            seq,
            key: r.get(1)?,
            intent: super::rows::decode_column(&json, "outbox", &seq.to_string(), "intent")?,
            app_id,
            app_name: r.get(4)?,
            if_match: r.get(5)?,
        }));
    }
    Ok(None)
}

fn prepare(conn: &Connection, remote: &str) -> Result<()> {
    let mut stmt = conn.prepare(
        "SELECT o.seq, o.app_id, o.intent FROM outbox o
         WHERE o.remote = ?1 AND (o.app_id IN (SELECT app_id FROM conflicts)
             OR (json_extract(o.intent, '$.kind') = 'create'
                 AND o.app_id IN (SELECT app_id FROM sync_bases WHERE remote = ?1)))
         ORDER BY o.seq",
    )?;
    let rows = stmt
        .query_map([remote], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
            ))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    for (seq, app_id, json) in rows {
        let intent: Intent =
            super::rows::decode_column(&json, "outbox", &seq.to_string(), "intent")?;
        if matches!(intent, Intent::Create { .. }) && base(conn, remote, &app_id)?.is_some() {
            conn.execute("DELETE FROM outbox WHERE seq = ?1", [seq])?;
            continue;
        }
        let held = held(conn, &app_id)?;
        let (left, back) = hold_back(&intent, &held);
        for (field, value) in back {
            conn.execute(
                "UPDATE conflicts SET mine = ?3 WHERE app_id = ?1 AND field = ?2",
                params![app_id, field, value],
            )?;
        }
        match left {
            None => {
                conn.execute("DELETE FROM outbox WHERE seq = ?1", [seq])?;
            }
            Some(l) if l != intent => {
                // Another body: another key (the portal refuses a key reused
                // with another body, and this body was never sent).
                // Nor was it sent with a mutation number: it gets one anew.
                conn.execute(
                    "UPDATE outbox SET intent = ?2, idempotency_key = ?3, mutation_id = NULL
                     WHERE seq = ?1",
                    params![seq, super::drafts::json(&l), super::new_id()],
                )?;
            }
            Some(_) => {}
        }
    }
    Ok(())
}

/// The fields of `app_id` in conflict.
fn held(conn: &Connection, app_id: &str) -> Result<BTreeSet<String>> {
    let mut stmt = conn.prepare_cached("SELECT field FROM conflicts WHERE app_id = ?1")?;
    let fields = stmt.query_map([app_id], |r| r.get(0))?;
    Ok(fields.collect::<rusqlite::Result<_>>()?)
}

/// The portal kept another id than the one proposed (the proposed one was
/// retired there): the local app takes the portal's, in every table.
pub(super) fn reidentify(conn: &Connection, old: &str, new: &str) -> Result<()> {
    super::sync_history::defer_foreign_keys(conn)?;
    for table in [
        "apps SET id",
        "versions SET app_id",
        "app_tenants SET app_id",
        "connections SET app_id",
        "upgrade_requests SET app_id",
        "activity SET app_id",
        "outbox SET app_id",
        "conflicts SET app_id",
        "sync_bases SET app_id",
    ] {
        let column = table.rsplit(' ').next().unwrap_or("app_id");
        conn.execute(
            &format!("UPDATE {table} = ?2 WHERE {column} = ?1"),
            params![old, new],
        )?;
    }
    Ok(())
}

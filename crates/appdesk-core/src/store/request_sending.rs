//! Upgrade requests on their way to the portal (issue 19 §2): in a linked
//! database, [`Store::request_upgrade`] queues each request it records, and
//! the sync sends the queued ones ([`Store::sync_requests_to_send`]) and
//! stores how each went ([`Store::sync_request_sent`]).
//!
//! Not the outbox: an intent there changes an app and is rebased, merged and
//! held back with it; a request changes no app, so it waits in its own row
//! (`send_state`), sent with its id as the Idempotency-Key and as the id the
//! portal keeps, so that a send whose answer was lost is sent again and stays
//! one request. Nothing here decides whether a request is valid: the portal
//! does, with `decide::receive_request`.

use rusqlite::params;

use super::{Store, rows};
use crate::decide::UpgradeRequest;
use crate::error::Result;

/// How a sent request went.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RequestSent<'a> {
    /// The portal has it.
    Done,
    /// The portal refused it (why): it is not sent again.
    Refused(&'a str),
}

impl Store {
    /// The requests queued for `remote`, oldest first, whose app the portal
    /// already has with every version numbered: an app whose creation or
    /// version is still in the outbox waits, since the request names
    /// versions the portal must know.
    pub fn sync_requests_to_send(&self, remote: &str) -> Result<Vec<UpgradeRequest>> {
        self.read(|conn| {
            let mut stmt = conn.prepare_cached(
                "SELECT r.id, r.app_id, a.name, r.tenant_id, r.environment, r.from_version,
                        r.to_version, r.notes, r.requested_at, r.requested_by
                 FROM upgrade_requests r JOIN apps a ON a.id = r.app_id
                 WHERE r.send_remote = ?1 AND r.send_state = 'queued'
                   AND EXISTS (SELECT 1 FROM sync_bases b
                               WHERE b.remote = ?1 AND b.app_id = r.app_id)
                   AND NOT EXISTS (SELECT 1 FROM outbox o
                                   WHERE o.remote = ?1 AND o.app_id = r.app_id
                                     AND (o.version IS NOT NULL
                                          OR json_extract(o.intent, '$.kind') = 'create'))
                 ORDER BY r.requested_at, r.id",
            )?;
            let rows = stmt.query_map([remote], |r| {
                Ok(UpgradeRequest {
                    id: r.get(0)?,
                    app_id: r.get(1)?,
                    app_name: r.get(2)?,
                    tenant_id: r.get(3)?,
                    environment: rows::parse_col(r, 4)?,
                    from_version: r.get(5)?,
                    to_version: r.get(6)?,
                    notes: r.get(7)?,
                    requested_at: r.get(8)?,
                    requested_by: r.get(9)?,
                })
            })?;
            Ok(rows.collect::<rusqlite::Result<_>>()?)
        })
    }

    /// Stores how sending request `id` went: sent, or refused with the
    /// portal's reason (kept; a refused request is not sent again).
    pub fn sync_request_sent(&self, id: &str, how: RequestSent<'_>) -> Result<()> {
        let (state, error) = match how {
            RequestSent::Done => ("sent", None),
            RequestSent::Refused(why) => ("refused", Some(why)),
        };
        self.write(|conn| {
            conn.prepare_cached(
                "UPDATE upgrade_requests SET send_state = ?2, send_error = ?3 WHERE id = ?1",
            )?
            .execute(params![id, state, error])?;
            Ok(())
        })
    }
}

#[cfg(test)]
mod tests {
    use super::super::{StoreOptions, state};
    use super::*;

    fn send_states(store: &Store) -> Vec<(Option<String>, Option<String>)> {
        store
            .read(|conn| {
                let mut stmt = conn
                    .prepare("SELECT send_remote, send_state FROM upgrade_requests ORDER BY id")?;
                let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
                Ok(rows.collect::<rusqlite::Result<_>>()?)
            })
            .unwrap()
    }

    #[test]
    fn unlinking_keeps_the_requests_not_yet_sent_local() {
        let store = Store::open_in_memory(StoreOptions::default()).unwrap();
        store
            .add_remote("origin", "https://portal.example", "adp_x_y")
            .unwrap();
        let app = store.create_app(&state::dispatch_board()).unwrap();
        store
            .write(|conn| {
                for (id, send_state) in [("r1", "queued"), ("r2", "sent")] {
                    conn.execute(
                        "INSERT INTO upgrade_requests (id, app_id, tenant_id, environment,
                             from_version, to_version, notes, requested_at, requested_by,
                             send_remote, send_state)
                         VALUES (?1, ?2, '1234', 'production', 1, 2, '', '', 'ann', 'origin', ?3)",
                        params![id, app.id, send_state],
                    )?;
                }
                Ok(())
            })
            .unwrap();
        store.remove_remote("origin").unwrap();
        let origin = Some("origin".to_owned());
        assert_eq!(
            send_states(&store),
            [(None, None), (origin, Some("sent".to_owned()))],
            "the queued one is local now; the sent one says where it went"
        );
    }
}

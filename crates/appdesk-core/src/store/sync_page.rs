//! One page of a pull applied whole: the apps it changed (merged, see
//! `sync_pull.rs`), the connection lists it implies, and the cursor past it,
//! in one transaction. The cursor moves last and only with everything the
//! page implies stored: a failure part-way (a connection list that cannot be
//! read or stored) leaves the cursor where it was, and the next sync reads
//! the page again (SYNC.md, "the cursor moves last").

use rusqlite::params;

use super::sync_pull::{Pulled, Theirs};
use super::sync_write::app_row;
use super::{Store, portal_connections};
use crate::error::Result;
use crate::sync::{PulledConnection, connections, link};

/// What a pull read for one page.
#[derive(Debug, Default)]
pub struct Page<'a> {
    pub theirs: &'a [Theirs],
    /// Per app, the portal's list of its connections (an app this database
    /// does not have is skipped: its deletion, or its arrival, is in the feed).
    pub connections: &'a [(String, Vec<PulledConnection>)],
    /// The cursor past the page; `None` leaves it where it is.
    pub cursor: Option<&'a str>,
}

impl Store {
    /// Applies `page` in one transaction; see the module docs. The cursor
    /// is checked ([`link::cursor`]) and every connection list too before
    /// anything is written.
    pub fn sync_apply_page(&self, remote: &str, page: &Page<'_>) -> Result<Vec<Pulled>> {
        for (_, list) in page.connections {
            connections::check(list)?;
        }
        let stamp = self.stamp();
        self.write(|conn| {
            if let Some(next) = page.cursor {
                let kept: Option<String> = conn
                    .prepare_cached("SELECT cursor FROM sync_state WHERE remote = ?1")?
                    .query_row([remote], |r| r.get(0))?;
                link::cursor(next, kept.as_deref())?;
            }
            let pulled = self.apply_page(conn, remote, page.theirs, &stamp)?;
            for (app_id, list) in page.connections {
                if app_row(conn, app_id)?.is_some() {
                    portal_connections::replace_in(conn, remote, app_id, list, &stamp.at)?;
                }
            }
            if let Some(cursor) = page.cursor {
                conn.prepare_cached(
                    "UPDATE sync_state SET cursor = ?2, last_synced_at = ?3 WHERE remote = ?1",
                )?
                .execute(params![remote, cursor, stamp.at])?;
            }
            Ok(pulled)
        })
    }
}

//! Bounds on one sync's reading of the change feed (issue 18 §6): a portal
//! is input, and a feed whose `next` never ends ran 493 requests in 30 s. A
//! sync reads at most [`MAX_PAGES`] pages; a page whose cursor does not
//! advance past the one it was asked for while it carries changes, or goes
//! back to a cursor seen earlier in this sync, is an error naming the remote.
//! Each check runs on a page before anything of it is used, so a refused
//! page changes nothing locally; the pages before it stay applied, each with
//! its own cursor, and the next sync goes on from there.
//!
//! **What must not go in here:** the cursor's format or epoch (the store
//! checks a cursor before keeping it), or anything about the changes
//! themselves.

use std::collections::BTreeSet;

use appdesk_core::ErrorCode;

use crate::client::Client;
use crate::error::Result;
use crate::wire::ChangesPage;

/// The most pages one sync reads: 200,000 changes at 1000 a page, twice a
/// first sync of 100k apps. Past it, the sync stops with an error; what it
/// pulled is kept, and the next sync goes on from there.
pub const MAX_PAGES: usize = 200;

/// The pages one sync (or one plan) has read so far.
#[derive(Debug, Default)]
pub struct FeedBounds {
    pages: usize,
    /// Every cursor a page was asked for after, in this sync.
    seen: BTreeSet<String>,
}

impl FeedBounds {
    pub fn new() -> FeedBounds {
        FeedBounds::default()
    }

    /// Checks `page`, read from `client`'s feed after `since`, before it is
    /// used: an error naming the remote if it passes a bound.
    pub fn check(
        &mut self,
        client: &Client,
        since: Option<&str>,
        page: &ChangesPage,
    ) -> Result<()> {
        self.check_page(since, page)
            .map_err(|why| client.failed(ErrorCode::RemoteFailed, &why))
    }

    /// [`FeedBounds::check`]: why the page is refused.
    fn check_page(&mut self, since: Option<&str>, page: &ChangesPage) -> Result<(), String> {
        self.pages += 1;
        if self.pages > MAX_PAGES {
            return Err(format!(
                "sent more than {MAX_PAGES} pages of its feed in one sync (the limit); what \
                 was pulled before is kept and the next sync goes on from there"
            ));
        }
        let next = page.next.as_str();
        if let Some(since) = since {
            self.seen.insert(since.to_owned());
        }
        if since == Some(next) && !page.changes.is_empty() {
            return Err(format!(
                "sent a page of {} changes whose cursor does not advance past {}",
                page.changes.len(),
                shown(next)
            ));
        }
        if since != Some(next) && self.seen.contains(next) {
            return Err(format!(
                "sent a feed whose cursor goes back to {}, which it had already sent in this sync",
                shown(next)
            ));
        }
        Ok(())
    }
}

/// A cursor as a message shows it: quoted, control characters escaped, cut.
fn shown(cursor: &str) -> String {
    let cut: String = cursor.chars().take(80).collect();
    format!("{cut:?}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn deleted() -> appdesk_protocol::Change {
        appdesk_protocol::Change::Deleted(appdesk_protocol::Tombstone {
            app_id: "a1".into(),
            app_key: "ak1.aaaaaaaaaaaaaaaaaaaaaaaaa".into(),
            revision: 1,
            mutation_id: None,
        })
    }

    fn page(changes: usize, next: &str) -> ChangesPage {
        ChangesPage {
            changes: vec![deleted(); changes],
            next: next.to_owned(),
        }
    }

    #[test]
    fn a_feed_that_advances_is_read_up_to_the_page_limit() {
        let mut bounds = FeedBounds::new();
        let mut since: Option<String> = None;
        for n in 1..=MAX_PAGES {
            let next = format!("0.1.{n}");
            bounds
                .check_page(since.as_deref(), &page(1000, &next))
                .unwrap();
            since = Some(next);
        }
        let e = bounds
            .check_page(since.as_deref(), &page(1000, "0.1.999999"))
            .unwrap_err();
        assert!(e.contains("200 pages"), "{e}");
    }

    #[test]
    fn a_page_with_changes_whose_cursor_does_not_advance_is_refused() {
        let mut bounds = FeedBounds::new();
        bounds.check_page(Some("0.1.5"), &page(0, "0.1.5")).unwrap();
        let e = bounds
            .check_page(Some("0.1.5"), &page(3, "0.1.5"))
            .unwrap_err();
        assert!(e.contains("does not advance"), "{e}");
    }

    #[test]
    fn a_cursor_that_goes_back_to_one_seen_is_refused() {
        let mut bounds = FeedBounds::new();
        bounds.check_page(None, &page(1000, "0.1.1")).unwrap();
        bounds
            .check_page(Some("0.1.1"), &page(1000, "0.1.2"))
            .unwrap();
        let e = bounds
            .check_page(Some("0.1.2"), &page(1000, "0.1.1"))
            .unwrap_err();
        assert!(e.contains("goes back to \"0.1.1\""), "{e}");
    }
}

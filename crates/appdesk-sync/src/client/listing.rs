//! The paged listings (issue 21 §4): every page of `GET /v1/apps`, followed
//! through its `nextCursor`, and of the listings answered as JSON arrays
//! (an app's versions and connections), followed through their
//! `Next-Cursor` header. Reads only; a page's fault fails the whole listing,
//! never a part of it taken for the whole.

use reqwest::StatusCode;
use serde::de::DeserializeOwned;

use super::Client;
use crate::error::Result;
use crate::wire::AppList;
use appdesk_core::ErrorCode;

/// Items asked for per page of a listing (the portal's most).
pub const LIST_PAGE: u32 = 1000;

impl Client {
    /// Every app, with the cursor the feed follows on from: the listing's
    /// pages of [`LIST_PAGE`] followed through `nextCursor`, with the first
    /// page's feed cursor (a change made while the later pages were read is
    /// in the feed after it, and applies again harmlessly).
    pub fn list_apps(&self) -> Result<AppList> {
        let mut listing = self.apps_page(None)?;
        while let Some(cursor) = listing.next_cursor.take() {
            let page = self.apps_page(Some(cursor))?;
            listing.items.extend(page.items);
            listing.next_cursor = page.next_cursor;
        }
        Ok(listing)
    }

    /// One page of `GET /v1/apps`, after `cursor` (`None`: the first).
    fn apps_page(&self, cursor: Option<String>) -> Result<AppList> {
        let mut query = vec![("limit", LIST_PAGE.to_string())];
        if let Some(cursor) = cursor {
            query.push(("cursor", cursor));
        }
        let url = self.listing_url("/v1/apps", &query)?;
        let request = self.as_client(self.http.get(url).bearer_auth(self.token.expose()));
        self.expect_ok(self.send(request)?)
    }

    /// GETs every page of a listing answered as a JSON array, following its
    /// `Next-Cursor` header in pages of [`LIST_PAGE`]; `None` on a 404 (the
    /// portal has no such app).
    pub(crate) fn get_all_found<T: DeserializeOwned>(&self, path: &str) -> Result<Option<Vec<T>>> {
        let mut all = Vec::new();
        let mut cursor: Option<String> = None;
        loop {
            let mut query = vec![("limit", LIST_PAGE.to_string())];
            if let Some(c) = cursor.take() {
                query.push(("cursor", c));
            }
            let url = self.listing_url(path, &query)?;
            let request = self.as_client(self.http.get(url).bearer_auth(self.token.expose()));
            let answer = self.send(request)?;
            if answer.status() == StatusCode::NOT_FOUND {
                return Ok(None);
            }
            let next = answer
                .headers()
                .get("next-cursor")
                .and_then(|v| v.to_str().ok())
                .map(str::to_owned);
            let page: Vec<T> = self.expect_ok(answer)?;
            all.extend(page);
            match next {
                Some(n) => cursor = Some(n),
                None => return Ok(Some(all)),
            }
        }
    }

    /// `base + path` with `query`, or the error that the URL cannot be used.
    fn listing_url(&self, path: &str, query: &[(&str, String)]) -> Result<reqwest::Url> {
        reqwest::Url::parse_with_params(&format!("{}{path}", self.base), query).map_err(|e| {
            self.failed(
                ErrorCode::Internal,
                &format!("has a URL that cannot be used ({e})"),
            )
        })
    }
}

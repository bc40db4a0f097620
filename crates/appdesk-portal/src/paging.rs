//! Paging of the listings (`?limit=&cursor=`): the limit's bounds, and the
//! opaque cursor that says where the next page starts.
//!
//! A cursor is the sort key of the last item of a page (e.g. an app's
//! lowercased name and its id), hex-encoded behind a version tag. It names
//! only what the caller has already been shown, and is read against the
//! caller's own items: a cursor from another workspace shows nothing of that
//! workspace. It must never carry anything cluster-wide (a transaction id, a
//! count), nor be trusted as more than a position.
//!
//! `GET /v1/apps` answers an object and gives the next cursor as its
//! `nextCursor`; the listings answered as a bare JSON array (versions,
//! connections, upgrade requests) stay arrays, for the clients that read them
//! so, and give it in the `Next-Cursor` header.

use axum::Json;
use axum::http::HeaderValue;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use utoipa::IntoParams;

use crate::error::AppError;

/// Items on a page when no `limit` is given.
pub const LIMIT_DEFAULT: i64 = 100;
/// The largest `limit`.
pub const LIMIT_MAX: i64 = 1000;

/// The tag every cursor starts with; a new format gets a new tag.
const TAG: &str = "p1";

/// `?limit=&cursor=` of a listing, as sent (parsed by [`PageQuery::page`],
/// so that each fault names its parameter).
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct PageQuery {
    /// At most this many items (1–1000, default 100).
    #[param(value_type = Option<i64>, minimum = 1, maximum = 1000)]
    pub limit: Option<String>,
    /// The `nextCursor` of the previous page; absent for the first page.
    pub cursor: Option<String>,
}

/// A checked page request: how many items, after which sort key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Page {
    pub limit: i64,
    /// The sort key of the last item already shown; `None` for the first page.
    pub after: Option<Vec<String>>,
}

impl PageQuery {
    /// The page asked for; a 400 naming `limit` or `cursor` when one is not
    /// usable. `key_len` is how many parts the listing's sort key has.
    pub fn page(&self, key_len: usize) -> Result<Page, AppError> {
        let limit = match self.limit.as_deref() {
            None => LIMIT_DEFAULT,
            Some(text) => text
                .parse::<i64>()
                .ok()
                .filter(|n| (1..=LIMIT_MAX).contains(n))
                .ok_or_else(|| {
                    AppError::malformed(
                        Some("limit"),
                        format!("limit must be a whole number from 1 to {LIMIT_MAX}"),
                    )
                })?,
        };
        let after = match self.cursor.as_deref() {
            None | Some("") => None,
            Some(text) => Some(decode(text, key_len).ok_or_else(|| {
                AppError::malformed(
                    Some("cursor"),
                    "not a cursor of this listing: start again without one",
                )
            })?),
        };
        Ok(Page { limit, after })
    }
}

/// The cursor that starts after `key`.
pub fn encode(key: &[String]) -> String {
    let json = serde_json::to_vec(key).unwrap_or_default();
    let mut out = String::with_capacity(TAG.len() + 1 + json.len() * 2);
    out.push_str(TAG);
    out.push('.');
    for byte in json {
        out.push_str(&format!("{byte:02x}"));
    }
    out
}

fn decode(text: &str, key_len: usize) -> Option<Vec<String>> {
    let hex = text.strip_prefix(TAG)?.strip_prefix('.')?;
    if hex.len() % 2 != 0 || hex.len() > 8192 {
        return None;
    }
    let bytes: Option<Vec<u8>> = (0..hex.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(hex.get(i..i + 2)?, 16).ok())
        .collect();
    let key: Vec<String> = serde_json::from_slice(&bytes?).ok()?;
    (key.len() == key_len).then_some(key)
}

/// Cuts a page read with one item too many (`limit + 1`): the items, and the
/// cursor after the last one when there are more.
pub fn split<T>(mut items: Vec<(T, Vec<String>)>, page: &Page) -> (Vec<T>, Option<String>) {
    let more = items.len() as i64 > page.limit;
    items.truncate(usize::try_from(page.limit).unwrap_or(usize::MAX));
    let next = if more {
        items.last().map(|(_, key)| encode(key))
    } else {
        None
    };
    (items.into_iter().map(|(item, _)| item).collect(), next)
}

/// One page of `items` already in memory (a bounded list, such as one
/// app's connections), by `key` ascending: the page and the next cursor.
pub fn slice<T>(
    items: Vec<T>,
    key: impl Fn(&T) -> Vec<String>,
    page: &Page,
) -> (Vec<T>, Option<String>) {
    let mut keyed: Vec<(T, Vec<String>)> = items
        .into_iter()
        .map(|item| {
            let k = key(&item);
            (item, k)
        })
        .filter(|(_, k)| page.after.as_ref().is_none_or(|after| k > after))
        .collect();
    keyed.sort_by(|a, b| a.1.cmp(&b.1));
    keyed.truncate(usize::try_from(page.limit + 1).unwrap_or(usize::MAX));
    split(keyed, page)
}

/// The header that carries the next page's cursor on a listing answered as
/// a bare JSON array (kept so for the clients that read it as one).
pub const NEXT_CURSOR: &str = "next-cursor";

/// `items` as a JSON array, with [`NEXT_CURSOR`] when there is a next page.
pub fn array<T: serde::Serialize>(items: Vec<T>, next: Option<String>) -> Response {
    let mut response = Json(items).into_response();
    if let Some(value) = next.and_then(|n| HeaderValue::from_str(&n).ok()) {
        response.headers_mut().insert(NEXT_CURSOR, value);
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cursor_reads_back_as_its_key_and_nothing_else_does() {
        let key = vec!["acme \u{e9}\"x".to_owned(), "01ab".to_owned()];
        assert_eq!(decode(&encode(&key), 2), Some(key.clone()));
        assert_eq!(decode(&encode(&key), 1), None);
        for bad in ["", "p1", "p1.", "p1.zz", "p1.5b", "p2.5b5d", "garbage"] {
            assert_eq!(decode(bad, 2), None, "{bad}");
        }
    }
}

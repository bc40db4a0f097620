//! The portal's HTTP API as blocking calls (reqwest with rustls): bearer
//! token, connect and read timeouts, `If-Match` and `Idempotency-Key` on
//! every write. Each answer is read into what the engine branches on; every
//! failure to talk becomes an [`Error::Remote`] that names the remote.

mod body;
mod connections;
mod listing;
mod probe;
mod redirect;
mod requests;
mod retry;

use std::time::Duration;

use appdesk_core::ErrorCode;
use appdesk_core::store::{BearerToken, Sending};
use appdesk_protocol::{Deleted, ErrorBody, HistoryEntry};
use reqwest::StatusCode;
use reqwest::blocking::{RequestBuilder, Response};
use serde::de::DeserializeOwned;

pub use body::MAX_ANSWER_BYTES;
pub use connections::{ActionAnswer, ConnectionAction};
pub use listing::LIST_PAGE;
pub use probe::test_remote;

use crate::error::{Error, NOTHING_LOST, Result};
use crate::wire::{ChangesPage, CreateBody, HistoryRecord, PatchBody, RemoteApp};

const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
/// A whole request, answer included; the feed's longest wait is 250 ms.
const REQUEST_TIMEOUT: Duration = Duration::from_secs(60);
/// Sets the request timeout in whole seconds (1 to [`MAX_TIMEOUT_SECS`])
/// instead, for a slow link or a quick failure.
pub const TIMEOUT_VAR: &str = "APPDESK_SYNC_TIMEOUT_SECS";
const MAX_TIMEOUT_SECS: u64 = 3600;
/// Changes per page of the feed; each page is one transaction here. Measured
/// with budgets.sh on a loaded 2-core machine, a 10k first sync took 9.8 and
/// 11.4 s with pages of 1000, 13.3 and 14.5 s (and twice the memory) with
/// pages of 5000.
pub const PAGE: u32 = 1000;

/// One portal, as one remote names it.
#[derive(Debug)]
pub struct Client {
    http: reqwest::blocking::Client,
    remote: String,
    base: String,
    token: BearerToken,
    /// This database's client id at the portal, sent with every read so
    /// that the portal says which of its mutations it applied.
    client_id: Option<String>,
}

/// The headers of a numbered write ([`appdesk_core::store::Sending`]).
const CLIENT_HEADER: &str = "Appdesk-Client-Id";
const MUTATION_HEADER: &str = "Appdesk-Mutation-Id";

/// What a page of the feed said.
#[derive(Debug)]
pub enum Feed {
    Page(ChangesPage),
    /// 410: the cursor is older than what the portal keeps.
    Gone,
    /// 403: this token has no feed (a tenant admin's): every pull lists the
    /// apps it may see instead.
    NoFeed,
}

/// What a write came back with.
#[derive(Debug)]
pub enum Written<T> {
    Done(T),
    /// 412: the app moved on since the base the write was made on.
    Stale,
    /// 404: the app is not on the portal (deleted there).
    Missing,
    /// A rule or a check refused it (409, 422, 403, 400): the portal's code
    /// (as text, for the report: it may be one this build does not know) and
    /// message; the intent stays queued.
    Refused {
        code: String,
        message: String,
    },
}

impl Client {
    pub fn new(remote: &str, url: &str, token: BearerToken) -> Result<Client> {
        // reqwest gets rustls without a provider in this workspace; ring is
        // the one linked (an error only means one is installed already).
        let _ = rustls::crypto::ring::default_provider().install_default();
        let http = reqwest::blocking::Client::builder()
            .connect_timeout(CONNECT_TIMEOUT)
            .timeout(request_timeout(std::env::var_os(TIMEOUT_VAR))?)
            .user_agent(concat!("appdesk/", env!("CARGO_PKG_VERSION")))
            .redirect(redirect::policy())
            .build()
            .map_err(|e| Error::Remote {
                code: ErrorCode::Internal,
                message: format!("cannot set up HTTP for the remote {remote}: {e}"),
            })?;
        Ok(Client {
            http,
            remote: remote.to_owned(),
            base: url.trim_end_matches('/').to_owned(),
            token,
            client_id: None,
        })
    }

    /// Reads as the client `id` (see [`Client::client_id`]).
    pub fn with_client_id(mut self, id: Option<String>) -> Client {
        self.client_id = id;
        self
    }

    pub fn remote(&self) -> &str {
        &self.remote
    }

    /// A page of the change feed after `since` (`None`: from the beginning).
    pub fn changes(&self, since: Option<&str>) -> Result<Feed> {
        let mut query = vec![("limit", PAGE.to_string())];
        if let Some(s) = since {
            query.push(("since", s.to_owned()));
        }
        let url = reqwest::Url::parse_with_params(&format!("{}/v1/changes", self.base), &query)
            .map_err(|e| {
                self.failed(
                    ErrorCode::Internal,
                    &format!("has a URL that cannot be used ({e})"),
                )
            })?;
        let request = self.as_client(self.http.get(url).bearer_auth(self.token.expose()));
        let answer = self.send(request)?;
        if answer.status() == StatusCode::GONE {
            return Ok(Feed::Gone);
        }
        if answer.status() == StatusCode::FORBIDDEN {
            return Ok(Feed::NoFeed);
        }
        self.expect_ok(answer).map(Feed::Page)
    }

    /// One app; `None` if the portal does not have it.
    pub fn app(&self, id: &str) -> Result<Option<RemoteApp>> {
        self.get_found(&format!("/v1/apps/{}", segment(id)))
    }

    /// An app's versions, oldest first; `None` if the portal does not have it.
    pub fn versions(&self, id: &str) -> Result<Option<Vec<HistoryRecord>>> {
        let history: Option<Vec<HistoryEntry>> =
            self.get_all_found(&format!("/v1/apps/{}/versions", segment(id)))?;
        Ok(history.map(|h| h.into_iter().map(Into::into).collect()))
    }

    /// GETs `path`: its JSON, or `None` on a 404 (the portal has no such app).
    pub(crate) fn get_found<T: DeserializeOwned>(&self, path: &str) -> Result<Option<T>> {
        let answer = self.send(self.get(path))?;
        if answer.status() == StatusCode::NOT_FOUND {
            return Ok(None);
        }
        self.expect_ok(answer).map(Some)
    }

    pub fn create(
        &self,
        key: &str,
        sending: &Sending,
        body: &CreateBody,
    ) -> Result<Written<RemoteApp>> {
        let request = self.write(reqwest::Method::POST, "/v1/apps", key, None);
        self.written(numbered(request, sending).json(body))
    }

    pub fn patch(
        &self,
        id: &str,
        (key, sending): (&str, &Sending),
        if_match: i64,
        body: &PatchBody,
    ) -> Result<Written<RemoteApp>> {
        let path = format!("/v1/apps/{}", segment(id));
        let request = self.write(reqwest::Method::PATCH, &path, key, Some(if_match));
        self.written(numbered(request, sending).json(body))
    }

    pub fn delete(
        &self,
        id: &str,
        (key, sending): (&str, &Sending),
        if_match: i64,
    ) -> Result<Written<Deleted>> {
        let path = format!("/v1/apps/{}", segment(id));
        let request = self.write(reqwest::Method::DELETE, &path, key, Some(if_match));
        self.written(numbered(request, sending))
    }

    fn get(&self, path: &str) -> RequestBuilder {
        self.as_client(
            self.http
                .get(format!("{}{path}", self.base))
                .bearer_auth(self.token.expose()),
        )
    }

    /// A read that says which client reads (if this database has an id).
    fn as_client(&self, request: RequestBuilder) -> RequestBuilder {
        match &self.client_id {
            Some(id) => request.header(CLIENT_HEADER, id),
            None => request,
        }
    }

    fn write(
        &self,
        method: reqwest::Method,
        path: &str,
        key: &str,
        if_match: Option<i64>,
    ) -> RequestBuilder {
        let mut request = self
            .http
            .request(method, format!("{}{path}", self.base))
            .bearer_auth(self.token.expose())
            .header("Idempotency-Key", key);
        if let Some(revision) = if_match {
            request = request.header("If-Match", format!("\"{revision}\""));
        }
        request
    }

    fn written<T: DeserializeOwned>(&self, request: RequestBuilder) -> Result<Written<T>> {
        let answer = self.send(request)?;
        match answer.status() {
            s if s.is_success() => self.read(answer).map(Written::Done),
            StatusCode::PRECONDITION_FAILED => Ok(Written::Stale),
            StatusCode::NOT_FOUND => Ok(Written::Missing),
            StatusCode::CONFLICT
            | StatusCode::UNPROCESSABLE_ENTITY
            | StatusCode::FORBIDDEN
            | StatusCode::BAD_REQUEST => {
                let body = error_body(answer);
                if body
                    .as_ref()
                    .is_some_and(|b| b.code == ErrorCode::InProgress)
                {
                    return Err(self.failed(
                        ErrorCode::InProgress,
                        "is still running an earlier send of this change; sync again in a moment",
                    ));
                }
                let (code, message) = body
                    .map(|b| (b.code.to_string(), b.message))
                    .unwrap_or_default();
                Ok(Written::Refused { code, message })
            }
            _ => Err(self.unexpected(answer)),
        }
    }

    fn expect_ok<T: DeserializeOwned>(&self, answer: Response) -> Result<T> {
        if !answer.status().is_success() {
            return Err(self.unexpected(answer));
        }
        self.read(answer)
    }

    /// The answer's JSON, parsed as it is read within the bounds of
    /// [`body`]: a portal is input.
    fn read<T: DeserializeOwned>(&self, answer: Response) -> Result<T> {
        let declared = answer.content_length();
        body::read_json(answer, declared).map_err(|e| match e {
            body::BodyError::TooLarge(why) => self.failed(
                ErrorCode::RemoteFailed,
                &format!("sent an answer this client refuses: {why}"),
            ),
            body::BodyError::Io(e) => self.failed(
                ErrorCode::Unreachable,
                &format!("broke off its answer ({e})"),
            ),
            body::BodyError::Json(e) => self.failed(
                ErrorCode::RemoteFailed,
                &format!("answered with JSON this client cannot read ({e})"),
            ),
        })
    }

    fn unexpected(&self, answer: Response) -> Error {
        let status = answer.status();
        let message = error_body(answer).map(|b| b.message).unwrap_or_default();
        self.failed(
            ErrorCode::RemoteFailed,
            format!("answered {status} {message}").trim_end(),
        )
    }

    fn transport(&self, e: &reqwest::Error) -> Error {
        if let Some(refused) = redirect::refused(e) {
            return self.failed(ErrorCode::RemoteFailed, &refused.0);
        }
        let code = if e.is_timeout() {
            ErrorCode::Timeout
        } else {
            ErrorCode::Unreachable
        };
        let mut why = e.to_string();
        let mut source = std::error::Error::source(e);
        while let Some(s) = source {
            why = format!("{why}: {s}");
            source = s.source();
        }
        let what = if e.is_timeout() {
            "did not answer in time"
        } else {
            "cannot be reached"
        };
        self.failed(code, &format!("{what} ({why})"))
    }

    pub(crate) fn failed(&self, code: ErrorCode, what: &str) -> Error {
        Error::Remote {
            code,
            message: format!(
                "the portal of remote {} ({}) {what}; {NOTHING_LOST}",
                self.remote, self.base
            ),
        }
    }
}

/// The request timeout: [`TIMEOUT_VAR`]'s value if set, else 60 s. A value
/// that is not a whole number of seconds in range is refused, naming it.
fn request_timeout(set: Option<std::ffi::OsString>) -> Result<Duration> {
    let Some(set) = set else {
        return Ok(REQUEST_TIMEOUT);
    };
    let text = set.to_string_lossy();
    text.trim()
        .parse::<u64>()
        .ok()
        .filter(|s| (1..=MAX_TIMEOUT_SECS).contains(s))
        .map(Duration::from_secs)
        .ok_or_else(|| {
            let message = format!(
                "{TIMEOUT_VAR} must be a whole number of seconds from 1 to {MAX_TIMEOUT_SECS} \
                 (unset: 60), not {text:?}"
            );
            appdesk_core::Error::Invalid(vec![appdesk_core::Problem::new(TIMEOUT_VAR, message)])
                .into()
        })
}

/// A write numbered as `sending` says: its client and mutation.
fn numbered(request: RequestBuilder, sending: &Sending) -> RequestBuilder {
    request
        .header(CLIENT_HEADER, &sending.client)
        .header(MUTATION_HEADER, sending.mutation.to_string())
}

/// An app id as one path segment (ids are UUIDs; anything else is escaped).
fn segment(id: &str) -> String {
    id.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b == b'-' || b == b'_' || b == b'.' {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

/// The portal's error body (`{code, message, field}`), read from at most its
/// first [`body::MAX_ERROR_BYTES`]; `None` when the answer holds none (not
/// JSON, not that shape, or cut: a proxy's page, say).
fn error_body(mut answer: Response) -> Option<ErrorBody> {
    let start = body::read_start(&mut answer, body::MAX_ERROR_BYTES);
    serde_json::from_slice(&start).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn timeout(value: &str) -> Result<Duration> {
        request_timeout(Some(value.into()))
    }

    #[test]
    fn the_timeout_is_60_s_unless_the_variable_sets_whole_seconds_in_range() {
        assert_eq!(request_timeout(None).unwrap(), Duration::from_secs(60));
        assert_eq!(timeout("5").unwrap(), Duration::from_secs(5));
        assert_eq!(timeout(" 3600 ").unwrap(), Duration::from_secs(3600));
    }

    #[test]
    fn a_bad_timeout_is_refused_naming_the_variable_and_the_value() {
        for bad in [
            "",
            "0",
            "-1",
            "1.5",
            "3601",
            "ten",
            "5s",
            "\u{202e}5",
            "99999999999999999999",
        ] {
            let e = timeout(bad).unwrap_err();
            assert_eq!(e.code(), ErrorCode::Invalid, "{bad:?}");
            let body = e.body();
            assert_eq!(body.field.as_deref(), Some(TIMEOUT_VAR), "{bad:?}");
            assert!(
                body.message.contains(&format!("{bad:?}")),
                "{}",
                body.message
            );
        }
    }
}

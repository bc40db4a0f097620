//! Sending an upgrade request (`POST /v1/apps/{id}/upgrade-requests`), with
//! the request's own id as its `Idempotency-Key` (see
//! `appdesk_core::store::request_sending`).

use appdesk_protocol::{NewUpgradeRequest, UpgradeRequest};

use super::{Client, Written, segment};
use crate::error::Result;

impl Client {
    /// Sends `body` for app `id` under `key`: done, refused (the portal's
    /// code and message), or missing (404: the portal has no such app).
    pub fn upgrade_request(
        &self,
        id: &str,
        key: &str,
        body: &NewUpgradeRequest,
    ) -> Result<Written<UpgradeRequest>> {
        let path = format!("/v1/apps/{}/upgrade-requests", segment(id));
        self.written(
            self.write(reqwest::Method::POST, &path, key, None)
                .json(body),
        )
    }
}

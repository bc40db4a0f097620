//! "Test connection" in the window: one small authenticated read, so a
//! person learns before a sync whether the URL answers and the token is
//! accepted. Reads one change of the feed; writes nothing.

use appdesk_core::Store;

use super::Client;
use crate::error::Result;

impl Client {
    /// Reads the first change of the feed with the token: `Ok` when the
    /// portal answers and accepts it.
    pub fn probe(&self) -> Result<()> {
        let answer = self.send(self.get("/v1/changes?limit=1"))?;
        self.expect_ok::<serde_json::Value>(answer).map(|_| ())
    }
}

/// Tests the linked remote (or `remote`): a line saying it answered.
pub fn test_remote(store: &Store, remote: Option<&str>) -> Result<String> {
    let link = store.sync_link(remote)?;
    let client = Client::new(&link.name, &link.url, store.remote_token(&link.name)?)?;
    client.probe()?;
    Ok(format!(
        "OK: the portal of {} ({}) answered and accepted the token.",
        link.name, link.url
    ))
}

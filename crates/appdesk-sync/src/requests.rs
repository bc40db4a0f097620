//! Upgrade requests reach the portal (issue 19 §2): after the outbox is
//! pushed, each request this database queued is sent with its notes, and
//! how it went is stored before the next is sent. A failure to talk ends
//! the sync with the request still queued (sent again, with the same key, by
//! the next); a refusal is stored and reported, and not sent again.

use appdesk_core::Store;
use appdesk_core::decide::UpgradeRequest;
use appdesk_core::store::RequestSent;
use appdesk_protocol::NewUpgradeRequest;

use crate::client::{Client, Written};
use crate::error::Result;
use crate::report::{Report, ReportItem};

/// What a sent request is called in the report's `pushes` and `refused`.
pub const WHAT: &str = "upgrade request";

/// Sends every request queued for the client's remote whose app the portal
/// has; each sent one goes to `report.pushes`, each refused one to
/// `report.refused`.
pub fn send(store: &Store, client: &Client, report: &mut Report) -> Result<()> {
    for request in store.sync_requests_to_send(client.remote())? {
        let answer = client.upgrade_request(&request.app_id, &request.id, &body(&request))?;
        let why = match answer {
            Written::Done(_) => {
                store.sync_request_sent(&request.id, RequestSent::Done)?;
                report.pushes.push(item(&request, WHAT.to_owned()));
                continue;
            }
            Written::Refused { code, message } => format!("{WHAT} refused ({code}): {message}"),
            Written::Missing | Written::Stale => {
                format!("{WHAT} refused: the portal has no app {}", request.app_id)
            }
        };
        store.sync_request_sent(&request.id, RequestSent::Refused(&why))?;
        report.refused.push(item(&request, why));
    }
    Ok(())
}

/// What a plan would send: the queued requests, as `pushes`.
pub fn planned(store: &Store, remote: &str) -> Result<Vec<ReportItem>> {
    Ok(store
        .sync_requests_to_send(remote)?
        .iter()
        .map(|r| item(r, WHAT.to_owned()))
        .collect())
}

fn body(r: &UpgradeRequest) -> NewUpgradeRequest {
    NewUpgradeRequest {
        id: Some(r.id.clone()),
        tenant_id: r.tenant_id.clone(),
        environment: r.environment.as_str().to_owned(),
        from_version: r.from_version,
        to_version: r.to_version,
        notes: Some(r.notes.clone()),
    }
}

fn item(r: &UpgradeRequest, what: String) -> ReportItem {
    ReportItem {
        app: r.app_id.clone(),
        app_name: Some(r.app_name.clone()),
        what,
    }
}

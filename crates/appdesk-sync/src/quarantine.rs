//! Quarantine, not abort (issue 18 §5): each app a pull brings is checked by
//! the core's `sync::admit` against this client's catalog before the store
//! applies it. One that fails is kept aside (`Store::sync_quarantine`) with
//! its reason, and left out of the page; the others, the cursor and the push
//! queue go on. One admitted later (changed on the portal, or this client's
//! catalog updated) or deleted leaves quarantine.
//!
//! **What must not go in here:** the rules (the core's `admit` holds them)
//! or SQL (the store's).

use std::collections::BTreeSet;

use appdesk_core::Catalog;
use appdesk_core::Store;
use appdesk_core::store::{Quarantined, Theirs};
use appdesk_core::sync::admit;

use crate::client::Client;
use crate::error::Result;
use crate::report::ReportQuarantined;

/// Splits `theirs` into what may be applied and what is kept aside, writing
/// nothing.
pub fn split(catalog: &Catalog, theirs: Vec<Theirs>) -> (Vec<Theirs>, Vec<Quarantined>) {
    let latest = admit::latest_allowed();
    let mut admitted = Vec::with_capacity(theirs.len());
    let mut kept = Vec::new();
    for t in theirs {
        let refused = t
            .app
            .as_ref()
            .and_then(|p| admit::admit(p, catalog, latest).err().map(|why| (p, why)));
        match refused {
            Some((p, reason)) => kept.push(Quarantined {
                app: t.app_id.clone(),
                app_name: Some(p.snapshot.name.clone()),
                revision: p.revision,
                reason,
                since: String::new(),
            }),
            None => admitted.push(t),
        }
    }
    (admitted, kept)
}

/// What of `theirs` may be applied; the rest is kept aside, and what is
/// admitted (or deleted) leaves quarantine.
pub fn admit(store: &Store, remote: &str, theirs: Vec<Theirs>) -> Result<Vec<Theirs>> {
    let (admitted, kept) = split(store.catalog(), theirs);
    let released: Vec<&str> = admitted.iter().map(|t| t.app_id.as_str()).collect();
    store.sync_quarantine(remote, &kept, &released)?;
    Ok(admitted)
}

/// Pulls each quarantined app again, so one this client now admits (its
/// catalog updated) leaves quarantine without waiting for a change.
pub fn recheck(store: &Store, client: &Client) -> Result<()> {
    for q in store.sync_quarantined(client.remote())? {
        crate::pull::refresh(store, client, &q.app)?;
    }
    Ok(())
}

/// The apps whose queued intents wait: those kept aside (their base is not
/// the portal's, so a write would only be refused as stale).
pub fn held(store: &Store, remote: &str) -> Result<BTreeSet<String>> {
    Ok(store
        .sync_quarantined(remote)?
        .into_iter()
        .map(|q| q.app)
        .collect())
}

/// The kept-aside apps as a report lists them.
pub fn reported(kept: Vec<Quarantined>) -> Vec<ReportQuarantined> {
    kept.into_iter()
        .map(|q| ReportQuarantined {
            app: q.app,
            app_name: q.app_name,
            reason: q.reason,
        })
        .collect()
}

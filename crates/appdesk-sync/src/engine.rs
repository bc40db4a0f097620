//! The sync itself: pull, merge, push the outbox in order, send the upgrade
//! requests, pull again; or,
//! for a plan, read and compute all of it and write nothing.

use std::collections::BTreeMap;

use appdesk_core::Store;
use appdesk_core::store::{Ack, PortalApp, Queued, Sending};
use appdesk_core::sync::Intent;

use crate::client::{Client, Written};
use crate::error::Result;
use crate::pull::{pull, read_all, refresh};
use crate::report::{Mode, Progress, Report, ReportConflict, ReportItem};
use crate::wire::{CreateBody, PatchBody, RemoteApp};

/// How often one app is pulled again and retried after `412` (or `404`) in
/// one sync, before its intents wait for the next.
const RETRIES: u32 = 3;

/// Syncs `store` with its remote (`remote`: its name; optional when there is
/// one), or with [`Mode::Plan`] computes what a sync would do and writes
/// nothing, locally or on the portal. Blocking.
pub fn sync(
    store: &Store,
    remote: Option<&str>,
    mode: Mode,
    progress: &mut dyn FnMut(Progress),
) -> Result<Report> {
    let link = store.sync_link(remote)?;
    let client = Client::new(&link.name, &link.url, store.remote_token(&link.name)?)?
        .with_client_id(store.sync_client_id(&link.name)?);
    let mut report = Report {
        remote: link.name.clone(),
        plan: mode == Mode::Plan,
        ..Report::default()
    };
    if mode == Mode::Plan {
        let (theirs, cursor) = read_all(store, &client)?;
        let (theirs, kept) = crate::quarantine::split(store.catalog(), theirs);
        report.quarantined = crate::quarantine::planned(store, &link.name, kept)?;
        let plan = store.sync_plan(&link.name, &theirs)?;
        report.pulled = plan.pulled.len();
        report.pulls = plan
            .pulled
            .into_iter()
            .map(|p| item(p.app, p.app_name, p.what))
            .collect();
        report.pushed = plan.pushed.len();
        report.pending = plan.pushed.len();
        report.pushes = plan.pushed.iter().map(pushed_item).collect();
        report
            .pushes
            .extend(crate::requests::planned(store, &link.name)?);
        report.conflicts = plan.conflicts.into_iter().map(conflict).collect();
        report.cursor = cursor;
        return Ok(report);
    }
    crate::quarantine::recheck(store, &client)?;
    pull(store, &client, &mut report, progress)?;
    push(store, &client, &mut report, progress)?;
    // After the push: a request names versions the portal must have.
    crate::requests::send(store, &client, &mut report)?;
    // What others wrote meanwhile; nothing pushed, nothing to wait for.
    if report.pushed > 0 {
        pull(store, &client, &mut report, progress)?;
    }
    report.conflicts = store.conflicts()?.into_iter().map(conflict).collect();
    report.cursor = store.sync_link(Some(&link.name))?.cursor;
    report.pending = store.sync_pending(&link.name)?;
    report.quarantined = crate::quarantine::reported(store.sync_quarantined(&link.name)?);
    Ok(report)
}

/// Sends the outbox in order, each intent with its key and the app's synced
/// revision as `If-Match`; each answer is stored before the next is sent.
fn push(
    store: &Store,
    client: &Client,
    report: &mut Report,
    progress: &mut dyn FnMut(Progress),
) -> Result<()> {
    let remote = client.remote();
    store.sync_prepare_push(remote)?;
    let queued = store.sync_pending(remote)?;
    // A quarantined app's intents wait: its base is not the portal's.
    let mut skip = crate::quarantine::held(store, remote)?;
    let mut retries: BTreeMap<String, u32> = BTreeMap::new();
    let mut after = 0;
    while let Some(q) = store.sync_next_intent(remote, after, &skip)? {
        // Numbered before it leaves, so that a lost answer is still known
        // by its number on the next pull.
        let sending = store.sync_sending(remote, q.seq)?;
        match send(client, &q, &sending)? {
            Written::Done(ack) => {
                store.sync_acknowledge(remote, q.seq, &ack)?;
                after = q.seq;
                report.pushed += 1;
                report.pushes.push(pushed_item(&q));
                progress(Progress::Pushing {
                    done: report.pushed,
                    queued,
                });
            }
            Written::Stale | Written::Missing => {
                let tries = retries.entry(q.app_id.clone()).or_default();
                *tries += 1;
                if *tries > RETRIES {
                    skip.insert(q.app_id.clone());
                    let why = "the portal's app kept changing; it is sent on the next sync";
                    report.refused.push(item(q.app_id, q.app_name, why));
                    continue;
                }
                // Pull that app, merge again, rebuild what is left to send.
                refresh(store, client, &q.app_id)?;
                store.sync_prepare_push(remote)?;
                after = 0;
            }
            Written::Refused { code, message } => {
                skip.insert(q.app_id.clone());
                let why = format!("{} refused ({code}): {message}", q.intent.kind());
                report.refused.push(item(q.app_id, q.app_name, &why));
            }
        }
    }
    Ok(())
}

/// Sends one intent; a done write comes back as what to store.
fn send(client: &Client, q: &Queued, sending: &Sending) -> Result<Written<Ack>> {
    let app = |w: Written<RemoteApp>, history: bool| -> Result<Written<Ack>> {
        Ok(match w {
            Written::Done(app) => {
                let history = match history {
                    true => client.versions(&app.id)?.map(|h| {
                        let version = app.version.unwrap_or(0);
                        h.into_iter()
                            .filter(|v| v.version <= version)
                            .map(Into::into)
                            .collect()
                    }),
                    false => None,
                };
                Written::Done(Ack::App(Box::new(PortalApp {
                    snapshot: app.snapshot(),
                    revision: app.revision,
                    version: app.version.unwrap_or(0),
                    created_at: app.created_at.clone(),
                    history,
                })))
            }
            Written::Stale => Written::Stale,
            Written::Missing => Written::Missing,
            Written::Refused { code, message } => Written::Refused { code, message },
        })
    };
    match (&q.intent, q.if_match) {
        (Intent::Create { app: snapshot }, _) => app(
            client.create(&q.key, sending, &CreateBody::of(snapshot))?,
            true,
        ),
        (Intent::Delete, None) => Ok(Written::Done(Ack::Deleted)),
        (Intent::Delete, Some(revision)) => Ok(
            match client.delete(&q.app_id, (&q.key, sending), revision)? {
                Written::Done(_) | Written::Missing => Written::Done(Ack::Deleted),
                Written::Stale => Written::Stale,
                Written::Refused { code, message } => Written::Refused { code, message },
            },
        ),
        (intent, None) => Ok(Written::Refused {
            code: "not_on_portal".to_owned(),
            message: format!(
                "the portal does not have this app yet, so its {} change waits for its creation",
                intent.kind()
            ),
        }),
        (intent, Some(revision)) => {
            let Some(body) = PatchBody::of(intent) else {
                return Ok(Written::Missing);
            };
            let scopes = matches!(intent, Intent::Scopes { .. });
            let key = (q.key.as_str(), sending);
            app(client.patch(&q.app_id, key, revision, &body)?, scopes)
        }
    }
}

fn item(app: String, app_name: Option<String>, what: &str) -> ReportItem {
    ReportItem {
        app,
        app_name,
        what: what.to_owned(),
    }
}

fn pushed_item(q: &Queued) -> ReportItem {
    item(q.app_id.clone(), q.app_name.clone(), q.intent.kind())
}

fn conflict(c: appdesk_core::store::StoredConflict) -> ReportConflict {
    ReportConflict {
        app: c.app,
        app_name: c.app_name,
        field: c.field,
        mine: c.mine,
        theirs: c.theirs,
        base: c.base,
    }
}

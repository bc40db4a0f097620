//! Pulling: the change feed from the stored cursor, page by page, each page
//! merged and applied in one transaction with the cursor that covers it; a
//! `410` lists every app again, and their connections, and so does every
//! pull of a token with no feed (a tenant admin's: `403` on the feed). Also what a plan
//! reads (every page, applied in a transaction that is rolled back).

use std::collections::{BTreeMap, BTreeSet};

use appdesk_core::Store;
use appdesk_core::store::{Page, PortalApp, Pulled, Theirs};

use crate::client::{Client, Feed, PAGE};
use crate::error::{Error, Result};
use crate::feed_bounds::FeedBounds;
use crate::report::{Progress, Report, ReportItem};
use crate::wire::{Change, HistoryRecord, RemoteApp};

/// Apps applied per transaction in a full listing.
const CHUNK: usize = 500;
/// Requests to the portal at once when reading many apps (histories, connection lists).
const WORKERS: usize = 4;

/// Pulls everything new into `store`, from the stored cursor.
pub fn pull(
    store: &Store,
    client: &Client,
    report: &mut Report,
    progress: &mut dyn FnMut(Progress),
) -> Result<()> {
    let remote = client.remote();
    let mut listed = false;
    let mut bounds = FeedBounds::new();
    loop {
        let cursor = store.sync_link(Some(remote))?.cursor;
        let page = match client.changes(cursor.as_deref())? {
            // A tenant admin's token has no feed: its few apps are listed
            // whole on every pull, with the same code as after a 410.
            Feed::NoFeed => {
                apply_listing(store, client, report, progress)?;
                return Ok(());
            }
            Feed::Gone if !listed => {
                listed = true;
                apply_listing(store, client, report, progress)?;
                continue;
            }
            Feed::Gone => return Err(gone_twice(client)),
            Feed::Page(page) => page,
        };
        bounds.check(client, cursor.as_deref(), &page)?;
        let full = page.changes.len() >= PAGE as usize;
        let connections = crate::connections::changed_apps(&page.changes);
        let theirs = collect(store, client, page.changes)?;
        let theirs = crate::quarantine::admit(store, remote, theirs)?;
        // Everything the page implies is read first, then stored in one
        // transaction with the cursor: a failure leaves the cursor here.
        let lists = crate::connections::fetch(client, &connections)?;
        let applied = Page {
            theirs: &theirs,
            connections: &lists,
            cursor: Some(&page.next),
        };
        let pulled = store.sync_apply_page(remote, &applied)?;
        note(report, pulled, progress);
        if !full || cursor.as_deref() == Some(page.next.as_str()) {
            return Ok(());
        }
    }
}

/// Applies the portal's whole listing (after a 410, or on every pull of a
/// token with no feed): the admitted apps in chunks, then every listed app's
/// connections read again (the feed's connection changes are not followed)
/// and stored in one transaction with the listing's cursor.
fn apply_listing(
    store: &Store,
    client: &Client,
    report: &mut Report,
    progress: &mut dyn FnMut(Progress),
) -> Result<()> {
    let remote = client.remote();
    let (theirs, cursor) = listing(store, client)?;
    let theirs = crate::quarantine::admit(store, remote, theirs)?;
    for chunk in theirs.chunks(CHUNK) {
        let pulled = store.sync_apply(remote, chunk, None)?;
        note(report, pulled, progress);
    }
    // The feed's connection changes before the cursor are gone with it:
    // every app's list is read again, a deleted one's too (none there; a copy
    // a delete-against-edit conflict keeps here lists none), and the cursor
    // moves with the last of them stored.
    let apps = theirs.iter().map(|t| t.app_id.clone()).collect();
    let lists = crate::connections::fetch(client, &apps)?;
    let page = Page {
        connections: &lists,
        cursor: Some(&cursor),
        ..Page::default()
    };
    store.sync_apply_page(remote, &page)?;
    Ok(())
}

/// Reads every page (or the listing) and computes, without writing, what a
/// pull would apply; returns the cursor it would end at.
pub fn read_all(store: &Store, client: &Client) -> Result<(Vec<Theirs>, Option<String>)> {
    let mut cursor = store.sync_link(Some(client.remote()))?.cursor;
    let mut all: Vec<Theirs> = Vec::new();
    let mut bounds = FeedBounds::new();
    loop {
        let page = match client.changes(cursor.as_deref())? {
            Feed::Gone => {
                let (theirs, at) = listing(store, client)?;
                if cursor.as_deref() == Some(at.as_str()) {
                    return Err(gone_twice(client));
                }
                all = theirs;
                cursor = Some(at);
                continue;
            }
            Feed::NoFeed => {
                let (theirs, at) = listing(store, client)?;
                return Ok((theirs, Some(at)));
            }
            Feed::Page(page) => page,
        };
        bounds.check(client, cursor.as_deref(), &page)?;
        let full = page.changes.len() >= PAGE as usize;
        all.extend(collect(store, client, page.changes)?);
        let same = cursor.as_deref() == Some(page.next.as_str());
        cursor = Some(page.next);
        if !full || same {
            // One entry per app, the latest, in feed order.
            let mut last: BTreeMap<String, usize> = BTreeMap::new();
            for (i, t) in all.iter().enumerate() {
                last.insert(t.app_id.clone(), i);
            }
            let keep: BTreeSet<usize> = last.into_values().collect();
            let all = all
                .into_iter()
                .enumerate()
                .filter(|(i, _)| keep.contains(i))
                .map(|(_, t)| t)
                .collect();
            return Ok((all, cursor));
        }
    }
}

/// The app as the portal has it now (after a `412` or `404`), merged in.
pub fn refresh(store: &Store, client: &Client, app_id: &str) -> Result<()> {
    let theirs = match client.app(app_id)? {
        Some(app) => with_histories(store, client, vec![app])?,
        None => vec![Theirs {
            app_id: app_id.to_owned(),
            app: None,
            mutation: None,
        }],
    };
    let theirs = crate::quarantine::admit(store, client.remote(), theirs)?;
    store.sync_apply(client.remote(), &theirs, None)?;
    Ok(())
}

/// A page's changes, one per app (the latest), with the histories needed.
fn collect(store: &Store, client: &Client, changes: Vec<Change>) -> Result<Vec<Theirs>> {
    let mut order: Vec<String> = Vec::new();
    let mut latest: BTreeMap<String, Option<RemoteApp>> = BTreeMap::new();
    // The versions the page's entries made, per app, oldest first.
    let mut made: BTreeMap<String, Vec<HistoryRecord>> = BTreeMap::new();
    // This client's last mutation in the page's entries, per app: an entry
    // it wrote may be followed by others' in the same page.
    let mut mutations: BTreeMap<String, i64> = BTreeMap::new();
    let mut mine = |id: &str, m: Option<i64>| {
        if let Some(m) = m {
            let last = mutations.entry(id.to_owned()).or_default();
            *last = (*last).max(m);
        }
    };
    for change in changes {
        let (id, app) = match change {
            Change::App(entry) => {
                if entry.app.id != entry.app_id {
                    let why = format!(
                        "an app change for {} carries the app {}",
                        entry.app_id, entry.app.id
                    );
                    return Err(bad_answer(client, &why));
                }
                let mut app = entry.app;
                let versions = std::mem::take(&mut app.versions);
                made.entry(app.id.clone()).or_default().extend(versions);
                mine(&app.id, app.mutation_id);
                (app.id.clone(), Some(app))
            }
            Change::Deleted(tombstone) => {
                mine(&tombstone.app_id, tombstone.mutation_id);
                (tombstone.app_id, None)
            }
            Change::Connection(_) => continue,
        };
        if !latest.contains_key(&id) {
            order.push(id.clone());
        }
        latest.insert(id, app);
    }
    let apps: Vec<RemoteApp> = latest
        .values()
        .flatten()
        .cloned()
        .map(|mut app| {
            app.versions = made.remove(&app.id).unwrap_or_default();
            app
        })
        .collect();
    let mut with: BTreeMap<String, Theirs> = with_histories(store, client, apps)?
        .into_iter()
        .map(|t| (t.app_id.clone(), t))
        .collect();
    Ok(order
        .into_iter()
        .filter_map(|id| {
            let mutation = mutations.get(&id).copied();
            let theirs = match latest.get(&id) {
                Some(None) => Some(Theirs {
                    app_id: id,
                    app: None,
                    mutation: None,
                }),
                // An app gone by the time its history was read: its deletion
                // follows in the feed.
                _ => with.remove(&id),
            };
            theirs.map(|t| Theirs { mutation, ..t })
        })
        .collect())
}

/// Every app of the portal (`GET /v1/apps`), plus a deletion for each app
/// synced before that the listing no longer has; and the listing's cursor.
fn listing(store: &Store, client: &Client) -> Result<(Vec<Theirs>, String)> {
    let list = client.list_apps()?;
    let listed: BTreeSet<String> = list.items.iter().map(|a| a.id.clone()).collect();
    let mut theirs = with_histories(store, client, list.items)?;
    for id in store.sync_known_apps(client.remote())? {
        if !listed.contains(&id) {
            theirs.push(Theirs {
                app_id: id,
                app: None,
                mutation: None,
            });
        }
    }
    Ok((theirs, list.cursor))
}

/// The apps as [`Theirs`], each with its version history where this
/// database lacks it (fetched by a few workers at once). An app whose
/// history is gone (deleted meanwhile) is left out.
fn with_histories(store: &Store, client: &Client, apps: Vec<RemoteApp>) -> Result<Vec<Theirs>> {
    let keys: Vec<(&str, i64, i64)> = apps
        .iter()
        .map(|a| (a.id.as_str(), a.revision, a.version.unwrap_or(0)))
        .collect();
    let mut histories = BTreeMap::new();
    let mut wanted: Vec<String> = Vec::new();
    let by_id: BTreeMap<&str, &RemoteApp> = apps.iter().map(|a| (a.id.as_str(), a)).collect();
    for (id, known) in store.sync_wants_history(client.remote(), &keys)? {
        // The feed carried the versions made since the last one held here:
        // no request needed.
        let app = by_id.get(id.as_str());
        let carried = app.and_then(|a| following(&a.versions, known, a.version.unwrap_or(0)));
        match carried {
            Some(h) => {
                histories.insert(id, Some(h));
            }
            None => wanted.push(id),
        }
    }
    histories.extend(fetch_all(&wanted, |id| client.versions(id))?);
    let mut out = Vec::with_capacity(apps.len());
    for app in apps {
        let version = app.version.unwrap_or(0);
        let history = match histories.remove(&app.id) {
            None => None,
            Some(None) => continue,
            Some(Some(h)) => Some(
                // Versions never change: a history read later than the
                // snapshot is cut back to it.
                h.into_iter()
                    .filter(|v| v.version <= version)
                    .map(Into::into)
                    .collect(),
            ),
        };
        out.push(Theirs {
            app_id: app.id.clone(),
            mutation: app.mutation_id,
            app: Some(PortalApp {
                snapshot: app.snapshot(),
                revision: app.revision,
                version,
                created_at: app.created_at.clone(),
                history,
            }),
        });
    }
    Ok(out)
}

/// `fetch` of each of `ids`, by a few workers at once (a request each).
pub(crate) fn fetch_all<T: Send>(
    ids: &[String],
    fetch: impl Fn(&str) -> Result<T> + Sync,
) -> Result<Vec<(String, T)>> {
    let chunk = ids.len().div_ceil(WORKERS).max(1);
    let fetch = &fetch;
    let fetched: Vec<Result<Vec<_>>> = std::thread::scope(|scope| {
        let workers: Vec<_> = ids
            .chunks(chunk)
            .map(|ids| {
                scope.spawn(move || {
                    ids.iter()
                        .map(|id| Ok((id.clone(), fetch(id)?)))
                        .collect::<Result<Vec<_>>>()
                })
            })
            .collect();
        workers
            .into_iter()
            .map(|w| w.join().unwrap_or_else(|_| Err(worker_died())))
            .collect()
    });
    let mut out = Vec::with_capacity(ids.len());
    for part in fetched {
        out.extend(part?);
    }
    Ok(out)
}

/// The versions after `known` up to `version` out of `made`, if it holds
/// each of them.
fn following(
    made: &[HistoryRecord],
    known: Option<i64>,
    version: i64,
) -> Option<Vec<HistoryRecord>> {
    let from = known.unwrap_or(0) + 1;
    let mut out: Vec<HistoryRecord> = Vec::new();
    for v in from..=version {
        out.push(made.iter().find(|h| h.version == v)?.clone());
    }
    Some(out)
}

fn note(report: &mut Report, pulled: Vec<Pulled>, progress: &mut dyn FnMut(Progress)) {
    for p in pulled {
        report.pulled += 1;
        report.pulls.push(ReportItem {
            app: p.app,
            app_name: p.app_name,
            what: p.what.to_owned(),
        });
    }
    progress(Progress::Pulling {
        apps: report.pulled,
    });
}

fn bad_answer(client: &Client, why: &str) -> Error {
    Error::Remote {
        code: appdesk_core::ErrorCode::RemoteFailed,
        message: format!(
            "the portal of remote {} sent a change this client cannot read ({why}); {}",
            client.remote(),
            crate::error::NOTHING_LOST
        ),
    }
}

fn gone_twice(client: &Client) -> Error {
    bad_answer(client, "its feed refused the cursor of its own listing")
}

fn worker_died() -> Error {
    Error::Remote {
        code: appdesk_core::ErrorCode::Internal,
        message: "a worker reading from the portal stopped".to_owned(),
    }
}

//! The connection lifecycle of issue 12 in the window: the ledger of
//! connections behind with its upgrade requests and its export, the upgrade
//! notes, and secret rotation with overlap. Each command calls the same core
//! functions as `appdesk behind`, `upgrade-request`, `notes` and `conn
//! rotate`/`retire-previous`; the words ("requested 3 days ago", the notes)
//! and the report's columns are the core's.

use appdesk_core::decide::{BehindEntry, RequestMark, RequestTarget, UpgradeRequest};
use appdesk_core::report::{self, ReportFormat};
use appdesk_core::{ConnectionOutcome, Environment, Store, exchange};
use appdesk_sync::client::ConnectionAction as Action;
use appdesk_sync::connections::perform;
use serde::{Deserialize, Serialize};
use tauri::State;

use super::Reply;
use crate::dialogs::{self, Dialog};
use crate::state::Shared;

/// One line of the ledger as the window shows it: the entry (the fields of
/// `appdesk behind --json`, its request included), how long it has been
/// behind, and the request in words.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct BehindRow {
    #[serde(flatten)]
    pub entry: BehindEntry,
    pub days_behind: i64,
    /// "requested 3 days ago", or that the request went stale; none if never asked.
    pub request_text: Option<String>,
}

/// Which connections the ledger lists: all, or of one app, one tenant, and
/// behind for at least so many days.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct LedgerFilter {
    pub app: Option<String>,
    pub tenant: Option<String>,
    pub min_days: Option<i64>,
}

/// One connection to ask to upgrade.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct UpgradeTarget {
    pub app: String,
    pub tenant: String,
    pub env: Environment,
}

/// Upgrade notes in the two forms the window offers to copy.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct NotesText {
    pub from: i64,
    pub to: i64,
    pub summary: String,
    pub text: String,
    pub markdown: String,
}

fn ledger(s: &Store, f: &LedgerFilter) -> appdesk_core::Result<Vec<BehindEntry>> {
    let entries = s.behind(f.app.as_deref(), f.tenant.as_deref())?;
    Ok(report::behind_at_least(entries, f.min_days))
}

#[tauri::command]
pub async fn behind(state: State<'_, Shared>, filter: LedgerFilter) -> Reply<Vec<BehindRow>> {
    let entries = state.run(move |s| ledger(s, &filter)).await?;
    Ok(entries
        .into_iter()
        .map(|entry| BehindRow {
            days_behind: entry.days_behind,
            request_text: entry.request.as_ref().map(RequestMark::describe),
            entry,
        })
        .collect())
}

/// Asks each target's tenant to upgrade to its app's latest version; each
/// request carries its notes. Returns the requests made.
#[tauri::command]
pub async fn request_upgrades(
    state: State<'_, Shared>,
    targets: Vec<UpgradeTarget>,
) -> Reply<Vec<UpgradeRequest>> {
    state
        .run(move |s| {
            let mut made = Vec::new();
            for t in &targets {
                made.extend(
                    s.request_upgrade(&t.app, RequestTarget::Tenant(&t.tenant, Some(t.env)))?,
                );
            }
            Ok(made)
        })
        .await
}

/// The notes for an upgrade of `app` from version `from` to `to` (by default
/// from the oldest version a connection is on, to the latest).
#[tauri::command]
pub async fn upgrade_notes(
    state: State<'_, Shared>,
    app: String,
    from: Option<i64>,
    to: Option<i64>,
) -> Reply<NotesText> {
    let notes = state.run(move |s| s.notes(&app, from, to)).await?;
    Ok(NotesText {
        from: notes.from,
        to: notes.to,
        summary: notes.summary(),
        text: notes.text(),
        markdown: notes.markdown(),
    })
}

/// A new secret, shown once; the current one stays valid until retired.
#[tauri::command]
pub async fn rotate_secret(
    state: State<'_, Shared>,
    app: String,
    tenant: String,
    env: Environment,
) -> Reply<ConnectionOutcome> {
    state
        .run_body(move |s| perform(s, &app, &tenant, env, Action::Rotate).map_err(|e| e.body()))
        .await
}

/// Ends the previous secret of a rotation.
#[tauri::command]
pub async fn retire_previous_secret(
    state: State<'_, Shared>,
    app: String,
    tenant: String,
    env: Environment,
) -> Reply<ConnectionOutcome> {
    state
        .run_body(move |s| {
            perform(s, &app, &tenant, env, Action::RetirePrevious).map_err(|e| e.body())
        })
        .await
}

/// Opens the save dialog for the ledger's report; the chosen path, or none.
#[tauri::command]
pub async fn choose_report_path(format: ReportFormat) -> Reply<Option<String>> {
    let name = format!("connections-behind.{}", format.extension());
    let paths = dialogs::ask(Dialog::SaveReport { name, format }).await;
    Ok(paths.first().map(|p| p.display().to_string()))
}

/// Writes the ledger (as `filter` lists it) to `path`; returns the path written.
#[tauri::command]
pub async fn export_behind(
    state: State<'_, Shared>,
    filter: LedgerFilter,
    path: String,
    format: ReportFormat,
) -> Reply<String> {
    state
        .run(move |s| {
            let text = report::behind_report(&ledger(s, &filter)?, format);
            exchange::write_text(path.as_ref(), &text).map(|p| p.display().to_string())
        })
        .await
}

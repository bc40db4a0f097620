//! Checking for, downloading and installing updates, for the Settings screen.
//!
//! The updater plugin does the HTTP, reads `latest.json` and verifies the minisign
//! signature; the core says which endpoints are acceptable (https, or http on
//! loopback) and keeps the "check at start-up" setting; [`crate::install`] says
//! whether this install can replace itself and, if not, what to run instead.
//! Every outcome the user should read (offline, refused, nothing new) is a value,
//! not an error, so the window can say it quietly; nothing here blocks the UI.

use std::sync::Mutex;
use std::time::Duration;

use appdesk_core::updates::{UPDATE_URL_VAR, update_endpoint};
use serde::Serialize;
use tauri::ipc::Channel;
use tauri::{AppHandle, Runtime, State};
use tauri_plugin_updater::{Error as UpdaterError, Update, UpdaterExt};

use super::Reply;
use crate::install::{self, InstallRoute};
use crate::state::Shared;

/// What the Updates part of Settings shows before any check.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct UpdateSettings {
    pub version: String,
    pub check_at_start: bool,
    /// The endpoint in use (`APPDESK_UPDATE_URL` or the config's), or why none.
    pub endpoint: Option<String>,
    /// The last check's outcome (the start-up check's, say), if any.
    pub last: Option<UpdateCheck>,
}

/// The outcome of a check.
#[derive(Debug, Clone, Serialize)]
#[serde(tag = "status", rename_all = "camelCase")]
#[cfg_attr(test, derive(ts_rs::TS))]
pub enum UpdateCheck {
    UpToDate {
        current: String,
    },
    #[serde(rename_all = "camelCase")]
    Available {
        current: String,
        version: String,
        /// RFC 3339, as `latest.json` gave it.
        date: Option<String>,
        notes: Option<String>,
        install: InstallRoute,
    },
    /// Offline, the server unreachable or too slow: said quietly.
    Unreachable {
        message: String,
    },
    /// The server answered something this install cannot use.
    Refused {
        message: String,
    },
}

/// A download's progress, sent while it runs.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct DownloadProgress {
    pub received: u64,
    pub total: Option<u64>,
}

/// The outcome of "Download and install".
#[derive(Debug, Clone, Serialize)]
#[serde(tag = "status", rename_all = "camelCase")]
#[cfg_attr(test, derive(ts_rs::TS))]
pub enum InstallOutcome {
    /// Installed and verified: restart to run it.
    Installed { version: String },
    /// Nothing was installed; the installed version is unchanged.
    Failed { message: String },
}

/// The update found by the last check, waiting for "Download and install",
/// and the window's channel that hears each check's outcome (the start-up
/// check's, so that the header can say an update is available).
#[derive(Default)]
pub struct Pending {
    update: Mutex<Option<Update>>,
    last: Mutex<Option<UpdateCheck>>,
    watcher: Mutex<Option<Channel<UpdateCheck>>>,
}

impl Pending {
    fn remember(&self, outcome: &UpdateCheck) {
        *self.last.lock().unwrap_or_else(|e| e.into_inner()) = Some(outcome.clone());
        let watcher = self.watcher.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(channel) = watcher.as_ref() {
            // A window that went away cannot be told; nothing else to do.
            let _ = channel.send(outcome.clone());
        }
    }

    /// Hands each later outcome to `channel`, and the last one at once, if
    /// any (a check that ended before the window asked is not missed: the
    /// watcher's lock is held while the last outcome is read).
    fn watch(&self, channel: Channel<UpdateCheck>) {
        let mut watcher = self.watcher.lock().unwrap_or_else(|e| e.into_inner());
        let last = self.last.lock().unwrap_or_else(|e| e.into_inner()).clone();
        if let Some(outcome) = last {
            let _ = channel.send(outcome);
        }
        *watcher = Some(channel);
    }
}

fn timeouts() -> (Duration, Duration) {
    // TEST ONLY override, so that the stalling-server test takes seconds.
    let secs = std::env::var("APPDESK_UPDATE_TIMEOUT_SECS")
        .ok()
        .and_then(|s| s.trim().parse::<u64>().ok())
        .filter(|s| *s > 0);
    match secs {
        Some(s) => (Duration::from_secs(s), Duration::from_secs(s)),
        None => (Duration::from_secs(20), Duration::from_secs(600)),
    }
}

/// The endpoints to ask: `APPDESK_UPDATE_URL`, else the config's, each checked
/// by the core's rule.
fn endpoints<R: Runtime>(app: &AppHandle<R>) -> Result<Vec<url::Url>, String> {
    if let Some(raw) = std::env::var(UPDATE_URL_VAR)
        .ok()
        .filter(|v| !v.trim().is_empty())
    {
        return update_endpoint(&raw, UPDATE_URL_VAR)
            .map(|u| vec![u])
            .map_err(|e| e.to_string());
    }
    let config = app.config().plugins.0.get("updater");
    let listed = config
        .and_then(|c| c.get("endpoints"))
        .and_then(|e| e.as_array())
        .ok_or("this build has no update endpoint configured")?;
    listed
        .iter()
        .map(|v| {
            let raw = v.as_str().unwrap_or_default();
            update_endpoint(raw, "plugins.updater.endpoints").map_err(|e| e.to_string())
        })
        .collect()
}

#[tauri::command]
pub async fn update_settings<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, Shared>,
    pending: State<'_, Pending>,
) -> Reply<UpdateSettings> {
    let check_at_start = state.run(|s| s.check_updates_at_start()).await?;
    Ok(UpdateSettings {
        version: app.package_info().version.to_string(),
        check_at_start,
        endpoint: endpoints(&app).ok().map(|e| e[0].to_string()),
        last: pending.last.lock().ok().and_then(|l| l.clone()),
    })
}

#[tauri::command]
pub async fn set_update_check_at_start(state: State<'_, Shared>, on: bool) -> Reply<bool> {
    state.run(move |s| s.set_check_updates_at_start(on)).await
}

#[tauri::command]
pub async fn check_for_update<R: Runtime>(
    app: AppHandle<R>,
    pending: State<'_, Pending>,
) -> Reply<UpdateCheck> {
    Ok(check(&app, &pending).await)
}

/// Checks once and remembers the outcome (and the update, if any).
pub async fn check<R: Runtime>(app: &AppHandle<R>, pending: &Pending) -> UpdateCheck {
    let outcome = match find(app).await {
        Ok((outcome, update)) => {
            *pending.update.lock().unwrap_or_else(|e| e.into_inner()) = update;
            outcome
        }
        Err(outcome) => outcome,
    };
    pending.remember(&outcome);
    outcome
}

/// The window hears each check's outcome on `events`, starting with the last
/// one (the start-up check's, typically).
#[tauri::command]
pub fn watch_updates(pending: State<'_, Pending>, events: Channel<UpdateCheck>) {
    pending.watch(events);
}

async fn find<R: Runtime>(
    app: &AppHandle<R>,
) -> Result<(UpdateCheck, Option<Update>), UpdateCheck> {
    let current = app.package_info().version.to_string();
    let refused = |message: String| UpdateCheck::Refused { message };
    if !app.config().plugins.0.contains_key("updater") {
        // The plugin is not registered (the e2e test overlay): asking it would panic.
        return Err(refused("this build has no updater".to_owned()));
    }
    let endpoints = endpoints(app).map_err(refused)?;
    let (check_timeout, _) = timeouts();
    let updater = app
        .updater_builder()
        .endpoints(endpoints)
        .and_then(|b| b.timeout(check_timeout).build())
        .map_err(|e| refused(format!("the updater cannot start: {e}")))?;
    match updater.check().await {
        Ok(None) => Ok((UpdateCheck::UpToDate { current }, None)),
        Ok(Some(update)) => {
            update_endpoint(update.download_url.as_str(), "latest.json url")
                .map_err(|e| refused(e.to_string()))?;
            let outcome = UpdateCheck::Available {
                current,
                version: update.version.clone(),
                date: update.raw_json["pub_date"].as_str().map(str::to_owned),
                notes: update.body.clone(),
                install: install::route(&app.config().identifier, update.download_url.as_str()),
            };
            Ok((outcome, Some(update)))
        }
        Err(e) => Err(check_failure(&e, check_timeout)),
    }
}

/// Says what went wrong with a check in the user's words.
fn check_failure(e: &UpdaterError, timeout: Duration) -> UpdateCheck {
    let unreachable = |message: String| UpdateCheck::Unreachable { message };
    match e {
        UpdaterError::Reqwest(r) if r.is_timeout() => unreachable(format!(
            "The update server did not answer within {} s; try again later.",
            timeout.as_secs()
        )),
        UpdaterError::Reqwest(r) if r.is_connect() => unreachable(
            "Could not reach the update server (offline, or the server is down).".to_owned(),
        ),
        UpdaterError::Reqwest(r) => unreachable(format!("The update check failed: {r}")),
        UpdaterError::ReleaseNotFound => unreachable(
            "The update server answered with an error (no release manifest); try again later."
                .to_owned(),
        ),
        UpdaterError::TargetsNotFound(keys) => UpdateCheck::Refused {
            message: format!(
                "The new release has no package for this kind of install (looked for {}).",
                keys.join(", ")
            ),
        },
        other => UpdateCheck::Refused {
            message: format!("The update server's answer cannot be used: {other}"),
        },
    }
}

#[tauri::command]
pub async fn install_update(
    pending: State<'_, Pending>,
    progress: Channel<DownloadProgress>,
) -> Reply<InstallOutcome> {
    let Some(mut update) = pending
        .update
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .clone()
    else {
        return Ok(InstallOutcome::Failed {
            message: "No update is waiting: check for updates first.".to_owned(),
        });
    };
    update.timeout = Some(timeouts().1);
    let mut received = 0u64;
    let mut sent_at = 0u64;
    let bytes = update
        .download(
            |chunk, total| {
                received += chunk as u64;
                // About a hundred events for the whole download, not one per chunk.
                let step = total.map_or(64 * 1024, |t| (t / 100).max(1));
                if received - sent_at >= step || total == Some(received) {
                    sent_at = received;
                    let _ = progress.send(DownloadProgress { received, total });
                }
            },
            || {},
        )
        .await;
    let outcome = match bytes {
        Err(e) => InstallOutcome::Failed {
            message: download_failure(&e),
        },
        Ok(bytes) => {
            let version = update.version.clone();
            match tauri::async_runtime::spawn_blocking(move || install::install(&update, &bytes))
                .await
            {
                Ok(Ok(())) => InstallOutcome::Installed { version },
                Ok(Err(message)) => InstallOutcome::Failed { message },
                Err(e) => InstallOutcome::Failed {
                    message: format!("the install task failed: {e}"),
                },
            }
        }
    };
    Ok(outcome)
}

fn download_failure(e: &UpdaterError) -> String {
    let nothing = "Nothing was installed.";
    match e {
        UpdaterError::Minisign(_) | UpdaterError::Base64(_) | UpdaterError::SignatureUtf8(_) => {
            format!(
                "The download failed its signature check: it was changed after signing or \
                 signed with another key than Appdesk's. {nothing}"
            )
        }
        // `requireSignedVersion`: the signature names the version it was made
        // for, so an old signed release cannot be offered as a new one.
        UpdaterError::SignedVersionMismatch { signed, announced } => format!(
            "The download's signature is for version {signed}, but the server offered it as \
             {announced}: an older release passed off as a newer one. {nothing}"
        ),
        UpdaterError::MissingSignedVersion => format!(
            "The download's signature does not name the version it was signed for, which \
             Appdesk requires. {nothing}"
        ),
        UpdaterError::Reqwest(r) if r.is_timeout() => {
            format!("The download stalled and timed out. {nothing}")
        }
        UpdaterError::Network(m) => format!("The download failed: {m}. {nothing}"),
        other => format!("The download failed: {other}. {nothing}"),
    }
}

#[tauri::command]
pub fn restart_app<R: Runtime>(app: AppHandle<R>) {
    app.restart();
}

/// The start-up check, when the setting is on: in the background, its outcome
/// kept for the Settings screen. Never blocks the window, never fails it.
pub fn check_at_start<R: Runtime>(app: &AppHandle<R>) {
    use tauri::Manager;
    let app = app.clone();
    tauri::async_runtime::spawn(async move {
        let shared = app.state::<Shared>();
        if !matches!(shared.run(|s| s.check_updates_at_start()).await, Ok(true)) {
            return;
        }
        let pending = app.state::<Pending>();
        check(&app, &pending).await;
    });
}

#[cfg(test)]
mod tests {
    use std::sync::{Arc, Mutex};

    use tauri::ipc::{Channel, InvokeResponseBody};

    use super::{Pending, UpdateCheck};

    /// A channel that keeps the JSON of what it is sent.
    fn recorder() -> (Channel<UpdateCheck>, Arc<Mutex<Vec<String>>>) {
        let heard = Arc::new(Mutex::new(Vec::new()));
        let sink = heard.clone();
        let channel = Channel::new(move |body| {
            if let InvokeResponseBody::Json(json) = body {
                sink.lock().unwrap().push(json);
            }
            Ok(())
        });
        (channel, heard)
    }

    fn up_to_date(v: &str) -> UpdateCheck {
        UpdateCheck::UpToDate { current: v.into() }
    }

    #[test]
    fn a_window_hears_the_check_that_ended_before_it_watched_and_each_later_one() {
        let pending = Pending::default();
        pending.remember(&up_to_date("1.0.0"));
        let (channel, heard) = recorder();
        pending.watch(channel);
        pending.remember(&up_to_date("1.0.1"));
        let heard = heard.lock().unwrap().clone();
        assert_eq!(heard.len(), 2, "{heard:?}");
        assert!(heard[0].contains("\"1.0.0\"") && heard[1].contains("\"1.0.1\""));
    }

    #[test]
    fn a_window_that_watches_before_any_check_hears_nothing_until_one_ends() {
        let pending = Pending::default();
        let (channel, heard) = recorder();
        pending.watch(channel);
        assert!(heard.lock().unwrap().is_empty());
        pending.remember(&up_to_date("2.0.0"));
        assert_eq!(heard.lock().unwrap().len(), 1);
    }
}

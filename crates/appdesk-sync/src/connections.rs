//! Connections of a linked database (issue 10 §5): the portal's. A pull
//! refreshes the list of every app the feed names in a `connection` change
//! (a connection made, changed or ended);
//! an action (`appdesk conn upgrade …` on a linked app, rotate and
//! retire-previous included) goes to the portal's tenant-admin endpoint with
//! its own idempotency key, and the answer is recorded read-only. A secret the
//! portal shows once (connect, regenerate, rotate) is returned to the caller
//! to print, never stored; the previous secret of a rotation stays on the
//! portal, which decides both actions by the core's rotation rules.
//!
//! Which actions are the portal's, and that nothing local may make one, is
//! the core's (`Store::portal_target`, the store's refusal); here only the
//! request and the reading of its answer.

use std::collections::BTreeSet;

use appdesk_core::sync::PulledConnection;
use appdesk_core::{ConnectionOutcome, Environment, ErrorCode, Store};
use appdesk_protocol::Change;

use crate::client::{ActionAnswer, Client, ConnectionAction};
use crate::error::{Error, Result};

/// The apps whose connections a page of the feed says changed.
pub(crate) fn changed_apps(changes: &[Change]) -> BTreeSet<String> {
    changes
        .iter()
        .filter(|c| matches!(c, Change::Connection(_)))
        .map(|c| c.app_id().to_owned())
        .collect()
}

/// The portal's list of connections of each app in `apps` (read by a few
/// workers at once), to store with the page that named them. A connection
/// that ended on the portal (the feed's `connection` entry with status
/// `ended`: its tenant removed, or its app deleted) is not in that list, so it
/// goes. An app the portal no longer has has no connections there: a copy
/// kept here (a delete-against-edit conflict keeps the app) lists none.
pub(crate) fn fetch(
    client: &Client,
    apps: &BTreeSet<String>,
) -> Result<Vec<(String, Vec<PulledConnection>)>> {
    let ids: Vec<String> = apps.iter().cloned().collect();
    let lists = crate::pull::fetch_all(&ids, |id| client.connections(id))?;
    Ok(lists
        .into_iter()
        .map(|(id, list)| (id, list.unwrap_or_default()))
        .collect())
}

/// Sends a tenant admin's action on a linked app's connection to the portal,
/// records the connection it answers with, and returns it with the new
/// secret (connect, regenerate, rotate) to show once.
pub fn act(
    store: &Store,
    app: &str,
    tenant: &str,
    env: Environment,
    action: ConnectionAction,
) -> Result<ConnectionOutcome> {
    let tenant = appdesk_core::decide::tenant_id(tenant)?;
    let target = store.portal_target(app)?;
    let link = store.sync_link(Some(&target.remote))?;
    let client = Client::new(&link.name, &link.url, store.remote_token(&link.name)?)?;
    let key = uuid::Uuid::now_v7().to_string();
    let answer = client.connection_action(
        &target.app_id,
        (&tenant, env),
        action,
        &key,
        target.revision,
    )?;
    let refused = |code: ErrorCode, message: String| Error::Remote { code, message };
    let remote = &target.remote;
    match answer {
        ActionAnswer::Done {
            connection,
            secret,
            revision,
        } => {
            store.record_portal_connection(&target, revision, &connection)?;
            let mut connection = connection.into_view();
            connection.client_secret = secret;
            Ok(ConnectionOutcome {
                connection,
                changed: true,
            })
        }
        ActionAnswer::Forbidden => Err(refused(
            ErrorCode::NotAllowed,
            format!(
                "connections of a linked app are the tenant admin's, on the portal {remote:?}; \
                 this token is not an admin of tenant {tenant}: nothing changed"
            ),
        )),
        ActionAnswer::Stale => Err(refused(
            ErrorCode::PreconditionFailed,
            format!(
                "the app changed on the portal {remote:?} since the last sync: run appdesk \
                 sync, then try again; nothing changed"
            ),
        )),
        ActionAnswer::Missing => Err(refused(
            ErrorCode::NotFound,
            format!(
                "the portal {remote:?} does not have this app (deleted there?): run appdesk \
                 sync; nothing changed"
            ),
        )),
        // A code this build does not know (a newer portal's) is reported
        // as the refusal it is: a conflict with the portal's state.
        ActionAnswer::Refused { code, message } => Err(refused(
            code.known().unwrap_or(ErrorCode::Conflict),
            format!(
                "the portal {remote:?} refused the {}: {message}",
                action.as_str()
            ),
        )),
    }
}

/// An action on a connection wherever it lives: on the portal in a linked
/// database ([`act`]), else in the local store. For the window, whose
/// commands serve both.
pub fn perform(
    store: &Store,
    app: &str,
    tenant: &str,
    env: Environment,
    action: ConnectionAction,
) -> Result<ConnectionOutcome> {
    if store.linked_remote()?.is_some() {
        return act(store, app, tenant, env, action);
    }
    Ok(match action {
        ConnectionAction::Connect => ConnectionOutcome {
            connection: store.connect(app, tenant, env)?,
            changed: true,
        },
        ConnectionAction::Upgrade => store.upgrade(app, tenant, env)?,
        ConnectionAction::Disable => store.disable(app, tenant, env)?,
        ConnectionAction::Enable => store.enable(app, tenant, env)?,
        ConnectionAction::Regenerate => store.regenerate_secret(app, tenant, env)?,
        ConnectionAction::Rotate => store.rotate_secret(app, tenant, env)?,
        ConnectionAction::RetirePrevious => store.retire_previous_secret(app, tenant, env)?,
    })
}

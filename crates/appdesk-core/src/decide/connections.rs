//! A tenant admin's connection actions (R8): connect, upgrade, disable, enable,
//! regenerate the secret.
//!
//! Must not go in here: sealing or opening secrets (storage does, with its
//! key), reading the scope sets a view shows (the caller passes them to
//! [`upgrade_notice`]), or any write.

use super::{
    Action, AppState, Change, ClientSecret, ConnectionState, ConnectionWrite, NewConnection, Stamp,
    new_id,
};
use crate::error::{Error, Result};
use crate::model::{ConnectionStatus, Environment};
use crate::scope::{ScopeDiff, ScopeSet};
use crate::secrets;
use crate::validate;

/// A tenant id as a connection request names it (R7); problems name `tenant`.
pub fn tenant_id(text: &str) -> Result<String> {
    validate::tenant_id(text, "tenant").map_err(|p| Error::Invalid(vec![p]))
}

/// Connects a tenant of the app's list in `env`, at the latest version, with a
/// new client ID and secret (R8). A tenant not in the list is `not_allowed`;
/// one already connected in `env` is a conflict.
pub fn connect(app: &AppState, tenant: &str, env: Environment, stamp: &Stamp) -> Result<Change> {
    let tenant = tenant.trim();
    if !app.tenants.iter().any(|t| t.id == tenant) {
        return Err(Error::not_allowed(
            Some("tenant"),
            format!(
                "tenant {tenant} is not in {:?}'s tenant list; add it first",
                app.fields.name
            ),
        ));
    }
    if find(app, tenant, env).is_some() {
        return Err(Error::Conflict(format!(
            "tenant {tenant} is already connected to {:?} in {env}",
            app.fields.name
        )));
    }
    let new = NewConnection {
        id: new_id(),
        tenant_id: tenant.to_owned(),
        environment: env,
        version: app.version,
        status: ConnectionStatus::Active,
        client_id: secrets::new_client_id()?,
        secret: ClientSecret::generate()?,
    };
    let summary = format!(
        "tenant {tenant} connected in {env} at version {}; client ID {}",
        app.version, new.client_id
    );
    let mut out = Change::none(app, stamp);
    out.connections.push(ConnectionWrite::Insert(new));
    out.record(&app.fields.name, Action::Connect, summary);
    Ok(out)
}

/// Moves the connection to the latest version; its client ID and secret stay.
/// On the latest version already: no change.
pub fn upgrade(app: &AppState, tenant: &str, env: Environment, stamp: &Stamp) -> Result<Change> {
    let c = required(app, tenant, env)?;
    let mut out = Change::none(app, stamp);
    if c.version != app.version {
        out.connections.push(ConnectionWrite::SetVersion {
            id: c.id.clone(),
            version: app.version,
        });
        let what = format!("upgraded from version {} to {}", c.version, app.version);
        record(&mut out, app, c, Action::Upgrade, &what);
    }
    Ok(out)
}

/// Disables the connection; already disabled: no change.
pub fn disable(app: &AppState, tenant: &str, env: Environment, stamp: &Stamp) -> Result<Change> {
    set_status(app, tenant, env, ConnectionStatus::Disabled, stamp)
}

/// Enables the connection again; already active: no change.
pub fn enable(app: &AppState, tenant: &str, env: Environment, stamp: &Stamp) -> Result<Change> {
    set_status(app, tenant, env, ConnectionStatus::Active, stamp)
}

/// A new client secret; the old one stops being valid (R8).
pub fn regenerate(app: &AppState, tenant: &str, env: Environment, stamp: &Stamp) -> Result<Change> {
    let c = required(app, tenant, env)?;
    let mut out = Change::none(app, stamp);
    out.connections.push(ConnectionWrite::SetSecret {
        id: c.id.clone(),
        secret: ClientSecret::generate()?,
    });
    record(
        &mut out,
        app,
        c,
        Action::Regenerate,
        "client secret regenerated",
    );
    Ok(out)
}

/// What an upgrade would bring a connection on `version` whose scopes in play
/// are `in_play` (R8): `None` on the latest version, else the scopes it would
/// gain and lose ("upgrade available"). Every view of a connection shows this.
pub fn upgrade_notice(
    version: i64,
    in_play: &ScopeSet,
    latest_version: i64,
    latest: &ScopeSet,
) -> Option<ScopeDiff> {
    (version < latest_version).then(|| in_play.diff(latest))
}

fn set_status(
    app: &AppState,
    tenant: &str,
    env: Environment,
    to: ConnectionStatus,
    stamp: &Stamp,
) -> Result<Change> {
    let c = required(app, tenant, env)?;
    let mut out = Change::none(app, stamp);
    if c.status != to {
        out.connections.push(ConnectionWrite::SetStatus {
            id: c.id.clone(),
            status: to,
        });
        let (action, what) = match to {
            ConnectionStatus::Active => (Action::Enable, "enabled"),
            ConnectionStatus::Disabled => (Action::Disable, "disabled"),
        };
        record(&mut out, app, c, action, what);
    }
    Ok(out)
}

fn record(out: &mut Change, app: &AppState, c: &ConnectionState, action: Action, what: &str) {
    let summary = format!("tenant {} in {}: {what}", c.tenant_id, c.environment);
    out.record(&app.fields.name, action, summary);
}

fn find<'a>(app: &'a AppState, tenant: &str, env: Environment) -> Option<&'a ConnectionState> {
    let tenant = tenant.trim();
    app.connections
        .iter()
        .find(|c| c.tenant_id == tenant && c.environment == env)
}

/// The tenant's connection in `env`, or `not_allowed` naming `tenant`.
pub(crate) fn required<'a>(
    app: &'a AppState,
    tenant: &str,
    env: Environment,
) -> Result<&'a ConnectionState> {
    find(app, tenant, env).ok_or_else(|| {
        Error::not_allowed(
            Some("tenant"),
            format!("tenant {} has no connection in {env}", tenant.trim()),
        )
    })
}

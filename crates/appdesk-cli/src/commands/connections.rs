//! `appdesk conn …`: tenants' connections to an app (R8).
//!
//! A client secret reaches stdout only where the core returns one: on connect, on
//! regenerate, on rotate, and on `show --reveal`. Nothing here stores or logs it.
//!
//! In a linked database the connections are the portal's: connect, upgrade,
//! disable, enable and regenerate go to its tenant-admin endpoint
//! (`appdesk_sync::connections::act`); the core refuses every other action.

use appdesk_core::Store;
use appdesk_sync::client::ConnectionAction;

use super::{Context, Result};
use crate::cli::{ConnCommand, ConnTarget};
use crate::output;
use crate::output::connections::Action;

pub fn run(ctx: &Context, command: ConnCommand) -> Result<String> {
    match command {
        ConnCommand::Connect(target) => connect(ctx, &target),
        ConnCommand::List { app } => list(ctx, &app),
        ConnCommand::Show { target, reveal } => show(ctx, &target, reveal),
        ConnCommand::Upgrade(target) => act(ctx, &target, Action::Upgrade),
        ConnCommand::Disable(target) => act(ctx, &target, Action::Disable),
        ConnCommand::Enable(target) => act(ctx, &target, Action::Enable),
        ConnCommand::Regenerate(target) => act(ctx, &target, Action::Regenerate),
        ConnCommand::Rotate(target) => act(ctx, &target, Action::Rotate),
        ConnCommand::RetirePrevious(target) => act(ctx, &target, Action::RetirePrevious),
    }
}

/// The portal's action for `action`, when the database is linked and the
/// portal has one (rotation is refused by the core, saying why).
fn on_portal(store: &Store, action: ConnectionAction) -> Result<Option<ConnectionAction>> {
    Ok(store.linked_remote()?.map(|_| action))
}

fn connect(ctx: &Context, t: &ConnTarget) -> Result<String> {
    let store = ctx.store()?;
    if let Some(a) = on_portal(&store, ConnectionAction::Connect)? {
        let done = appdesk_sync::connections::act(&store, &t.app, &t.tenant, t.env, a)?;
        return ctx.render(&done.connection, output::connections::connected);
    }
    let connection = store.connect(&t.app, &t.tenant, t.env)?;
    ctx.render(&connection, output::connections::connected)
}

fn list(ctx: &Context, app: &str) -> Result<String> {
    let store = ctx.store()?;
    let (connections, portal) = (store.connections(app)?, store.linked_remote()?);
    ctx.render(&connections, |c| {
        output::connections::list(c, portal.as_deref())
    })
}

fn show(ctx: &Context, t: &ConnTarget, reveal: bool) -> Result<String> {
    let connection = ctx.store()?.connection(&t.app, &t.tenant, t.env, reveal)?;
    ctx.render(&connection, output::connections::connection)
}

fn act(ctx: &Context, t: &ConnTarget, action: Action) -> Result<String> {
    let store = ctx.store()?;
    let portal = match action {
        Action::Upgrade => Some(ConnectionAction::Upgrade),
        Action::Disable => Some(ConnectionAction::Disable),
        Action::Enable => Some(ConnectionAction::Enable),
        Action::Regenerate => Some(ConnectionAction::Regenerate),
        Action::Rotate | Action::RetirePrevious => None,
    };
    if let Some(a) = portal.map(|a| on_portal(&store, a)).transpose()?.flatten() {
        let o = appdesk_sync::connections::act(&store, &t.app, &t.tenant, t.env, a)?;
        return ctx.render(&o, |o| {
            output::connections::acted(action, &o.connection, o.changed)
        });
    }
    let outcome = match action {
        Action::Upgrade => store.upgrade(&t.app, &t.tenant, t.env)?,
        Action::Disable => store.disable(&t.app, &t.tenant, t.env)?,
        Action::Enable => store.enable(&t.app, &t.tenant, t.env)?,
        Action::Regenerate => store.regenerate_secret(&t.app, &t.tenant, t.env)?,
        Action::Rotate => store.rotate_secret(&t.app, &t.tenant, t.env)?,
        Action::RetirePrevious => store.retire_previous_secret(&t.app, &t.tenant, t.env)?,
    };
    ctx.render(&outcome, |o| {
        output::connections::acted(action, &o.connection, o.changed)
    })
}

//! `appdesk conn …`: tenants' connections to an app (R8).
//!
//! A client secret reaches stdout only where the core returns one: on connect, on
//! regenerate, on rotate, and on `show --reveal`. Nothing here stores or logs it.
//!
//! In a linked database the connections are the portal's: connect, upgrade,
//! disable, enable and regenerate go to its tenant-admin endpoint
//! (`appdesk_sync::connections::perform`); the core refuses every other action.

use appdesk_sync::client::ConnectionAction;
use appdesk_sync::connections::perform;

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

fn connect(ctx: &Context, t: &ConnTarget) -> Result<String> {
    let store = ctx.store()?;
    let connection = perform(&store, &t.app, &t.tenant, t.env, ConnectionAction::Connect)?;
    let connection = connection.connection;
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
    let shared = match action {
        Action::Upgrade => Some(ConnectionAction::Upgrade),
        Action::Disable => Some(ConnectionAction::Disable),
        Action::Enable => Some(ConnectionAction::Enable),
        Action::Regenerate => Some(ConnectionAction::Regenerate),
        Action::Rotate | Action::RetirePrevious => None,
    };
    let outcome = match (shared, action) {
        (Some(a), _) => perform(&store, &t.app, &t.tenant, t.env, a)?,
        (None, Action::Rotate) => store.rotate_secret(&t.app, &t.tenant, t.env)?,
        (None, _) => store.retire_previous_secret(&t.app, &t.tenant, t.env)?,
    };
    ctx.render(&outcome, |o| {
        output::connections::acted(action, &o.connection, o.changed)
    })
}

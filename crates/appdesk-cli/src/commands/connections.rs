//! `appdesk conn …`: tenants' connections to an app (R8).
//!
//! A client secret reaches stdout only where the core returns one: on connect, on
//! regenerate, on rotate, and on `show --reveal`. Nothing here stores or logs it.
//!
//! Every action goes through `appdesk_sync::connections::perform`: in a
//! linked database the connections are the portal's, and connect, upgrade,
//! disable, enable, regenerate, rotate and retire-previous go to its
//! tenant-admin endpoint; otherwise the local store decides them.

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
    let to_perform = match action {
        Action::Upgrade => ConnectionAction::Upgrade,
        Action::Disable => ConnectionAction::Disable,
        Action::Enable => ConnectionAction::Enable,
        Action::Regenerate => ConnectionAction::Regenerate,
        Action::Rotate => ConnectionAction::Rotate,
        Action::RetirePrevious => ConnectionAction::RetirePrevious,
    };
    let outcome = perform(&store, &t.app, &t.tenant, t.env, to_perform)?;
    ctx.render(&outcome, |o| {
        output::connections::acted(action, &o.connection, o.changed)
    })
}

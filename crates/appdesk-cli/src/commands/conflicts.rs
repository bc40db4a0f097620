//! `appdesk conflicts list | resolve`: the conflicts a sync stored, resolved
//! explicitly (the core applies the choice through the decisions).

use appdesk_core::sync::resolve::Take;

use super::{Context, Result};
use crate::cli::{ConflictsCommand, Side};
use crate::output;

pub fn run(ctx: &Context, command: ConflictsCommand) -> Result<String> {
    match command {
        ConflictsCommand::List => {
            let conflicts = ctx.store()?.conflicts()?;
            ctx.render(&conflicts, |c| output::conflicts::list(c))
        }
        ConflictsCommand::Resolve {
            app,
            field,
            all: _,
            take,
            value,
        } => {
            let take = match (take, value) {
                (_, Some(v)) => Take::Value(v),
                (Some(Side::Mine), None) => Take::Mine,
                (Some(Side::Theirs), None) | (None, None) => Take::Theirs,
            };
            let done = ctx
                .store()?
                .resolve_conflicts(&app, field.as_deref(), &take)?;
            ctx.render(&done, output::conflicts::resolved)
        }
    }
}

//! `appdesk remote add | list | remove`: linking the database to a portal.
//! The core reads the token file, checks and seals what it holds.

use appdesk_core::ErrorCode;
use appdesk_core::sync::link;

use super::{Context, Result};
use crate::cli::RemoteCommand;
use crate::failure::Failure;
use crate::output;

pub fn run(ctx: &Context, command: RemoteCommand) -> Result<String> {
    match command {
        RemoteCommand::Add {
            name,
            url,
            token_file,
            token,
        } => {
            let token = match (token_file, token) {
                (Some(path), _) => link::read_token_file(&path)?,
                (None, Some(token)) => token,
                // clap requires one of the two.
                (None, None) => {
                    return Err(Failure::new(ErrorCode::Usage, "token", "give --token-file"));
                }
            };
            let added = ctx.store()?.add_remote(&name, &url, &token)?;
            ctx.render(&added, output::remotes::added)
        }
        RemoteCommand::List => {
            let remotes = ctx.store()?.remotes()?;
            ctx.render(&remotes, |r| output::remotes::list(r))
        }
        RemoteCommand::Remove { name } => {
            let removed = ctx.store()?.remove_remote(&name)?;
            ctx.render(&removed, output::remotes::removed)
        }
    }
}

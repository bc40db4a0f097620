//! `appdesk remote add | token | list | remove`: linking the database to a portal.
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
            let token = given_token(token_file, token)?;
            // Linking adds data, so a path with no database yet gets one (a
            // newcomer's first command), once the input is known to be good.
            link::new_remote(&name, &url, &token)?;
            let added = ctx.store_creating()?.add_remote(&name, &url, &token)?;
            ctx.render(&added, output::remotes::added)
        }
        RemoteCommand::Token {
            name,
            token_file,
            token,
        } => {
            let token = given_token(token_file, token)?;
            let remote = ctx.store()?.replace_remote_token(&name, &token)?;
            ctx.render(&remote, output::remotes::token_replaced)
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

/// The token from `--token-file` or `--token` (clap requires one of the two).
fn given_token(token_file: Option<std::path::PathBuf>, token: Option<String>) -> Result<String> {
    match (token_file, token) {
        (Some(path), _) => Ok(link::read_token_file(&path)?),
        (None, Some(token)) => Ok(token),
        (None, None) => Err(Failure::new(ErrorCode::Usage, "token", "give --token-file")),
    }
}

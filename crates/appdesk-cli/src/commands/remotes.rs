//! `appdesk remote add | list | remove`: linking the database to a portal.
//! The token file is read here (the core checks and seals what it holds).

use std::io::Read;
use std::path::Path;

use appdesk_core::sync::link::TOKEN_MAX;

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
                (Some(path), _) => read_token_file(&path)?,
                (None, Some(token)) => token,
                // clap requires one of the two.
                (None, None) => return Err(Failure::new("usage", "token", "give --token-file")),
            };
            let added = ctx
                .store()?
                .add_remote(&name, &url, &token)
                .map_err(|e| Failure::from(e).conflict_on("name"))?;
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

/// A token file's text: a regular file (a symlink to one is fine), at most a
/// few KiB, UTF-8. A FIFO or device would block or never end, so it is
/// refused before it is opened.
fn read_token_file(path: &Path) -> Result<String> {
    let fail = |why: String| {
        Failure::new(
            "invalid",
            "token-file",
            format!("token file {}: {why}", path.display()),
        )
    };
    let meta = std::fs::metadata(path).map_err(|e| fail(e.to_string()))?;
    if !meta.is_file() {
        return Err(fail("is not a regular file".to_owned()));
    }
    let limit = TOKEN_MAX as u64 + 2;
    if meta.len() > limit {
        return Err(fail(format!("is larger than {limit} bytes")));
    }
    let mut bytes = Vec::new();
    std::fs::File::open(path)
        .and_then(|f| f.take(limit + 1).read_to_end(&mut bytes))
        .map_err(|e| fail(e.to_string()))?;
    if bytes.len() as u64 > limit {
        return Err(fail(format!("is larger than {limit} bytes")));
    }
    String::from_utf8(bytes).map_err(|_| fail("is not UTF-8 text".to_owned()))
}

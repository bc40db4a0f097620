//! `appdesk catalog`: the scope catalog in use (the built-in one, or `--catalog`).
//!
//! Listing reads no database: listing what can be chosen should neither need
//! nor create a database file. `diff` and `update` compare with, and change,
//! the catalog stored in the database (issue 12, part 4).

use appdesk_core::Catalog;

use super::{Context, Result};
use crate::cli::CatalogCommand;
use crate::failure::Failure;
use crate::output;

pub fn show(ctx: &Context) -> Result<String> {
    let catalog = ctx.catalog()?;
    ctx.render(&catalog, output::catalog::catalog)
}

pub fn run(ctx: &Context, command: CatalogCommand) -> Result<String> {
    let (CatalogCommand::Diff { file } | CatalogCommand::Update { file }) = &command;
    let new = Catalog::from_file(file).map_err(|e| Failure::from(e).blaming("file"))?;
    let store = ctx.store()?;
    match command {
        CatalogCommand::Diff { .. } => ctx.render(&store.catalog_diff(&new), output::catalog::diff),
        CatalogCommand::Update { .. } => {
            ctx.render(&store.update_catalog(&new)?, output::catalog::updated)
        }
    }
}

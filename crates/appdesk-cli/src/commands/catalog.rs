//! `appdesk catalog`: the scope catalog in use (the built-in one, or `--catalog`).
//!
//! It reads no database: listing what can be chosen should neither need nor
//! create a database file.

use super::{Context, Result};
use crate::output;

pub fn show(ctx: &Context) -> Result<String> {
    let catalog = ctx.catalog()?;
    ctx.render(&catalog, output::catalog::catalog)
}

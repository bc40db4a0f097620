//! `appdesk app scopes`: adding and removing API scopes (R2, R5). The core decides
//! whether the set changed and so whether a version is made.

use super::{Context, Result};
use crate::cli::ScopesArgs;
use crate::output;

pub fn change(ctx: &Context, args: ScopesArgs) -> Result<String> {
    let change = ctx
        .store()?
        .change_scopes(&args.app, &args.add, &args.remove)?;
    ctx.render(&change, output::apps::scope_change)
}

//! `appdesk app tenants`: the tenants an app is visible to (R7). No version is
//! made and the key is untouched; a removed tenant's connections end.

use appdesk_core::TenantAdd;

use super::{Context, Result};
use crate::cli::TenantsArgs;
use crate::output;

pub fn change(ctx: &Context, args: TenantsArgs) -> Result<String> {
    let add: Vec<TenantAdd> = args.add.iter().map(|a| TenantAdd::parse_arg(a)).collect();
    let app = ctx.store()?.change_tenants(&args.app, &add, &args.remove)?;
    ctx.render(&app, output::apps::tenants)
}

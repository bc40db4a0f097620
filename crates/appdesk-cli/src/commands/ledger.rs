//! `appdesk behind` and `appdesk upgrade-request`: the ledger of connections
//! behind and the requests to upgrade (issue 12, part 1).

use appdesk_core::decide::RequestTarget;

use super::{Context, Result};
use crate::cli::{NotesFormat, UpgradeRequestArgs};
use crate::output;

pub fn behind(
    ctx: &Context,
    app: Option<&str>,
    tenant: Option<&str>,
    secrets: bool,
) -> Result<String> {
    if secrets {
        let stale = ctx.store()?.stale_secrets(app, tenant)?;
        return ctx.render(&stale, |s| output::connections::stale(s));
    }
    let entries = ctx.store()?.behind(app, tenant)?;
    ctx.render(&entries, |e| output::ledger::behind(e))
}

pub fn request(ctx: &Context, args: &UpgradeRequestArgs) -> Result<String> {
    let target = match &args.tenant {
        Some(tenant) => RequestTarget::Tenant(tenant, args.env),
        None => RequestTarget::All,
    };
    let requests = ctx.store()?.request_upgrade(&args.app, target)?;
    ctx.render(&requests, |r| output::ledger::requested(r))
}

pub fn notes(
    ctx: &Context,
    app: &str,
    from: Option<i64>,
    to: Option<i64>,
    format: NotesFormat,
) -> Result<String> {
    let notes = ctx.store()?.notes(app, from, to)?;
    ctx.render(&notes, |n| match format {
        NotesFormat::Text => n.text(),
        NotesFormat::Markdown => n.markdown(),
    })
}

/// Shows the rotation policy, or sets it.
pub fn policy(ctx: &Context, days: Option<i64>) -> Result<String> {
    let store = ctx.store()?;
    let days = match days {
        Some(days) => store.set_secret_policy(days)?,
        None => store.secret_policy()?,
    };
    let value = serde_json::json!({ "rotateSecretsAfterDays": days });
    ctx.render(&value, |_| {
        format!("Rotate client secrets older than {days} days.\n")
    })
}

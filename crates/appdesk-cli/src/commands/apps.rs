//! `appdesk app …`: drafts and apps, from `new` to `delete` (R1, R3, R4, R9).
//! Scope and tenant changes have their own modules.

use appdesk_core::{AppEdit, AppInput, ListQuery, TenantEntry};

use super::{Context, Result, scopes, tenants};
use crate::cli::{AppCommand, EditArgs, ListArgs, NewArgs};
use crate::output;

pub fn run(ctx: &Context, command: AppCommand) -> Result<String> {
    match command {
        AppCommand::New(args) => new(ctx, args),
        AppCommand::Create { app } => create(ctx, &app),
        AppCommand::List(args) => list(ctx, args),
        AppCommand::Show { app } => show(ctx, &app),
        AppCommand::History { app } => history(ctx, &app),
        AppCommand::Delete { app } => delete(ctx, &app),
        AppCommand::Edit(args) => edit(ctx, args),
        AppCommand::Scopes(args) => scopes::change(ctx, args),
        AppCommand::Tenants(args) => tenants::change(ctx, args),
    }
}

/// Missing name, organization or homepage are left for the core to report, all
/// problems at once, rather than for clap to refuse one by one.
fn new(ctx: &Context, args: NewArgs) -> Result<String> {
    let input = AppInput {
        name: args.name.unwrap_or_default(),
        organization: args.org.unwrap_or_default(),
        homepage_url: args.homepage.unwrap_or_default(),
        audience: args.audience,
        credentials: args.credentials,
        tenants: args
            .tenants
            .iter()
            .map(|t| TenantEntry::parse_arg(t))
            .collect(),
        scopes: args.scopes,
    };
    let store = ctx.store_creating()?;
    let app = if args.draft {
        store.save_draft(&input)?
    } else {
        store.create_app(&input)?
    };
    ctx.render(&app, |app| output::apps::app(app, store.catalog()))
}

fn create(ctx: &Context, app: &str) -> Result<String> {
    let store = ctx.store()?;
    let app = store.create_draft(app)?;
    ctx.render(&app, |app| output::apps::app(app, store.catalog()))
}

/// With `--json`, the apps themselves (an array), not the page around them;
/// with `--summary`, their summaries.
fn list(ctx: &Context, args: ListArgs) -> Result<String> {
    let query = ListQuery {
        filter: args.filter,
        offset: args.offset,
        limit: args.limit,
        sort: args.sort.into(),
        only: args.only.into(),
    };
    if args.summary {
        let page = ctx.store()?.list_summaries(&query)?;
        return ctx.render(&page.items, |_| output::apps::summaries(&page, &query));
    }
    let page = ctx.store()?.list_apps(&query)?;
    ctx.render(&page.items, |_| output::apps::list(&page, &query))
}

fn show(ctx: &Context, app: &str) -> Result<String> {
    let store = ctx.store()?;
    let app = store.app(app)?;
    ctx.render(&app, |app| output::apps::app(app, store.catalog()))
}

fn history(ctx: &Context, app: &str) -> Result<String> {
    let versions = ctx.store()?.history(app)?;
    ctx.render(&versions, |v| output::apps::history(v))
}

fn delete(ctx: &Context, app: &str) -> Result<String> {
    let deleted = ctx.store()?.delete_app(app)?;
    ctx.render(&deleted, output::apps::deleted)
}

fn edit(ctx: &Context, args: EditArgs) -> Result<String> {
    let edit = AppEdit {
        name: args.name,
        organization: args.org,
        homepage_url: args.homepage,
        audience: args.audience,
        credentials: args.credentials,
    };
    let store = ctx.store()?;
    let app = store.edit_app(&args.app, &edit)?;
    ctx.render(&app, |app| output::apps::app(app, store.catalog()))
}

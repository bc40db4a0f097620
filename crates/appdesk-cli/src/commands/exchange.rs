//! `appdesk export` and `appdesk import`: app definitions as files (DESIGN §3).
//! The format, its validation and the import plan are the core's; this module
//! only picks where the bytes go.

use std::path::Path;

use appdesk_core::exchange::{self, AppDocument};
use appdesk_core::{Error, ErrorCode};
use serde::Serialize;

use super::{Context, Result};
use crate::cli::{ExportArgs, ImportArgs};
use crate::failure::Failure;
use crate::output;

/// What an export wrote, when it wrote files.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Written {
    pub files: Vec<String>,
}

pub fn export(ctx: &Context, args: ExportArgs) -> Result<String> {
    let store = ctx.store()?;
    let which = if args.all { None } else { args.app.as_deref() };
    let docs = store.export_documents(which, args.history)?;
    match (&args.out, args.all) {
        (None, true) => Ok(exchange::render_all(&docs, args.format)),
        (None, false) => Ok(first(&docs).map(|d| exchange::render(d, args.format))?),
        (Some(dir), true) => {
            let paths = exchange::write_folder(dir, &docs, args.format)
                .map_err(|e| cannot_write(dir, e))?;
            let files = paths.iter().map(|p| p.display().to_string()).collect();
            ctx.render(&Written { files }, output::exchange::written)
        }
        (Some(file), false) => {
            let text = exchange::render(first(&docs)?, args.format);
            std::fs::write(file, text).map_err(|e| cannot_write(file, e))?;
            let files = vec![file.display().to_string()];
            ctx.render(&Written { files }, output::exchange::written)
        }
    }
}

fn first(docs: &[AppDocument]) -> Result<&AppDocument> {
    docs.first()
        .ok_or_else(|| Failure::new(ErrorCode::NotFound, "app", "no app to export"))
}

fn cannot_write(path: &Path, e: std::io::Error) -> Failure {
    Failure::new(
        ErrorCode::Io,
        "out",
        format!("cannot write {}: {e}", path.display()),
    )
}

/// The plan, and whether it was applied.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Report {
    pub dry_run: bool,
    #[serde(flatten)]
    pub plan: appdesk_core::ImportPlan,
}

pub fn import(ctx: &Context, args: ImportArgs) -> Result<String> {
    let store = if args.dry_run {
        ctx.store()?
    } else {
        ctx.store_creating()?
    };
    let files = exchange::read_paths(&args.paths, store.catalog()).map_err(Error::Import)?;
    let plan = if args.dry_run {
        store.plan_import(&files)?
    } else {
        store.apply_import(&files)?
    };
    ctx.render(
        &Report {
            dry_run: args.dry_run,
            plan,
        },
        output::exchange::report,
    )
}

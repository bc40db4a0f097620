//! `appdesk export` and `appdesk import`: app definitions as files (DESIGN §3).
//! The format, its validation, the import plan and the writing of files are the
//! core's (`Store::export_files`, `Store::import_paths`); this module only picks
//! where the bytes go.

use appdesk_core::exchange;
use appdesk_core::{Error, ErrorCode, ImportMode, ImportPlan};
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
    let Some(out) = &args.out else {
        let docs = store.export_documents(which, args.history)?;
        return match (args.all, docs.first()) {
            (true, _) => Ok(exchange::render_all(&docs, args.format)),
            (false, Some(doc)) => Ok(exchange::render(doc, args.format)),
            (false, None) => Err(Failure::new(ErrorCode::NotFound, "app", "no app to export")),
        };
    };
    let paths = store.export_files(which, out, args.history, args.format)?;
    let files = paths.iter().map(|p| p.display().to_string()).collect();
    ctx.render(&Written { files }, output::exchange::written)
}

/// The plan, and whether it was applied.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Report {
    pub dry_run: bool,
    #[serde(flatten)]
    pub plan: ImportPlan,
}

pub fn import(ctx: &Context, args: ImportArgs) -> Result<String> {
    let mode = match (args.dry_run, args.expect_fingerprint.as_deref()) {
        (true, _) => ImportMode::Plan,
        (false, expect) => ImportMode::Apply { expect },
    };
    let store = if args.dry_run {
        ctx.store_or_empty()?
    } else {
        ctx.store_creating()?
    };
    let plan = store
        .import_paths(&args.paths, mode, |_, _, _| {})
        .map_err(|e| match e {
            Error::PlanChanged { .. } => Failure::from(e).blaming("expect-fingerprint"),
            e => e.into(),
        })?;
    let report = Report {
        dry_run: args.dry_run,
        plan,
    };
    ctx.render(&report, output::exchange::report)
}

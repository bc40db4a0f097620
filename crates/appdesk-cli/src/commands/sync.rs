//! `appdesk sync [--remote NAME] [--plan]`: parse, call the engine
//! (`appdesk_sync::sync`), print what it did. No rule and no HTTP here.

use std::fmt::Write;

use appdesk_sync::{Mode, Report, ReportConflict};

use super::{Context, Result};
use crate::output::shown;

/// `appdesk sync`.
#[derive(Debug, clap::Args)]
pub struct SyncArgs {
    /// The remote to sync with (optional when the database has one)
    #[arg(long, value_name = "NAME")]
    pub remote: Option<String>,
    /// Show what a sync would pull, push and flag as a conflict; write nothing
    #[arg(long)]
    pub plan: bool,
}

pub fn run(ctx: &Context, args: &SyncArgs) -> Result<String> {
    let mode = if args.plan { Mode::Plan } else { Mode::Apply };
    let store = ctx.store()?;
    let report = appdesk_sync::sync(&store, args.remote.as_deref(), mode, &mut |_| {})?;
    ctx.render(&report, text)
}

fn text(r: &Report) -> String {
    let mut out = String::new();
    let (pull, push) = if r.plan {
        ("would pull", "would push")
    } else {
        ("pulled", "pushed")
    };
    let _ = writeln!(
        out,
        "{} {}: {pull} {}, {push} {}, {} conflict(s){}",
        if r.plan { "Plan for" } else { "Synced with" },
        shown(&r.remote),
        r.pulled,
        r.pushed,
        r.conflicts.len(),
        if r.plan { " (nothing written)" } else { "" },
    );
    for p in &r.pulls {
        let _ = writeln!(out, "  {pull}  {}  {}", name(&p.app, &p.app_name), p.what);
    }
    for p in &r.pushes {
        let _ = writeln!(out, "  {push}  {}  {}", name(&p.app, &p.app_name), p.what);
    }
    for c in &r.conflicts {
        let _ = writeln!(out, "  conflict  {}", conflict(c));
    }
    for p in &r.refused {
        let _ = writeln!(
            out,
            "  held  {}  {}",
            name(&p.app, &p.app_name),
            shown(&p.what)
        );
    }
    for q in &r.quarantined {
        let _ = writeln!(
            out,
            "  quarantined  {}  {}",
            name(&q.app, &q.app_name),
            shown(&q.reason)
        );
    }
    if !r.quarantined.is_empty() {
        let _ = writeln!(
            out,
            "{} app(s) from the portal {} kept aside: this client's rules refuse them (each \
             leaves quarantine when it arrives valid); every other app synced.",
            r.quarantined.len(),
            if r.plan { "would be" } else { "are" }
        );
    }
    if !r.conflicts.is_empty() {
        out.push_str(
            "Resolve with: appdesk conflicts resolve APP --field FIELD --take mine|theirs\n",
        );
    }
    out
}

fn name(id: &str, name: &Option<String>) -> String {
    match name {
        Some(n) => format!("{} ({id})", shown(n)),
        None => id.to_owned(),
    }
}

fn conflict(c: &ReportConflict) -> String {
    let v = |x: &Option<String>| match x {
        Some(s) => format!("{:?}", s),
        None => "(absent)".to_owned(),
    };
    format!(
        "{} {}: mine {}, theirs {}, base {}",
        name(&c.app, &c.app_name),
        shown(&c.field),
        v(&c.mine),
        v(&c.theirs),
        v(&c.base)
    )
}

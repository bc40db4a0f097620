//! Export and import results for people: the files written, and the import plan
//! app by app with each change.

use std::fmt::Write;

use appdesk_core::PlanAction;

use super::text::shown;
use crate::commands::exchange::{Report, Written};

pub fn written(w: &Written) -> String {
    let mut out = String::new();
    for f in &w.files {
        let _ = writeln!(out, "wrote {}", shown(f));
    }
    let _ = writeln!(out, "{} file(s)", w.files.len());
    out
}

pub fn report(r: &Report) -> String {
    let mut out = String::new();
    for app in &r.plan.apps {
        let action = match app.action {
            PlanAction::Create => "create",
            PlanAction::Update => "update",
            PlanAction::Unchanged => "unchanged",
        };
        let version = app
            .new_version
            .map(|v| format!(" → version {v}"))
            .unwrap_or_default();
        let _ = writeln!(
            out,
            "{action:<9} {} ({}, {}{version})  {}",
            shown(&app.name),
            app.status,
            shown(&app.file),
            shown(&app.path)
        );
        for w in &app.warnings {
            let _ = writeln!(out, "          warning: {w}");
        }
        if app.action == PlanAction::Create {
            continue;
        }
        for c in &app.changes {
            let _ = writeln!(out, "          {}: {:?} → {:?}", c.field, c.from, c.to);
        }
        for s in &app.scopes_added {
            let _ = writeln!(out, "          + scope {}", shown(s));
        }
        for s in &app.scopes_removed {
            let _ = writeln!(out, "          - scope {}", shown(s));
        }
        for t in &app.tenants_added {
            let _ = writeln!(out, "          + tenant {}", shown(t));
        }
        for t in &app.tenants_removed {
            let _ = writeln!(out, "          - tenant {} (its connections end)", shown(t));
        }
        for t in &app.tenant_notes_changed {
            let _ = writeln!(out, "          ~ tenant {} note", shown(t));
        }
    }
    let outcome = if r.dry_run {
        "dry run, nothing was written"
    } else {
        "applied"
    };
    let _ = writeln!(
        out,
        "{} to create, {} to update, {} unchanged ({outcome})",
        r.plan.create, r.plan.update, r.plan.unchanged
    );
    let _ = writeln!(out, "fingerprint {}", r.plan.fingerprint);
    out
}

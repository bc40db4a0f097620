//! Conflicts for people: both values side by side, with the base.

use std::fmt::Write;

use appdesk_core::{Resolution, StoredConflict};

fn shown(value: &Option<String>) -> String {
    match value {
        Some(v) => format!("{v:?}"),
        None => "(absent)".to_owned(),
    }
}

pub fn list(conflicts: &[StoredConflict]) -> String {
    if conflicts.is_empty() {
        return "No conflicts.\n".to_owned();
    }
    let mut out = String::new();
    for c in conflicts {
        let name = c.app_name.as_deref().unwrap_or("(deleted app)");
        let _ = writeln!(out, "{name} ({})  {}", c.app, c.field);
        let _ = writeln!(out, "  mine:   {}", shown(&c.mine));
        let _ = writeln!(out, "  theirs: {}", shown(&c.theirs));
        let _ = writeln!(out, "  base:   {}", shown(&c.base));
    }
    out
}

pub fn resolved(r: &Resolution) -> String {
    let mut out = String::new();
    for f in &r.resolved {
        let _ = writeln!(out, "{}: kept {} ({})", f.field, f.took, shown(&f.value));
    }
    let _ = writeln!(out, "{} conflict(s) left on this app.", r.remaining);
    out
}

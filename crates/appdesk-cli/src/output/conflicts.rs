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
        if c.keep_mine_recreates {
            let key = c.app_key.as_deref().unwrap_or("its key");
            let _ = writeln!(
                out,
                "  keep mine: re-created on the portal with a new id and key; the portal \
                 deleted {key}, which stays retired (R10)"
            );
        }
    }
    out
}

pub fn resolved(r: &Resolution) -> String {
    let mut out = String::new();
    for f in &r.resolved {
        let _ = writeln!(out, "{}: kept {} ({})", f.field, f.took, shown(&f.value));
    }
    if let (Some(old), Some(key)) = (&r.recreated_from, &r.new_app_key) {
        let retired = r.retired_app_key.as_deref().unwrap_or("the old key");
        let _ = writeln!(
            out,
            "Re-created with the new id {} and the new app key {key} (was {old}; {retired} \
             stays retired on the portal). The next sync creates it there.",
            r.app
        );
    }
    let _ = writeln!(out, "{} conflict(s) left on this app.", r.remaining);
    out
}

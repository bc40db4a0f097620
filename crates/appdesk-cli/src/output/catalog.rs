//! The scope catalog: each module, then each resource with the accesses it allows.

use std::fmt::Write;

use appdesk_core::decide::CatalogDiff;
use appdesk_core::{Catalog, CatalogUpdate};

use super::shown;

pub fn catalog(catalog: &Catalog) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "Scope catalog {}: {} modules, {} resources (scope = name:r for View, name:w for Modify)",
        catalog.catalog_version,
        catalog.modules.len(),
        catalog.resource_count()
    );
    let resources = || catalog.modules.iter().flat_map(|m| &m.scopes);
    let name_width = resources().map(|r| r.name.len()).max().unwrap_or(0);
    let label_width = resources()
        .map(|r| r.display_name.chars().count())
        .max()
        .unwrap_or(0);
    for module in &catalog.modules {
        let _ = writeln!(out, "\n{} ({})", module.display_name, module.id);
        for r in &module.scopes {
            let view = if r.view { "View" } else { "-" };
            let modify = if r.modify { "Modify" } else { "-" };
            let line = format!(
                "  {:<name_width$}  {:<label_width$}  {view:<4}  {modify}",
                r.name, r.display_name
            );
            let _ = writeln!(out, "{}", line.trim_end());
        }
    }
    out
}

/// What a new catalog changes, one line per change.
pub fn diff(d: &CatalogDiff) -> String {
    let mut out = format!(
        "Catalog {} -> {}\n",
        shown(&d.from_version),
        shown(&d.to_version)
    );
    if d.is_empty() {
        out.push_str("No change.\n");
    }
    let mut line = |what: &str, item: String| {
        let _ = writeln!(out, "  {what:<18}{}", shown(&item));
    };
    for m in &d.modules_added {
        line("module added", m.clone());
    }
    for m in &d.modules_removed {
        line("module removed", m.clone());
    }
    for r in &d.modules_renamed {
        line(
            "module renamed",
            format!("{}: {} -> {}", r.id, r.from, r.to),
        );
    }
    for r in &d.resources_added {
        line("resource added", r.clone());
    }
    for r in &d.resources_removed {
        line("resource removed", format!("{r} (kept as retired)"));
    }
    for r in &d.resources_renamed {
        line(
            "resource renamed",
            format!("{}: {} -> {}", r.id, r.from, r.to),
        );
    }
    let yes = |b: bool| if b { "yes" } else { "no" };
    for a in &d.access_changes {
        let item = format!(
            "{}: View {} -> {}, Modify {} -> {}",
            a.resource,
            yes(a.view[0]),
            yes(a.view[1]),
            yes(a.modify[0]),
            yes(a.modify[1])
        );
        line("access changed", item);
    }
    out
}

/// The diff applied, then each retired resource and the apps holding it.
pub fn updated(u: &CatalogUpdate) -> String {
    let mut out = diff(&u.diff);
    let _ = writeln!(out, "Catalog {} is now in use.", shown(&u.diff.to_version));
    for r in &u.retired {
        let apps = if r.apps.is_empty() {
            "no app".to_owned()
        } else {
            r.apps.join(", ")
        };
        let item = format!(
            "retired: {} ({} › {}), held by {apps}",
            r.resource, r.retired.module, r.retired.display_name
        );
        let _ = writeln!(out, "  {}", shown(&item));
    }
    out
}

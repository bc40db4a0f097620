//! The scope catalog: each module, then each resource with the accesses it allows.

use std::fmt::Write;

use appdesk_core::Catalog;

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

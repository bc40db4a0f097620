//! Apps, drafts, versions and the outcomes of app changes, as text.

use std::fmt::Write;

use appdesk_core::{
    App, AppSummary, Catalog, DeletedApp, HistoryEntry, ListQuery, Page, Scope, ScopeChange,
};

use super::text::{Table, field, items, or_dash, shown};

/// The whole app; for a draft, also what still blocks creating it.
pub fn app(app: &App, catalog: &Catalog) -> String {
    let mut out = String::new();
    let name = display_name(app);
    let _ = match app.version {
        Some(v) => writeln!(out, "{name}  (version {v})"),
        None => writeln!(out, "{name}  (draft)"),
    };
    field(&mut out, "id", &app.id);
    field(&mut out, "organization", or_dash(&app.organization));
    field(&mut out, "homepage", or_dash(&app.homepage_url));
    field(&mut out, "audience", app.audience);
    field(&mut out, "credentials", app.credentials);
    match &app.app_key {
        Some(key) => {
            field(&mut out, "app key", key);
            field(
                &mut out,
                "",
                "(one key for both integration and production)",
            );
        }
        None => field(
            &mut out,
            "app key",
            "none yet (a draft gets one when it is created)",
        ),
    }
    items(
        &mut out,
        "scopes",
        &scope_lines(&app.scopes, catalog),
        "none",
    );
    items(&mut out, "tenants", &tenant_lines(app), "none");
    field(&mut out, "created", &app.created_at);
    field(&mut out, "updated", &app.updated_at);
    if app.version.is_none() {
        if app.problems.is_empty() {
            let _ = writeln!(out, "Ready to create: appdesk app create {}", app.id);
        } else {
            let _ = writeln!(out, "{} problem(s) block creating it:", app.problems.len());
            for p in &app.problems {
                let _ = writeln!(out, "  {}: {}", p.field, p.message);
            }
        }
    }
    out
}

/// The name to print, escaped (see [`shown`]); `(unnamed)` for a blank draft.
fn display_name(app: &App) -> std::borrow::Cow<'_, str> {
    named(&app.name)
}

fn named(name: &str) -> std::borrow::Cow<'_, str> {
    if name.trim().is_empty() {
        "(unnamed)".into()
    } else {
        shown(name)
    }
}

/// `tn.crm.customers:r   CRM › Customers (View)`, the label from the catalog
/// (a retired resource's last label, marked `[retired]`).
fn scope_lines(scopes: &[String], catalog: &Catalog) -> Vec<String> {
    let width = scopes.iter().map(|s| s.chars().count()).max().unwrap_or(0);
    scopes
        .iter()
        .map(|text| match Scope::parse_many(text).as_deref() {
            Ok([scope]) => {
                let label = catalog.label(&scope.resource, scope.access);
                // Its last label, marked: the catalog in use dropped it.
                if catalog.retired.contains_key(&scope.resource) {
                    format!("{text:<width$}  {label} [retired]")
                } else {
                    format!("{text:<width$}  {label}")
                }
            }
            _ => text.clone(),
        })
        .collect()
}

fn tenant_lines(app: &App) -> Vec<String> {
    let width = app.tenants.iter().map(|t| t.id.len()).max().unwrap_or(0);
    app.tenants
        .iter()
        .map(|t| {
            format!("{:<width$}  {}", t.id, t.note)
                .trim_end()
                .to_owned()
        })
        .collect()
}

pub fn list(page: &Page<App>, query: &ListQuery) -> String {
    let mut table = Table::new(&["NAME", "STATUS", "VERSION", "APP KEY", "TENANTS", "SCOPES"]);
    for app in &page.items {
        table.row(vec![
            display_name(app).into_owned(),
            app.status.to_string(),
            version(app.version),
            app.app_key.clone().unwrap_or_else(|| "-".to_owned()),
            app.tenants.len().to_string(),
            app.scopes.len().to_string(),
        ]);
    }
    paged(page, query, table)
}

/// The list with counts (`--summary`): of the connections in effect, the
/// portal's in a linked database.
pub fn summaries(page: &Page<AppSummary>, query: &ListQuery) -> String {
    let mut table = Table::new(&[
        "NAME",
        "STATUS",
        "VERSION",
        "TENANTS",
        "CONNECTIONS",
        "BEHIND",
    ]);
    for app in &page.items {
        table.row(vec![
            named(&app.name).into_owned(),
            app.status.to_string(),
            version(app.version),
            app.tenant_count.to_string(),
            app.connection_count.to_string(),
            app.behind_count.to_string(),
        ]);
    }
    paged(page, query, table)
}

fn version(v: Option<i64>) -> String {
    v.map_or_else(|| "-".to_owned(), |v| v.to_string())
}

/// A page's table with what it shows of how many; or why it is empty.
fn paged<T>(page: &Page<T>, query: &ListQuery, table: Table) -> String {
    if page.items.is_empty() {
        return match (page.total, query.filter.trim()) {
            (0, "") => "No apps yet; start one with `appdesk app new`.\n".to_owned(),
            (0, filter) => format!("No app matches {filter:?}.\n"),
            (total, _) => format!("No apps at offset {} ({total} in all).\n", page.offset),
        };
    }
    let mut out = table.render();
    let shown = page.items.len() as i64;
    let _ = if shown == page.total {
        writeln!(out, "{} app(s)", page.total)
    } else {
        let first = page.offset + 1;
        writeln!(
            out,
            "apps {first}-{} of {}",
            page.offset + shown,
            page.total
        )
    };
    out
}

/// Each version with its scopes and its change against the one before (R6).
pub fn history(versions: &[HistoryEntry]) -> String {
    if versions.is_empty() {
        return "No versions: a draft has none until it is created.\n".to_owned();
    }
    let mut out = String::new();
    for v in versions {
        let pending = if v.pending {
            "  (pending: not yet pushed)"
        } else {
            ""
        };
        let _ = writeln!(
            out,
            "version {}  {}  by {}{pending}",
            v.version,
            shown(&v.created_at),
            shown(&v.created_by)
        );
        items(&mut out, "scopes", &v.scopes, "none");
        if !v.added.is_empty() {
            items(&mut out, "added", &v.added, "");
        }
        if !v.removed.is_empty() {
            items(&mut out, "removed", &v.removed, "");
        }
    }
    out
}

pub fn scope_change(change: &ScopeChange) -> String {
    let mut out = String::new();
    let app = &change.app;
    let name = display_name(app);
    let _ = match (change.new_version, app.version) {
        (Some(v), _) => writeln!(out, "{name}: version {v} saved (was {})", v - 1),
        (None, Some(v)) => writeln!(out, "{name}: scope set unchanged; still version {v}"),
        (None, None) => writeln!(
            out,
            "{name}: draft scopes saved (no versions until created)"
        ),
    };
    items(&mut out, "added", &change.added, "none");
    items(&mut out, "removed", &change.removed, "none");
    items(&mut out, "scopes", &app.scopes, "none");
    if let Some(key) = &app.app_key {
        field(&mut out, "app key", format!("{key} (unchanged)"));
        let behind = change.connections_behind;
        field(
            &mut out,
            "connections",
            format!("{behind} show upgrade available"),
        );
    }
    out
}

pub fn tenants(app: &App) -> String {
    let mut out = String::new();
    let name = display_name(app);
    let _ = match app.version {
        Some(v) => writeln!(
            out,
            "{name}: {} tenant(s); still version {v}",
            app.tenants.len()
        ),
        None => writeln!(out, "{name} (draft): {} tenant(s)", app.tenants.len()),
    };
    for line in tenant_lines(app) {
        let _ = writeln!(out, "  {line}");
    }
    out
}

pub fn deleted(d: &DeletedApp) -> String {
    match &d.app_key {
        Some(key) => format!(
            "Deleted {:?} ({}): app key {key} is retired for good; {} connection(s) ended.\n",
            d.name, d.id, d.connections_ended
        ),
        None => format!("Deleted the draft {:?} ({}).\n", d.name, d.id),
    }
}

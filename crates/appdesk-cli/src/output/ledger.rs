//! The ledger of connections behind and upgrade requests, as text.

use appdesk_core::decide::{BehindEntry, UpgradeRequest};

use super::text::{Table, shown};

pub fn behind(entries: &[BehindEntry]) -> String {
    if entries.is_empty() {
        return "No connection is behind.\n".to_owned();
    }
    let mut table = Table::new(&[
        "APP", "TENANT", "ENV", "VERSION", "LATEST", "BEHIND", "SINCE", "DAYS", "GAINS", "LOSES",
        "REQUEST",
    ]);
    for e in entries {
        let request = e
            .request
            .as_ref()
            .map_or_else(|| "-".to_owned(), |r| r.describe());
        table.row(vec![
            e.app_name.clone(),
            e.tenant_id.clone(),
            e.environment.to_string(),
            e.version.to_string(),
            e.latest_version.to_string(),
            e.versions_behind.to_string(),
            e.behind_since
                .get(..10)
                .unwrap_or(&e.behind_since)
                .to_owned(),
            e.days_behind.to_string(),
            joined(&e.gains),
            joined(&e.loses),
            request,
        ]);
    }
    table.render()
}

pub fn requested(requests: &[UpgradeRequest]) -> String {
    if requests.is_empty() {
        return "No connection is behind: nothing to request.\n".to_owned();
    }
    let mut out = String::new();
    let mut notes: Vec<&str> = Vec::new();
    for r in requests {
        if !notes.contains(&r.notes.as_str()) {
            notes.push(&r.notes);
        }
        out.push_str(&format!(
            "Asked tenant {} in {} to upgrade {} from version {} to {}\n",
            shown(&r.tenant_id),
            r.environment,
            shown(&r.app_name),
            r.from_version,
            r.to_version
        ));
    }
    out.push_str("\nWith these notes:\n");
    for n in notes {
        out.push('\n');
        out.push_str(n);
    }
    out
}

fn joined(scopes: &[String]) -> String {
    if scopes.is_empty() {
        "-".to_owned()
    } else {
        scopes.join(" ")
    }
}

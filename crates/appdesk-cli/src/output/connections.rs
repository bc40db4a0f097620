//! Connections as text. The secret line appears only when the view carries a
//! secret, which the core sets only on connect, regenerate and reveal.

use std::fmt::Write;

use appdesk_core::{ConnectionStatus, ConnectionView};

use super::text::{Table, field, items, shown};

/// A change to an existing connection.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    Upgrade,
    Disable,
    Enable,
    Regenerate,
    Rotate,
    RetirePrevious,
}

pub fn connected(c: &ConnectionView) -> String {
    let mut out = format!(
        "Tenant {} connected in {} at version {}\n",
        shown(&c.tenant_id),
        c.environment,
        c.version
    );
    details(&mut out, c);
    if c.client_secret.is_some() {
        out.push_str(
            "Give the client ID and secret to the tenant's integration; keep the secret private.\n",
        );
    }
    out
}

pub fn connection(c: &ConnectionView) -> String {
    let mut out = String::new();
    let upgrade = if c.upgrade_available {
        ", upgrade available"
    } else {
        ""
    };
    let _ = writeln!(
        out,
        "Tenant {} in {}: {}, version {} of {}{upgrade}",
        shown(&c.tenant_id),
        c.environment,
        c.status,
        c.version,
        c.latest_version
    );
    details(&mut out, c);
    out
}

fn details(out: &mut String, c: &ConnectionView) {
    field(out, "client ID", &c.client_id);
    if let Some(secret) = &c.client_secret {
        field(out, "client secret", secret);
    }
    for s in &c.secrets {
        let (label, stale) = match (s.current, s.stale) {
            (true, false) => ("secret age", ""),
            (true, true) => ("secret age", ", stale: rotate it"),
            (false, false) => ("previous secret", ""),
            (false, true) => ("previous secret", ", stale: retire it"),
        };
        let value = match (&s.value, s.current) {
            (Some(v), false) => format!(", {v}"),
            _ => String::new(),
        };
        let age = format!("{} days (since {}){stale}{value}", s.age_days, s.created_at);
        field(out, label, age);
    }
    field(out, "connected", &c.connected_at);
    items(out, "scopes in play", &c.scopes_in_play, "none");
    if c.upgrade_available {
        items(out, "upgrade adds", &c.pending_added, "none");
        items(out, "upgrade removes", &c.pending_removed, "none");
    }
}

pub fn acted(action: Action, c: &ConnectionView, changed: bool) -> String {
    let (t, env) = (shown(&c.tenant_id), c.environment);
    let headline = match (action, changed) {
        (Action::Upgrade, true) => format!(
            "Upgraded tenant {t} in {env} to version {}; client ID and secret are unchanged.",
            c.version
        ),
        (Action::Upgrade, false) => format!(
            "Tenant {t} in {env} is already on the latest version ({}).",
            c.version
        ),
        (Action::Disable | Action::Enable, true) => {
            format!("Tenant {t}'s connection in {env} is now {}.", c.status)
        }
        (Action::Disable | Action::Enable, false) => {
            format!("Tenant {t}'s connection in {env} was already {}.", c.status)
        }
        (Action::Regenerate, _) => {
            format!("New client secret for tenant {t} in {env}; the old one no longer works.")
        }
        (Action::Rotate, _) => format!(
            "New client secret for tenant {t} in {env}; the previous one works until \
             `appdesk conn retire-previous`."
        ),
        (Action::RetirePrevious, _) => {
            format!("The previous client secret of tenant {t} in {env} no longer works.")
        }
    };
    format!("{headline}\n{}", connection(c))
}

/// The list; `portal` names the remote when the database is linked: the
/// connections are then the portal's, shown read-only as last pulled.
pub fn list(connections: &[ConnectionView], portal: Option<&str>) -> String {
    let head = portal.map_or(String::new(), |p| {
        format!(
            "Connections are the portal's ({p}), read-only here as last pulled by \
             `appdesk sync`; secrets stay on the portal.\n"
        )
    });
    if connections.is_empty() {
        return head
            + if portal.is_some() {
                "No connections on the portal.\n"
            } else {
                "No connections yet; a listed tenant connects with `appdesk conn connect`.\n"
            };
    }
    let mut table = Table::new(&[
        "TENANT",
        "ENVIRONMENT",
        "STATUS",
        "VERSION",
        "UPGRADE",
        "SECRET AGE",
        "CLIENT ID",
    ]);
    for c in connections {
        let upgrade = if c.upgrade_available {
            format!(
                "available (+{} -{})",
                c.pending_added.len(),
                c.pending_removed.len()
            )
        } else {
            "-".to_owned()
        };
        table.row(vec![
            c.tenant_id.clone(),
            c.environment.to_string(),
            c.status.to_string(),
            format!("{} of {}", c.version, c.latest_version),
            upgrade,
            secret_age(c),
            c.client_id.clone(),
        ]);
    }
    let mut out = head + &table.render();
    let behind = connections.iter().filter(|c| c.upgrade_available).count();
    let disabled = connections
        .iter()
        .filter(|c| c.status == ConnectionStatus::Disabled)
        .count();
    let _ = writeln!(
        out,
        "{} connection(s), {behind} with an upgrade available, {disabled} disabled",
        connections.len()
    );
    out
}

/// "40d", "40d stale", "3d +1 previous".
fn secret_age(c: &ConnectionView) -> String {
    let Some(current) = c.secrets.iter().find(|s| s.current) else {
        return "-".to_owned();
    };
    let mut out = format!("{}d", current.age_days);
    if c.secrets.iter().any(|s| s.stale) {
        out.push_str(" stale");
    }
    if c.secrets.iter().any(|s| !s.current) {
        out.push_str(" +1 previous");
    }
    out
}

/// Stale secrets, for `appdesk behind --secrets`.
pub fn stale(secrets: &[appdesk_core::StaleSecret]) -> String {
    if secrets.is_empty() {
        return "No secret is older than the rotation policy.\n".to_owned();
    }
    let mut table = Table::new(&["APP", "TENANT", "ENV", "SECRET", "SINCE", "DAYS"]);
    for s in secrets {
        table.row(vec![
            s.app_name.clone(),
            s.tenant_id.clone(),
            s.environment.to_string(),
            if s.secret.current {
                "current"
            } else {
                "previous"
            }
            .to_owned(),
            s.secret.created_at.clone(),
            s.secret.age_days.to_string(),
        ]);
    }
    table.render()
}

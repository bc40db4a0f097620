//! Remotes for people: never a token (the core's views do not carry it).

use std::fmt::Write;

use appdesk_core::{Remote, RemoteAdded, RemoteRemoved};

pub fn added(added: &RemoteAdded) -> String {
    let mut out = list(std::slice::from_ref(&added.remote));
    let _ = writeln!(
        out,
        "Linked. {} existing app(s) queued for their first push.",
        added.queued_apps
    );
    out
}

pub fn list(remotes: &[Remote]) -> String {
    if remotes.is_empty() {
        return "No remote: this database is not linked to a portal.\n".to_owned();
    }
    let mut out = String::new();
    for r in remotes {
        let _ = writeln!(out, "{}  {}  token: {}", r.name, r.url, r.token);
        let synced = r.last_synced_at.as_deref().unwrap_or("never");
        let _ = writeln!(out, "  pending: {}  last synced: {synced}", r.pending);
    }
    out
}

pub fn removed(removed: &RemoteRemoved) -> String {
    format!(
        "Removed the remote {}; {} queued intent(s) dropped. Local apps are unchanged.\n",
        removed.name, removed.dropped_intents
    )
}

pub fn token_replaced(remote: &Remote) -> String {
    format!(
        "Replaced the token of the remote {} (sealed); {} queued intent(s) kept for the next sync.\n",
        remote.name, remote.pending
    )
}

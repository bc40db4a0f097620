//! Roles and the audit log (issue 22 §2 and §3) over real HTTP against the
//! real binary: what a viewer, an editor and an owner may do ([`roles`]), the
//! members and tenant-admin commands ([`members`]), and the audit log: its
//! entries, who may read it, its export, the IP it believes and its retention
//! ([`audit`]). Oracles: the portal's own answers, its commands' output and
//! plain SQL on its database.

mod audit;
mod members;
mod roles;

use serde_json::Value;

use crate::common::{Api, Portal, run_command};

/// `token create --workspace team --user USER --role ROLE`: the token.
pub fn token_with_role(portal: &Portal, user: &str, role: &str) -> String {
    run_command(
        &portal.database,
        &[
            "token",
            "create",
            "--workspace",
            "team",
            "--user",
            user,
            "--role",
            role,
        ],
    )
}

/// A client of the portal with a new token of `role` for `user`.
pub fn api_with_role(portal: &Portal, user: &str, role: &str) -> Api {
    portal.api(Some(&token_with_role(portal, user, role)))
}

/// What a refused request must leave as it was: the apps, their versions
/// and tenants, the connections and the members (plain SQL).
pub fn data_of(portal: &Portal) -> String {
    portal.psql(
        "SELECT (SELECT coalesce(string_agg(id || ':' || name || ':' || revision, ',' ORDER BY id), '') FROM apps)
             || '|' || (SELECT count(*) FROM versions)
             || '|' || (SELECT count(*) FROM app_tenants)
             || '|' || (SELECT count(*) FROM connections)
             || '|' || (SELECT coalesce(string_agg(user_name || ':' || role, ',' ORDER BY user_name), '') FROM members)",
    )
}

/// `GET /v1/audit` as `owner`: its entries.
pub async fn audit_entries(owner: &Api, query: &str) -> Vec<Value> {
    let reply = owner.get(&format!("/v1/audit{query}")).await;
    reply.expect(200);
    reply.json()["entries"]
        .as_array()
        .expect("an entries array")
        .clone()
}

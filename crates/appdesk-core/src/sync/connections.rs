//! Connections in a linked database are the portal's (issue 10 §5): a pull
//! brings each app's connections as the portal lists them (`GET
//! /v1/apps/{id}/connections`), and the store keeps them read-only. This
//! module reads and checks one pulled list, as a pure function, before the
//! store writes any of it.
//!
//! **Secrets are never pulled.** [`PulledConnection`] has no field for a
//! client secret: a `clientSecret` in an answer is dropped by the parser and
//! can reach neither the database nor any output. What is kept is what a
//! person needs to read the connection: version, scopes in play, upgrade
//! state, status and client ID.

use std::collections::HashSet;

use serde::{Deserialize, Serialize};

use crate::decide::SecretAge;
use crate::error::{Error, Problem, Result};
use crate::model::{ConnectionStatus, ConnectionView, Environment};
use crate::scope::Scope;
use crate::validate;

/// One connection as the portal lists it, without any secret.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PulledConnection {
    pub tenant_id: String,
    pub environment: Environment,
    pub status: ConnectionStatus,
    pub version: i64,
    pub latest_version: i64,
    pub upgrade_available: bool,
    pub scopes_in_play: Vec<String>,
    #[serde(default)]
    pub pending_added: Vec<String>,
    #[serde(default)]
    pub pending_removed: Vec<String>,
    pub client_id: String,
    pub connected_at: String,
}

impl PulledConnection {
    /// The read-only view the CLI and the window show; no secret, no ages
    /// (the portal keeps those).
    pub fn into_view(self) -> ConnectionView {
        ConnectionView {
            tenant_id: self.tenant_id,
            environment: self.environment,
            status: self.status,
            version: self.version,
            latest_version: self.latest_version,
            upgrade_available: self.upgrade_available,
            scopes_in_play: self.scopes_in_play,
            pending_added: self.pending_added,
            pending_removed: self.pending_removed,
            client_id: self.client_id,
            connected_at: self.connected_at,
            secrets: Vec::<SecretAge>::new(),
            client_secret: None,
        }
    }
}

/// Checks a pulled list of one app's connections: every problem at once,
/// each naming `connections[i].field`. A list that fails is not written.
pub fn check(pulled: &[PulledConnection]) -> Result<()> {
    let mut problems = Vec::new();
    let mut seen = HashSet::new();
    for (i, c) in pulled.iter().enumerate() {
        let at = |field: &str| format!("connections[{i}].{field}");
        if let Err(p) = validate::tenant_id(&c.tenant_id, &at("tenantId")) {
            problems.push(p);
        } else if c.tenant_id != c.tenant_id.trim() {
            problems.push(Problem::new(at("tenantId"), "has spaces around it"));
        }
        if !seen.insert((c.tenant_id.clone(), c.environment)) {
            problems.push(Problem::new(
                at("tenantId"),
                format!(
                    "tenant {} is listed twice in {}",
                    c.tenant_id.escape_debug(),
                    c.environment
                ),
            ));
        }
        if c.version < 1 || c.latest_version < c.version {
            problems.push(Problem::new(
                at("version"),
                format!(
                    "version {} with latest {} (versions are 1, 2, 3… and a connection is \
                     never ahead of the latest)",
                    c.version, c.latest_version
                ),
            ));
        }
        if c.upgrade_available && c.version == c.latest_version {
            problems.push(Problem::new(
                at("upgradeAvailable"),
                "an upgrade is offered to a connection already on the latest version",
            ));
        }
        if !is_client_id(&c.client_id) {
            problems.push(Problem::new(
                at("clientId"),
                "is not a client ID (cid. followed by 25 of a-z, 0-9)",
            ));
        }
        if chrono::DateTime::parse_from_rfc3339(&c.connected_at).is_err() {
            problems.push(Problem::new(at("connectedAt"), "is not an RFC 3339 time"));
        }
        for (name, list) in [
            ("scopesInPlay", &c.scopes_in_play),
            ("pendingAdded", &c.pending_added),
            ("pendingRemoved", &c.pending_removed),
        ] {
            for (j, s) in list.iter().enumerate() {
                if let Err(message) = Scope::parse_many(s) {
                    problems.push(Problem::new(format!("{}[{j}]", at(name)), message));
                }
            }
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(Error::Invalid(problems))
    }
}

fn is_client_id(text: &str) -> bool {
    text.strip_prefix("cid.").is_some_and(|rest| {
        rest.len() == 25
            && rest
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> PulledConnection {
        serde_json::from_value(serde_json::json!({
            "tenantId": "1234", "environment": "integration", "status": "active",
            "version": 1, "latestVersion": 2, "upgradeAvailable": true,
            "scopesInPlay": ["tn.crm.customers:r"], "pendingAdded": ["tn.crm.leads:r"],
            "pendingRemoved": [], "clientId": "cid.abcdefghijklmnopqrstuvwxy",
            "connectedAt": "2026-11-30T01:00:00Z",
            "clientSecret": "cs1.this-must-never-be-kept"
        }))
        .unwrap()
    }

    #[test]
    fn a_client_secret_in_the_answer_is_dropped_by_the_parser() {
        let c = sample();
        let kept = serde_json::to_string(&c).unwrap();
        assert!(!kept.contains("cs1."), "{kept}");
        assert!(check(&[c]).is_ok());
    }

    #[test]
    fn every_bad_field_is_reported_at_once_with_its_index() {
        let mut bad = sample();
        bad.tenant_id = "12\u{202e}34".into();
        bad.client_id = "cid.UPPER".into();
        bad.version = 3;
        bad.connected_at = "yesterday".into();
        bad.scopes_in_play = vec!["not a scope\n".into()];
        let Err(Error::Invalid(problems)) = check(&[sample(), bad]) else {
            panic!("accepted");
        };
        let fields: Vec<&str> = problems.iter().map(|p| p.field.as_str()).collect();
        for f in [
            "connections[1].tenantId",
            "connections[1].clientId",
            "connections[1].version",
            "connections[1].connectedAt",
            "connections[1].scopesInPlay[0]",
        ] {
            assert!(fields.contains(&f), "{f} missing from {fields:?}");
        }
        assert!(fields.iter().all(|f| f.starts_with("connections[1].")));
    }

    #[test]
    fn a_tenant_listed_twice_in_one_environment_is_refused() {
        let Err(Error::Invalid(problems)) = check(&[sample(), sample()]) else {
            panic!("accepted");
        };
        assert_eq!(problems[0].field, "connections[1].tenantId");
    }
}

//! Upgrade requests as a tenant's admin receives them (issue 19 §2): where a
//! request stands now ([`request_status`]: waiting, stale or done), and the
//! checks of a request the portal is sent ([`receive_request`]).
//!
//! "Stale when a newer version appears" is decided here and nowhere else: the
//! desktop's ledger ([`super::behind`]) and the portal's list of requests both
//! call [`is_stale`] / [`request_status`], so the two can never disagree.
//!
//! Pure: the caller loads the app, its connections and the request; nothing
//! here reads a clock or a table.

use serde::{Deserialize, Serialize};

use super::ledger::UpgradeRequest;
use super::{AppState, Stamp, new_id};
use crate::error::{Error, Problem, Result};
use crate::model::Environment;

/// The longest notes a request may carry (characters): a few pages of text.
pub const NOTES_MAX: usize = 64 * 1024;

/// Where an upgrade request stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum RequestStatus {
    /// The connection is below the version asked for, which is the latest.
    Waiting,
    /// A newer version than the one asked for exists: the request asks for
    /// an old one (ask again for the latest).
    Stale,
    /// The connection is at the version asked for, or later.
    Done,
}

impl RequestStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            RequestStatus::Waiting => "waiting",
            RequestStatus::Stale => "stale",
            RequestStatus::Done => "done",
        }
    }
}

/// Whether a request for `to_version` is stale: the app has a newer one.
pub fn is_stale(to_version: i64, latest: i64) -> bool {
    to_version < latest
}

/// How many versions a connection at `version` is behind the app's latest
/// (0 when it is not behind): the ledger's `versionsBehind`, the console's
/// `behindBy`.
pub fn versions_behind(version: i64, latest: i64) -> i64 {
    (latest - version).max(0)
}

/// Where a request for `to_version` stands, for the connection now at
/// `connection` (`None`: the connection ended, its tenant removed) of an app
/// whose latest version is `latest`. Done wins: a connection that reached the
/// version asked for is done even if a newer one appeared since. An ended
/// connection's request can no longer be met, and is stale.
pub fn request_status(connection: Option<i64>, to_version: i64, latest: i64) -> RequestStatus {
    match connection {
        Some(version) if version >= to_version => RequestStatus::Done,
        Some(_) if !is_stale(to_version, latest) => RequestStatus::Waiting,
        _ => RequestStatus::Stale,
    }
}

/// A request as a client sends it to the portal (its body, read).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequestInput<'a> {
    /// The id the client gave it (a UUID), kept so that a request sent twice
    /// is one request; `None`: a new id.
    pub id: Option<&'a str>,
    pub tenant_id: &'a str,
    pub environment: Environment,
    pub from_version: i64,
    pub to_version: i64,
    /// `None` or empty: the caller's `notes(from, to)`.
    pub notes: Option<&'a str>,
}

/// Checks a request sent to the portal against the app: the tenant is on the
/// app's list and connected in that environment, both versions are the app's
/// and `from` is before `to`, the notes are not too long. Every problem is
/// named by its body field (`tenantId`, `environment`, `fromVersion`,
/// `toVersion`, `notes`, `id`), all at once. The request may already be met
/// or stale by the time it arrives (made offline): it is kept, and its status
/// says so.
pub fn receive_request(
    app: &AppState,
    input: &RequestInput<'_>,
    notes: &dyn Fn(i64, i64) -> Result<String>,
    stamp: &Stamp,
) -> Result<UpgradeRequest> {
    let mut problems = Vec::new();
    let name = &app.fields.name;
    let tenant = match super::tenant_id(input.tenant_id) {
        Ok(t) => Some(t),
        Err(Error::Invalid(found)) => {
            problems.extend(found.into_iter().map(|mut p| {
                p.field = "tenantId".into();
                p
            }));
            None
        }
        Err(other) => return Err(other),
    };
    if let Some(tenant) = &tenant {
        if !app.tenants.iter().any(|t| &t.id == tenant) {
            problems.push(Problem::new(
                "tenantId",
                format!("{name:?} does not list tenant {tenant}"),
            ));
        } else if !app
            .connections
            .iter()
            .any(|c| &c.tenant_id == tenant && c.environment == input.environment)
        {
            problems.push(Problem::new(
                "environment",
                format!(
                    "tenant {tenant} has no connection to {name:?} in {}",
                    input.environment
                ),
            ));
        }
    }
    for (field, v) in [
        ("fromVersion", input.from_version),
        ("toVersion", input.to_version),
    ] {
        if !(1..=app.version).contains(&v) {
            problems.push(Problem::new(
                field,
                format!(
                    "{name:?} has versions 1 to {}; there is no version {v}",
                    app.version
                ),
            ));
        }
    }
    if problems.is_empty() && input.from_version >= input.to_version {
        problems.push(Problem::new(
            "toVersion",
            format!(
                "an upgrade goes to a later version: {} is not after {}",
                input.to_version, input.from_version
            ),
        ));
    }
    if input.notes.is_some_and(|n| n.chars().count() > NOTES_MAX) {
        problems.push(Problem::new(
            "notes",
            format!("notes are at most {NOTES_MAX} characters"),
        ));
    }
    if let Some(id) = input.id
        && !is_uuid(id)
    {
        problems.push(Problem::new(
            "id",
            "a request's id is a UUID (e.g. 01890a5d-ac96-774b-bcce-b302099a8057)",
        ));
    }
    let Some(tenant) = tenant.filter(|_| problems.is_empty()) else {
        return Err(Error::Invalid(problems));
    };
    let notes = match input.notes.filter(|n| !n.trim().is_empty()) {
        Some(n) => n.to_owned(),
        None => notes(input.from_version, input.to_version)?,
    };
    Ok(UpgradeRequest {
        id: input.id.map_or_else(new_id, |id| id.to_ascii_lowercase()),
        app_id: app.id.clone(),
        app_name: app.fields.name.clone(),
        tenant_id: tenant,
        environment: input.environment,
        from_version: input.from_version,
        to_version: input.to_version,
        notes,
        requested_at: stamp.at.clone(),
        requested_by: stamp.user.clone(),
    })
}

/// 8-4-4-4-12 hexadecimal digits.
fn is_uuid(text: &str) -> bool {
    let groups: Vec<&str> = text.split('-').collect();
    groups.len() == 5
        && groups
            .iter()
            .zip([8, 4, 4, 4, 12])
            .all(|(g, n)| g.len() == n && g.bytes().all(|b| b.is_ascii_hexdigit()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::decide::ConnectionState;
    use crate::model::{ConnectionStatus, TenantEntry};

    #[test]
    fn a_request_is_done_at_its_version_stale_after_a_newer_one_else_waiting() {
        assert_eq!(request_status(Some(1), 2, 2), RequestStatus::Waiting);
        assert_eq!(request_status(Some(1), 2, 3), RequestStatus::Stale);
        assert_eq!(request_status(Some(2), 2, 3), RequestStatus::Done);
        assert_eq!(request_status(Some(3), 2, 3), RequestStatus::Done);
        assert_eq!(request_status(None, 2, 2), RequestStatus::Stale);
        assert_eq!(versions_behind(1, 3), 2);
        assert_eq!(versions_behind(3, 3), 0);
    }

    fn app() -> AppState {
        AppState {
            id: "a".into(),
            fields: crate::decide::AppFields {
                name: "Dispatch".into(),
                organization: "Acme".into(),
                homepage_url: "https://acme.example".into(),
                audience: Default::default(),
                credentials: Default::default(),
            },
            app_key: "k".into(),
            version: 3,
            scopes: Default::default(),
            tenants: vec![TenantEntry {
                id: "2222222".into(),
                note: "theirs".into(),
            }],
            revision: 1,
            connections: vec![ConnectionState {
                id: "c".into(),
                tenant_id: "2222222".into(),
                environment: Environment::Production,
                version: 1,
                status: ConnectionStatus::Active,
                client_id: "cid".into(),
            }],
        }
    }

    fn stamp() -> Stamp {
        Stamp {
            user: "ann".into(),
            at: "2026-12-07T00:00:00.000Z".into(),
        }
    }

    fn input<'a>() -> RequestInput<'a> {
        RequestInput {
            id: None,
            tenant_id: "2222222",
            environment: Environment::Production,
            from_version: 1,
            to_version: 3,
            notes: None,
        }
    }

    #[test]
    fn a_received_request_names_each_wrong_field() {
        let notes = |_: i64, _: i64| Ok(String::from("n"));
        let fields = |i: RequestInput<'_>| -> Vec<String> {
            match receive_request(&app(), &i, &notes, &stamp()) {
                Err(Error::Invalid(p)) => p.into_iter().map(|p| p.field).collect(),
                other => panic!("not refused: {other:?}"),
            }
        };
        let not_listed = RequestInput {
            tenant_id: "3333333",
            ..input()
        };
        assert_eq!(fields(not_listed), ["tenantId"]);
        let not_connected = RequestInput {
            environment: Environment::Integration,
            ..input()
        };
        assert_eq!(fields(not_connected), ["environment"]);
        let no_version = RequestInput {
            from_version: 0,
            to_version: 4,
            ..input()
        };
        assert_eq!(fields(no_version), ["fromVersion", "toVersion"]);
        let backwards = RequestInput {
            from_version: 3,
            to_version: 2,
            ..input()
        };
        assert_eq!(fields(backwards), ["toVersion"]);
        let bad_id = RequestInput {
            id: Some("x"),
            ..input()
        };
        assert_eq!(fields(bad_id), ["id"]);
        let made = receive_request(&app(), &input(), &notes, &stamp()).unwrap();
        assert_eq!((made.from_version, made.to_version), (1, 3));
        assert_eq!(made.notes, "n", "no notes sent: the caller's");
    }
}

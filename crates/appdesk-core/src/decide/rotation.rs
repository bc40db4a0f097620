//! Secret lifecycle (issue 12, part 3): rotation with overlap, retiring the
//! previous secret, and each secret's age against the rotation policy.
//!
//! Rotation makes a new secret and keeps the current one valid as the
//! previous one, so a tenant's integration can switch without downtime; at
//! most two secrets live at once, so a second rotation waits for the previous
//! one to be retired. The plain regenerate ([`super::regenerate`]) still ends
//! the old secret(s) at once. Must not go in here: sealing (storage's) or the
//! clock (the caller passes `now`).

use serde::Serialize;

use super::connections::{record, required};
use super::ledger::instant;
use super::{Action, AppState, Change, ClientSecret, ConnectionWrite, Stamp};
use crate::error::{Error, Problem, Result};
use crate::model::Environment;

/// "Rotate secrets older than N days": the default N.
pub const DEFAULT_SECRET_MAX_AGE_DAYS: i64 = 180;

/// A new secret for the connection; the current one stays valid as the
/// previous one. With a previous secret still live: a conflict.
pub fn rotate(
    app: &AppState,
    tenant: &str,
    env: Environment,
    has_previous: bool,
    stamp: &Stamp,
) -> Result<Change> {
    let c = required(app, tenant, env)?;
    if has_previous {
        return Err(Error::conflict(
            "tenant",
            format!(
                "tenant {} in {env} already has two live secrets; retire the previous one first \
                 (appdesk conn retire-previous)",
                c.tenant_id
            ),
        ));
    }
    let mut out = Change::none(app, stamp);
    out.connections.push(ConnectionWrite::RotateSecret {
        id: c.id.clone(),
        secret: ClientSecret::generate()?,
    });
    let what = "client secret rotated; the previous one stays valid until retired";
    record(&mut out, app, c, Action::Rotate, what);
    Ok(out)
}

/// Ends the previous secret; with none: `not_allowed`.
pub fn retire_previous(
    app: &AppState,
    tenant: &str,
    env: Environment,
    has_previous: bool,
    stamp: &Stamp,
) -> Result<Change> {
    let c = required(app, tenant, env)?;
    if !has_previous {
        return Err(Error::not_allowed(
            Some("tenant"),
            format!(
                "tenant {} in {env} has no previous secret to retire",
                c.tenant_id
            ),
        ));
    }
    let mut out = Change::none(app, stamp);
    out.connections
        .push(ConnectionWrite::RetirePrevious { id: c.id.clone() });
    record(
        &mut out,
        app,
        c,
        Action::RetirePrevious,
        "previous client secret retired",
    );
    Ok(out)
}

/// One live secret of a connection: its age, never its value unless revealed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct SecretAge {
    pub created_at: String,
    pub age_days: i64,
    /// The current secret (else the previous one, during a rotation).
    pub current: bool,
    /// Older than the policy's "rotate secrets older than N days".
    pub stale: bool,
    /// The value, only when revealed.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub value: Option<String>,
}

/// The policy as stored (a setting's text), or the default; a stored value
/// that is not a whole number of days from 1 is refused, naming the setting.
pub fn secret_max_age(stored: Option<&str>) -> Result<i64> {
    let Some(text) = stored else {
        return Ok(DEFAULT_SECRET_MAX_AGE_DAYS);
    };
    match text.trim().parse::<i64>() {
        Ok(days) if (1..=36_500).contains(&days) => Ok(days),
        _ => Err(Error::Invalid(vec![Problem::new(
            "rotateSecretsAfterDays",
            format!("{text:?} is not a number of days from 1 to 36500"),
        )])),
    }
}

/// The connection's live secrets, current first, each with its age in whole
/// days at `now` and whether it is older than `max_age_days`.
pub fn secret_ages(
    current: &str,
    previous: Option<&str>,
    now: &str,
    max_age_days: i64,
) -> Result<Vec<SecretAge>> {
    let now = instant(now, "now", "now")?;
    [(current, true)]
        .into_iter()
        .chain(previous.map(|p| (p, false)))
        .map(|(at, current)| {
            let age_days =
                super::days_between(instant(at, "connections", "secret_created_at")?, now);
            Ok(SecretAge {
                created_at: at.to_owned(),
                age_days,
                current,
                stale: age_days > max_age_days,
                value: None,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_secret_is_stale_only_past_the_policy() {
        let ages = secret_ages(
            "2026-01-01T00:00:00.000Z",
            Some("2025-06-01T00:00:00.000Z"),
            "2026-01-31T00:00:00.000Z",
            30,
        )
        .unwrap();
        assert_eq!(
            (ages[0].age_days, ages[0].stale, ages[0].current),
            (30, false, true)
        );
        assert_eq!(
            (ages[1].age_days, ages[1].stale, ages[1].current),
            (244, true, false)
        );
    }

    #[test]
    fn the_policy_defaults_to_180_days_and_refuses_nonsense() {
        assert_eq!(secret_max_age(None).unwrap(), 180);
        assert_eq!(secret_max_age(Some("30")).unwrap(), 30);
        for bad in ["0", "-5", "ten", ""] {
            assert!(secret_max_age(Some(bad)).is_err(), "{bad:?}");
        }
    }
}

//! Whether an app pulled from a portal may be stored here: the same rules as
//! local input, checked against THIS client's catalog (SYNC.md, "Quarantine,
//! not abort"). A portal is input: its apps and their version histories pass
//! R1 and R2 ([`validate::app`]), every version's scopes are in the catalog
//! and written in canonical form, and every version's `createdBy` and
//! `createdAt` pass the rules an imported history passes
//! ([`crate::exchange`]). An app that fails is kept aside by the caller, with
//! the reason this gives, and every other app goes on.
//!
//! **What must not go in here:** storage, HTTP, or a second copy of a rule:
//! each check calls the validation that local input goes through. The clock
//! is a parameter (`latest`), so a test fixes it.

use chrono::{DateTime, Utc};

use crate::catalog::Catalog;
use crate::error::Problem;
use crate::exchange::VersionRecord;
use crate::model::{AppInput, TenantEntry};
use crate::store::PortalApp;
use crate::sync::Snapshot;
use crate::validate;

/// Why a pulled app is not admitted: every problem found, each naming its
/// field (`scopes[0]`, `versions[2].createdBy`), joined for people.
pub type Reason = String;

/// `Ok` when `app` may be stored here as pulled; else why not. `latest` is
/// the latest time a version may carry (the clock plus the slack an import
/// allows: [`crate::exchange::history::FUTURE_SLACK_HOURS`]).
pub fn admit(app: &PortalApp, catalog: &Catalog, latest: DateTime<Utc>) -> Result<(), Reason> {
    let mut problems = snapshot_problems(&app.snapshot, catalog);
    if let Some(history) = &app.history {
        problems.extend(history_problems(history, app.version, catalog, latest));
    }
    if problems.is_empty() {
        return Ok(());
    }
    Err(problems
        .iter()
        .map(|p| format!("{}: {}", p.field, p.message))
        .collect::<Vec<_>>()
        .join("; "))
}

/// The latest time a version may carry, now.
pub fn latest_allowed() -> DateTime<Utc> {
    Utc::now() + chrono::Duration::hours(crate::exchange::history::FUTURE_SLACK_HOURS)
}

/// R1 and R2 on the app as the portal has it, and its scopes canonical.
fn snapshot_problems(s: &Snapshot, catalog: &Catalog) -> Vec<Problem> {
    let input = AppInput {
        name: s.name.clone(),
        organization: s.organization.clone(),
        homepage_url: s.homepage_url.clone(),
        audience: s.audience,
        credentials: s.credentials,
        tenants: s
            .tenants
            .iter()
            .map(|(id, note)| TenantEntry::new(id.clone(), note.clone()))
            .collect(),
        scopes: s.scopes.iter().cloned().collect(),
    };
    let mut problems = validate::app(&input, catalog).err().unwrap_or_default();
    let scopes: Vec<&String> = s.scopes.iter().collect();
    problems.extend(not_canonical(&scopes, "scopes"));
    problems
}

/// Each version: its number in sequence up to the app's version, its scopes
/// a valid canonical set, its `createdBy` a user stamp, its `createdAt` an
/// RFC 3339 UTC time not after `latest`.
fn history_problems(
    history: &[VersionRecord],
    version: i64,
    catalog: &Catalog,
    latest: DateTime<Utc>,
) -> Vec<Problem> {
    let mut problems = Vec::new();
    let first = history.first().map_or(version + 1, |v| v.version);
    for (i, v) in history.iter().enumerate() {
        let at = format!("versions[{i}]");
        if v.version != first + i as i64 || v.version > version {
            problems.push(Problem::new(
                format!("{at}.version"),
                format!(
                    "is {}: versions run on with no gap up to the app's version {version}",
                    v.version
                ),
            ));
        }
        if let Err(found) = validate::scope_selection(&v.scopes, catalog) {
            problems.extend(found.into_iter().map(|p| {
                let tail = p.field.strip_prefix("scopes").unwrap_or("").to_owned();
                Problem::new(format!("{at}.scopes{tail}"), p.message)
            }));
        }
        let scopes: Vec<&String> = v.scopes.iter().collect();
        problems.extend(not_canonical(&scopes, &format!("{at}.scopes")));
        if let Err(p) = validate::user_stamp(&v.created_by, &format!("{at}.createdBy")) {
            problems.push(p);
        }
        if let Err(message) = crate::exchange::history::time(&v.created_at, latest) {
            problems.push(Problem::new(format!("{at}.createdAt"), message));
        }
    }
    if history.last().is_some_and(|v| v.version != version) {
        problems.push(Problem::new(
            "versions",
            format!("does not end at the app's version {version}"),
        ));
    }
    problems
}

/// Scope strings that are not written as this client stores them (one scope
/// each, `name:r` or `name:w`, sorted, unique): a problem naming the first.
fn not_canonical(scopes: &[&String], field: &str) -> Option<Problem> {
    let canonical = crate::scope::canonical_strings(scopes);
    let written: Vec<&str> = scopes.iter().map(|s| s.as_str()).collect();
    (canonical != written).then(|| {
        Problem::new(
            field,
            format!(
                "{} is not in canonical form ({})",
                validate::escaped(&written.join(" "), false),
                validate::escaped(&canonical.join(" "), false)
            ),
        )
    })
}

#[cfg(test)]
#[path = "admit_tests.rs"]
mod tests;

//! An imported app's version history, checked by the rules live data obeys
//! (R5, R6) instead of being trusted as written:
//!
//! - versions run 1, 2, 3, … with no gap;
//! - each version's scopes are a valid, non-empty scope set (R1, R2), stored in
//!   canonical form (`:rw` expanded, sorted, unique), as a live save stores it,
//!   so that a re-export gives back the same bytes;
//! - two versions in a row differ (a save that changes nothing makes no version);
//! - `createdAt` is UTC (`Z` or `+00:00`) and not in the future (a day of
//!   slack for the clock of the machine that exported it); it is stored in the
//!   store's own format. Times are not required to rise from one version to the
//!   next: live data does not promise it (a clock set back while the app was
//!   in use), and an Appdesk export must always import;
//! - `createdBy` is a user stamp ([`validate::user_stamp`]);
//! - the last version is the app's version and has the app's scopes.

use chrono::{DateTime, SecondsFormat, Utc};
use serde_json::Value;

use super::VersionRecord;
use super::document::{Reader, kind};
use crate::catalog::Catalog;
use crate::scope::ScopeSet;
use crate::validate;

/// How far past this machine's clock a version's time may be: the exporting
/// machine's clock may be ahead of this one, but not by more than a day.
pub const FUTURE_SLACK_HOURS: i64 = 24;

const VERSION_FIELDS: &[&str] = &["version", "scopes", "createdAt", "createdBy"];

/// The history at `path`, canonical, or `None` when it is not an array or is
/// empty. Problems go to `r`.
pub(super) fn read(
    r: &mut Reader,
    v: &Value,
    path: &str,
    catalog: &Catalog,
) -> Option<Vec<VersionRecord>> {
    let Some(items) = v.as_array() else {
        r.problem(
            path,
            format!("must be an array of versions, not {}", kind(v)),
        );
        return None;
    };
    let latest_allowed = Utc::now() + chrono::Duration::hours(FUTURE_SLACK_HOURS);
    let mut out: Vec<VersionRecord> = Vec::new();
    // The scope set of the version before, when it was valid.
    let mut previous: Option<ScopeSet> = None;
    for (i, item) in items.iter().enumerate() {
        let at = format!("{path}[{i}]");
        let Some(obj) = r.object(item, &at, VERSION_FIELDS) else {
            previous = None;
            continue;
        };
        let number = i as i64 + 1;
        if obj.get("version").and_then(Value::as_i64) != Some(number) {
            r.problem(
                format!("{at}.version"),
                format!("must be {number} (versions run 1, 2, 3, …)"),
            );
        }
        let written = r.strings(obj.get("scopes"), &format!("{at}.scopes"));
        let scopes = scope_set(r, &written, &format!("{at}.scopes"), catalog);
        let created_at = r.string(obj, &at, "createdAt", true).and_then(|text| {
            time(&text, latest_allowed)
                .map_err(|message| r.problem(format!("{at}.createdAt"), message))
                .ok()
        });
        let created_by = r.string(obj, &at, "createdBy", true).and_then(|text| {
            validate::user_stamp(&text, &format!("{at}.createdBy"))
                .map_err(|p| r.problem(p.field, p.message))
                .ok()
        });
        if let (Some(before), Some(now)) = (&previous, &scopes)
            && before == now
        {
            r.problem(
                format!("{at}.scopes"),
                format!(
                    "the same scopes as version {}; a save that changes no scope \
                     makes no version",
                    number - 1
                ),
            );
        }
        out.push(VersionRecord {
            version: number,
            scopes: scopes.as_ref().map_or(written, ScopeSet::to_strings),
            created_at: created_at.map(stamp_time).unwrap_or_default(),
            created_by: created_by.unwrap_or_default(),
        });
        previous = scopes;
    }
    if out.is_empty() {
        r.problem(path, "a history has at least version 1");
        return None;
    }
    Some(out)
}

/// The last version must be the app's `version` and hold the app's `scopes`
/// (canonical strings).
pub(super) fn check_against_app(
    r: &mut Reader,
    history: &[VersionRecord],
    version: Option<i64>,
    scopes: &[String],
    path: &str,
) {
    let Some(last) = history.last() else {
        return;
    };
    if version.is_some_and(|v| v != last.version) {
        r.problem(
            format!("{path}.version"),
            format!("the history ends at version {}", last.version),
        );
    }
    if last.scopes != scopes {
        r.problem(
            format!("{path}.history[{}].scopes", history.len() - 1),
            "the last version's scopes differ from the app's scopes",
        );
    }
}

/// A version's scopes as a checked set, or `None` (with the problems reported
/// at `path[j]`).
fn scope_set(
    r: &mut Reader,
    written: &[String],
    path: &str,
    catalog: &Catalog,
) -> Option<ScopeSet> {
    match validate::scope_selection(written, catalog) {
        Ok(set) => Some(set),
        Err(problems) => {
            for p in problems {
                // `validate` names the field `scopes` / `scopes[j]`.
                let tail = p.field.strip_prefix("scopes").unwrap_or("");
                r.problem(format!("{path}{tail}"), p.message);
            }
            None
        }
    }
}

/// A version's time: RFC 3339, UTC, not after `latest`.
pub(crate) fn time(text: &str, latest: DateTime<Utc>) -> Result<DateTime<Utc>, String> {
    let parsed = DateTime::parse_from_rfc3339(text)
        .map_err(|_| format!("{text:?} is not an RFC 3339 time"))?;
    if parsed.offset().local_minus_utc() != 0 {
        return Err(format!(
            "{text:?} is not UTC; times are written in UTC (ending in Z)"
        ));
    }
    let at = parsed.with_timezone(&Utc);
    if at > latest {
        return Err(format!(
            "{text:?} is in the future (this machine's clock says {})",
            stamp_time(Utc::now())
        ));
    }
    Ok(at)
}

/// A time as the store writes it (`store::now`): milliseconds, `Z`.
fn stamp_time(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(SecondsFormat::Millis, true)
}

//! The rules of R1, R2 and R7 as pure functions: each check returns every
//! problem it finds, naming the field, so that creating a draft can report all of
//! them at once (R3).

use std::collections::BTreeMap;

use url::Url;

use crate::catalog::Catalog;
use crate::error::Problem;
use crate::model::{AppInput, Audience, Credentials, TenantEntry};
use crate::scope::ScopeSet;

pub const NAME_MAX: usize = 120;
pub const ORGANIZATION_MAX: usize = 120;
pub const URL_MAX: usize = 250;
pub const TENANTS_MAX: usize = 200;
pub const NOTE_MAX: usize = 4000;
/// Real tenant ids have 4 to 10 digits; leave headroom, but bound the input.
pub const TENANT_ID_MAX: usize = 20;

/// An app that passed R1 and R2: trimmed text, a checked scope set, tenants
/// sorted and unique.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidApp {
    pub name: String,
    pub organization: String,
    pub homepage_url: String,
    pub audience: Audience,
    pub credentials: Credentials,
    pub tenants: Vec<TenantEntry>,
    pub scopes: ScopeSet,
}

pub fn app(input: &AppInput, catalog: &Catalog) -> Result<ValidApp, Vec<Problem>> {
    let mut problems = Vec::new();
    let name = text(&input.name, "name", "Name", NAME_MAX, &mut problems);
    let organization = text(
        &input.organization,
        "organization",
        "Organization",
        ORGANIZATION_MAX,
        &mut problems,
    );
    let homepage_url = homepage_url(&input.homepage_url).unwrap_or_else(|p| {
        problems.push(p);
        String::new()
    });
    let tenants = tenant_list(&input.tenants).unwrap_or_else(|mut p| {
        problems.append(&mut p);
        Vec::new()
    });
    let scopes = scope_selection(&input.scopes, catalog).unwrap_or_else(|mut p| {
        problems.append(&mut p);
        ScopeSet::new()
    });
    if problems.is_empty() {
        Ok(ValidApp {
            name,
            organization,
            homepage_url,
            audience: input.audience,
            credentials: input.credentials,
            tenants,
            scopes,
        })
    } else {
        Err(problems)
    }
}

fn text(value: &str, field: &str, label: &str, max: usize, out: &mut Vec<Problem>) -> String {
    match required_text(value, field, label, max) {
        Ok(v) => v,
        Err(p) => {
            out.push(p);
            String::new()
        }
    }
}

/// A required text field: trimmed, 1 to `max` characters.
pub fn required_text(value: &str, field: &str, label: &str, max: usize) -> Result<String, Problem> {
    let trimmed = value.trim();
    let len = trimmed.chars().count();
    if len == 0 {
        Err(Problem::new(field, format!("{label} is required")))
    } else if len > max {
        Err(Problem::new(
            field,
            format!("{label} is {len} characters; at most {max} are allowed"),
        ))
    } else {
        Ok(trimmed.to_owned())
    }
}

pub fn name(value: &str) -> Result<String, Problem> {
    required_text(value, "name", "Name", NAME_MAX)
}

pub fn organization(value: &str) -> Result<String, Problem> {
    required_text(value, "organization", "Organization", ORGANIZATION_MAX)
}

/// A user stamp (R10: who made a change), as an imported history carries it:
/// one line of text, not empty. Control characters (a newline, an escape
/// sequence that would repaint a terminal) are refused. The one place where a
/// stamp's text rule lives: a stricter single-line rule tightens it here.
pub fn user_stamp(value: &str, field: &str) -> Result<String, Problem> {
    let trimmed = value.trim();
    if trimmed.is_empty() {
        return Err(Problem::new(field, "the user stamp is empty"));
    }
    if let Some(c) = trimmed.chars().find(|c| c.is_control()) {
        return Err(Problem::new(
            field,
            format!(
                "the user stamp {trimmed:?} holds the control character U+{:04X}",
                c as u32
            ),
        ));
    }
    Ok(trimmed.to_owned())
}

/// An absolute http or https URL of at most 250 characters.
pub fn homepage_url(value: &str) -> Result<String, Problem> {
    const FIELD: &str = "homepageUrl";
    let trimmed = value.trim();
    if trimmed.is_empty() {
        return Err(Problem::new(FIELD, "Homepage URL is required"));
    }
    let len = trimmed.chars().count();
    if len > URL_MAX {
        return Err(Problem::new(
            FIELD,
            format!("Homepage URL is {len} characters; at most {URL_MAX} are allowed"),
        ));
    }
    match Url::parse(trimmed) {
        Ok(url) if matches!(url.scheme(), "http" | "https") && url.host().is_some() => {
            Ok(trimmed.to_owned())
        }
        Ok(url) if !matches!(url.scheme(), "http" | "https") => Err(Problem::new(
            FIELD,
            format!(
                "Homepage URL must start with http:// or https://, not {}:",
                url.scheme()
            ),
        )),
        Ok(_) => Err(Problem::new(FIELD, "Homepage URL has no host")),
        Err(e) => Err(Problem::new(
            FIELD,
            format!("Homepage URL {trimmed:?} is not an absolute URL ({e})"),
        )),
    }
}

/// A tenant id: ASCII digits only (R7).
pub fn tenant_id(value: &str, field: &str) -> Result<String, Problem> {
    let id = value.trim();
    if id.is_empty() {
        Err(Problem::new(field, "Tenant ID is required"))
    } else if !id.bytes().all(|b| b.is_ascii_digit()) {
        Err(Problem::new(
            field,
            format!("Tenant ID {id:?} must be digits only"),
        ))
    } else if id.len() > TENANT_ID_MAX {
        Err(Problem::new(
            field,
            format!(
                "Tenant ID {id:?} has {} digits; at most {TENANT_ID_MAX}",
                id.len()
            ),
        ))
    } else {
        Ok(id.to_owned())
    }
}

pub fn tenant_note(value: &str, field: &str) -> Result<String, Problem> {
    let len = value.chars().count();
    if len > NOTE_MAX {
        Err(Problem::new(
            field,
            format!("Tenant note is {len} characters; at most {NOTE_MAX} are allowed"),
        ))
    } else {
        Ok(value.to_owned())
    }
}

/// Each entry well formed, no id twice. Does not check the count (see
/// [`tenant_count`]), so that it also serves additions to an existing list.
pub fn tenant_entries(
    tenants: &[TenantEntry],
    field: &str,
) -> Result<Vec<TenantEntry>, Vec<Problem>> {
    let mut problems = Vec::new();
    let mut seen = BTreeMap::new();
    for (i, entry) in tenants.iter().enumerate() {
        let id = tenant_id(&entry.id, &format!("{field}[{i}].id"));
        let note = tenant_note(&entry.note, &format!("{field}[{i}].note"));
        match (id, note) {
            (Ok(id), Ok(note)) => {
                if seen.insert(id.clone(), note).is_some() {
                    problems.push(Problem::new(
                        format!("{field}[{i}].id"),
                        format!("Tenant ID {id} is listed twice"),
                    ));
                }
            }
            (id, note) => problems.extend(id.err().into_iter().chain(note.err())),
        }
    }
    if problems.is_empty() {
        Ok(seen
            .into_iter()
            .map(|(id, note)| TenantEntry { id, note })
            .collect())
    } else {
        Err(problems)
    }
}

/// 1 to 200 tenants (R1).
pub fn tenant_count(count: usize) -> Result<(), Problem> {
    if count == 0 {
        Err(Problem::new(
            "tenants",
            "At least one tenant ID is required",
        ))
    } else if count > TENANTS_MAX {
        Err(Problem::new(
            "tenants",
            format!("{count} tenant IDs; at most {TENANTS_MAX} are allowed"),
        ))
    } else {
        Ok(())
    }
}

fn tenant_list(tenants: &[TenantEntry]) -> Result<Vec<TenantEntry>, Vec<Problem>> {
    let list = tenant_entries(tenants, "tenants")?;
    tenant_count(list.len()).map_err(|p| vec![p])?;
    Ok(list)
}

/// At least one scope, each in the catalog with an access it allows (R1, R2).
pub fn scope_selection<S: AsRef<str>>(
    scopes: &[S],
    catalog: &Catalog,
) -> Result<ScopeSet, Vec<Problem>> {
    let set = ScopeSet::parse_checked(scopes, catalog, "scopes")?;
    if set.is_empty() {
        return Err(vec![Problem::new(
            "scopes",
            "Choose at least one API scope",
        )]);
    }
    Ok(set)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn good() -> AppInput {
        AppInput {
            name: "  Dispatch Board ".into(),
            organization: "Acme HVAC".into(),
            homepage_url: "https://acme.example/apps".into(),
            tenants: vec![
                TenantEntry::new("9876543210123", "HQ"),
                TenantEntry::new("1234", ""),
            ],
            scopes: vec!["tn.dis.capacity:w".into(), "tn.crm.customers:rw".into()],
            ..AppInput::default()
        }
    }

    #[test]
    fn a_good_app_is_trimmed_sorted_and_keeps_big_tenant_ids() {
        let valid = app(&good(), &Catalog::embedded()).unwrap();
        assert_eq!(valid.name, "Dispatch Board");
        assert_eq!(valid.tenants[0].id, "1234");
        assert_eq!(valid.tenants[1].id, "9876543210123");
        assert_eq!(valid.scopes.len(), 3);
        assert_eq!(valid.audience, Audience::Private);
        assert_eq!(valid.credentials, Credentials::Tenant);
    }

    #[test]
    fn every_problem_is_reported_at_once_each_naming_its_field() {
        let input = AppInput {
            name: "   ".into(),
            organization: "x".repeat(121),
            homepage_url: "ftp://acme.example".into(),
            tenants: vec![
                TenantEntry::new("12a", ""),
                TenantEntry::new("55", "n".repeat(4001)),
            ],
            scopes: vec![],
            ..AppInput::default()
        };
        let problems = app(&input, &Catalog::embedded()).unwrap_err();
        let fields: Vec<&str> = problems.iter().map(|p| p.field.as_str()).collect();
        assert_eq!(
            fields,
            vec![
                "name",
                "organization",
                "homepageUrl",
                "tenants[0].id",
                "tenants[1].note",
                "scopes"
            ]
        );
    }

    #[test]
    fn url_rules() {
        assert!(homepage_url("http://localhost:8080/x").is_ok());
        assert!(
            homepage_url("acme.example")
                .unwrap_err()
                .message
                .contains("not an absolute URL")
        );
        assert!(
            homepage_url("mailto:a@b.c")
                .unwrap_err()
                .message
                .contains("http")
        );
        let long = format!("https://a.example/{}", "p".repeat(240));
        assert!(
            homepage_url(&long)
                .unwrap_err()
                .message
                .contains("at most 250")
        );
    }

    #[test]
    fn tenant_rules() {
        let dup = [TenantEntry::new("12", ""), TenantEntry::new(" 12", "")];
        assert!(
            tenant_entries(&dup, "tenants").unwrap_err()[0]
                .message
                .contains("twice")
        );
        assert!(tenant_count(0).is_err());
        assert!(tenant_count(200).is_ok());
        assert!(tenant_count(201).is_err());
        assert!(
            tenant_id("１２３", "t").is_err(),
            "non-ASCII digits are refused"
        );
        assert!(tenant_id(&"9".repeat(21), "t").is_err());
    }
}

//! Resolving a stored conflict (`appdesk conflicts resolve`): which field a
//! conflict names, and what the chosen value asks of the app. Pure, so the
//! mapping from a conflict's field to a local change or to an intent lives in
//! one place; the store applies it through the decisions.

use super::intent::Intent;
use crate::error::{Error, Result};
use crate::model::{AppEdit, TenantEntry};

/// Which value a resolution keeps.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Take {
    /// The local value: pushed on the next sync.
    Mine,
    /// The portal's value: the local app takes it, nothing is pushed.
    Theirs,
    /// Another value, applied locally and pushed.
    Value(String),
}

impl Take {
    pub fn as_str(&self) -> &'static str {
        match self {
            Take::Mine => "mine",
            Take::Theirs => "theirs",
            Take::Value(_) => "value",
        }
    }
}

/// The part of an app a conflict is about (see [`super::Conflict::field`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Field {
    Name,
    Organization,
    HomepageUrl,
    Audience,
    Credentials,
    Scope(String),
    /// A tenant's membership and note.
    Tenant(String),
    /// The app itself: deleted on one side, edited on the other.
    App,
}

impl Field {
    /// Reads a conflict's field name; an unknown one names `field`.
    pub fn parse(text: &str) -> Result<Field> {
        let inner = |prefix: &str| {
            text.strip_prefix(prefix)
                .and_then(|rest| rest.strip_suffix(']'))
                .filter(|inside| !inside.is_empty())
                .map(str::to_owned)
        };
        Ok(match text {
            "name" => Field::Name,
            "organization" => Field::Organization,
            "homepageUrl" => Field::HomepageUrl,
            "audience" => Field::Audience,
            "credentials" => Field::Credentials,
            "app" => Field::App,
            _ => match (inner("scopes["), inner("tenants[")) {
                (Some(scope), _) => Field::Scope(scope),
                (_, Some(tenant)) => Field::Tenant(tenant),
                _ => {
                    return Err(Error::invalid(
                        "field",
                        format!(
                            "{text:?} is not a conflict field (name, organization, homepageUrl, \
                             audience, credentials, scopes[SCOPE], tenants[ID], app)"
                        ),
                    ));
                }
            },
        })
    }

    /// Whether `--value` can stand for this field: a scalar or a tenant's note
    /// (a scope is there or not, an app is deleted or not: take a side).
    pub fn takes_a_value(&self) -> bool {
        !matches!(self, Field::Scope(_) | Field::App)
    }
}

/// The intent that gives `field` the value `value` (`None`: absent); `None`
/// when the app is simply kept (the side that has it wins). The store applies
/// it locally through the decisions, or queues it as it is (taking *mine*).
/// A text that does not parse as an audience or credentials names `value`;
/// the other field rules are the decisions' (R1), checked when applied.
pub fn intent_for(field: &Field, value: Option<&str>) -> Result<Option<Intent>> {
    let text = || -> Result<String> {
        value
            .map(str::to_owned)
            .ok_or_else(|| Error::invalid("value", "this field cannot be absent"))
    };
    let edit = |fields: AppEdit| Intent::Fields { fields };
    Ok(Some(match field {
        Field::Name => edit(AppEdit {
            name: Some(text()?),
            ..AppEdit::default()
        }),
        Field::Organization => edit(AppEdit {
            organization: Some(text()?),
            ..AppEdit::default()
        }),
        Field::HomepageUrl => edit(AppEdit {
            homepage_url: Some(text()?),
            ..AppEdit::default()
        }),
        Field::Audience => edit(AppEdit {
            audience: Some(text()?.parse().map_err(|e| Error::invalid("value", e))?),
            ..AppEdit::default()
        }),
        Field::Credentials => edit(AppEdit {
            credentials: Some(text()?.parse().map_err(|e| Error::invalid("value", e))?),
            ..AppEdit::default()
        }),
        Field::Scope(scope) => {
            let one = vec![scope.clone()];
            match value {
                Some(_) => Intent::Scopes {
                    add: one,
                    remove: Vec::new(),
                },
                None => Intent::Scopes {
                    add: Vec::new(),
                    remove: one,
                },
            }
        }
        Field::Tenant(id) => match value {
            Some(note) => Intent::Tenants {
                add: vec![TenantEntry::new(id.clone(), note)],
                remove: Vec::new(),
            },
            None => Intent::Tenants {
                add: Vec::new(),
                remove: vec![id.clone()],
            },
        },
        Field::App => match value {
            Some(_) => return Ok(None),
            None => Intent::Delete,
        },
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_field_a_merge_names_parses_and_others_name_field() {
        for (text, field) in [
            ("name", Field::Name),
            ("homepageUrl", Field::HomepageUrl),
            (
                "scopes[tn.crm.customers:r]",
                Field::Scope("tn.crm.customers:r".into()),
            ),
            ("tenants[1234]", Field::Tenant("1234".into())),
            ("app", Field::App),
        ] {
            assert_eq!(Field::parse(text).unwrap(), field);
        }
        for bad in ["", "Name", "scopes[]", "tenants[1", "revision"] {
            let err = Field::parse(bad).unwrap_err();
            assert_eq!(err.body().field.as_deref(), Some("field"), "{bad:?}");
        }
    }

    #[test]
    fn a_value_that_is_not_an_audience_names_value() {
        let err = intent_for(&Field::Audience, Some("everyone")).unwrap_err();
        assert_eq!(err.body().field.as_deref(), Some("value"));
        assert_eq!(intent_for(&Field::App, None).unwrap(), Some(Intent::Delete));
        assert_eq!(intent_for(&Field::App, Some("Board")).unwrap(), None);
    }
}

//! Checking one JSON document into an [`AppDocument`]: every field, by the
//! same rules as live data (R1, R2 through `validate`), every problem reported
//! with its JSON path. A created app's history is checked in [`super::history`].

use serde_json::{Map, Value};

use super::{AppDocument, FORMAT_V1, history};
use crate::catalog::Catalog;
use crate::model::{AppInput, AppStatus, Audience, Credentials, TenantEntry};
use crate::validate;

/// The document at `path` (or `None` when it is not even an object), and
/// every problem found in it as (JSON path, message).
pub(super) fn read(
    v: &Value,
    path: &str,
    catalog: &Catalog,
) -> (Option<AppDocument>, Vec<(String, String)>) {
    let mut reader = Reader {
        problems: Vec::new(),
    };
    let doc = reader.document(v, path, catalog);
    (doc, reader.problems)
}

pub(super) struct Reader {
    problems: Vec<(String, String)>,
}

const DOC_FIELDS: &[&str] = &[
    "format",
    "id",
    "status",
    "name",
    "organization",
    "homepageUrl",
    "audience",
    "credentials",
    "appKey",
    "version",
    "scopes",
    "tenants",
    "history",
];

impl Reader {
    pub(super) fn problem(&mut self, path: impl Into<String>, message: impl Into<String>) {
        self.problems.push((path.into(), message.into()));
    }

    pub(super) fn object<'v>(
        &mut self,
        v: &'v Value,
        path: &str,
        known: &[&str],
    ) -> Option<&'v Map<String, Value>> {
        let Some(obj) = v.as_object() else {
            self.problem(path, format!("must be an object, not {}", kind(v)));
            return None;
        };
        for key in obj.keys().filter(|k| !known.contains(&k.as_str())) {
            self.problem(format!("{path}.{key}"), format!("unknown field {key:?}"));
        }
        Some(obj)
    }

    pub(super) fn string(
        &mut self,
        obj: &Map<String, Value>,
        path: &str,
        key: &str,
        required: bool,
    ) -> Option<String> {
        match obj.get(key) {
            None if required => {
                self.problem(path, format!("missing field {key:?}"));
                None
            }
            None => None,
            Some(Value::String(s)) => Some(s.clone()),
            Some(other) => {
                self.problem(
                    format!("{path}.{key}"),
                    format!("must be a string, not {}", kind(other)),
                );
                None
            }
        }
    }

    fn choice<T: std::str::FromStr<Err = String>>(
        &mut self,
        obj: &Map<String, Value>,
        path: &str,
        key: &str,
    ) -> Option<T> {
        let text = self.string(obj, path, key, false)?;
        text.parse()
            .map_err(|e: String| self.problem(format!("{path}.{key}"), e))
            .ok()
    }

    pub(super) fn strings(&mut self, v: Option<&Value>, path: &str) -> Vec<String> {
        match v {
            None => {
                self.problem(path, "missing");
                vec![]
            }
            Some(Value::Array(items)) => items
                .iter()
                .enumerate()
                .filter_map(|(i, item)| match item {
                    Value::String(s) => Some(s.clone()),
                    other => {
                        self.problem(
                            format!("{path}[{i}]"),
                            format!("must be a string, not {}", kind(other)),
                        );
                        None
                    }
                })
                .collect(),
            Some(other) => {
                self.problem(
                    path,
                    format!("must be an array of strings, not {}", kind(other)),
                );
                vec![]
            }
        }
    }

    fn document(&mut self, v: &Value, path: &str, catalog: &Catalog) -> Option<AppDocument> {
        let obj = self.object(v, path, DOC_FIELDS)?;
        match self.string(obj, path, "format", true) {
            Some(f) if f == FORMAT_V1 => {}
            Some(f) => self.problem(
                format!("{path}.format"),
                format!("format {f:?} is not one this Appdesk reads ({FORMAT_V1})"),
            ),
            None => {}
        }
        let id = self.string(obj, path, "id", false).unwrap_or_default();
        if !id.is_empty() && uuid::Uuid::parse_str(&id).is_err() {
            self.problem(format!("{path}.id"), format!("{id:?} is not a UUID"));
        }
        let status: AppStatus = self
            .choice(obj, path, "status")
            .unwrap_or(AppStatus::Created);
        let name = self.string(obj, path, "name", true).unwrap_or_default();
        let organization = self
            .string(obj, path, "organization", true)
            .unwrap_or_default();
        let mut homepage_url = self
            .string(obj, path, "homepageUrl", true)
            .unwrap_or_default();
        let audience: Audience = self.choice(obj, path, "audience").unwrap_or_default();
        let credentials: Credentials = self.choice(obj, path, "credentials").unwrap_or_default();
        let app_key = self.string(obj, path, "appKey", false);
        let version = match obj.get("version") {
            None => None,
            Some(Value::Number(n)) if n.as_i64().is_some_and(|v| v >= 1) => n.as_i64(),
            Some(other) => {
                self.problem(
                    format!("{path}.version"),
                    format!("must be a whole number from 1, not {other}"),
                );
                None
            }
        };
        let mut scopes = self.strings(obj.get("scopes"), &format!("{path}.scopes"));
        let mut tenants = self.tenants(obj.get("tenants"), &format!("{path}.tenants"));
        let history = obj
            .get("history")
            .and_then(|h| history::read(self, h, &format!("{path}.history"), catalog));

        // The fields as the file has them, in its order, for the rules to check.
        let input = AppInput {
            name: name.clone(),
            organization: organization.clone(),
            homepage_url: homepage_url.clone(),
            audience,
            credentials,
            tenants: tenants.clone(),
            scopes: scopes.clone(),
        };
        if status == AppStatus::Created {
            match validate::app(&input, catalog) {
                Err(found) => found
                    .into_iter()
                    .for_each(|p| self.problem(format!("{path}.{}", p.field), p.message)),
                Ok(valid) => {
                    scopes = valid.scopes.to_strings();
                    tenants = valid.tenants;
                    // The URL as it will be stored, so that a plan compares like
                    // with like.
                    homepage_url = valid.homepage_url;
                }
            }
            if let Some(key) = &app_key
                && !crate::secrets::is_app_key(key)
            {
                self.problem(
                    format!("{path}.appKey"),
                    format!("{key:?} is not an app key (ak1. and 25 of a-z, 0-9)"),
                );
            }
            if let Some(history) = &history {
                history::check_against_app(self, history, version, &scopes, path);
            }
        } else {
            for (field, present) in [
                ("appKey", app_key.is_some()),
                ("version", version.is_some()),
                ("history", history.is_some()),
            ] {
                if present {
                    self.problem(format!("{path}.{field}"), format!("a draft has no {field}"));
                }
            }
            // The rule a draft saved by hand obeys (no control character, no
            // name shaped like a key or id), checked here so that the plan
            // refuses it where it is, before the indices are sorted away.
            if let Err(found) = validate::draft_text(&input) {
                found
                    .into_iter()
                    .for_each(|p| self.problem(format!("{path}.{}", p.field), p.message));
            }
            scopes.sort();
            scopes.dedup();
            tenants.sort_by(|a, b| a.id.cmp(&b.id));
        }
        let version =
            version.or_else(|| history.as_ref().and_then(|h| h.last()).map(|v| v.version));
        Some(AppDocument {
            format: FORMAT_V1.into(),
            id,
            status,
            name: if status == AppStatus::Created {
                name.trim().to_owned()
            } else {
                name
            },
            organization: if status == AppStatus::Created {
                organization.trim().to_owned()
            } else {
                organization
            },
            homepage_url: if status == AppStatus::Created {
                homepage_url.trim().to_owned()
            } else {
                homepage_url
            },
            audience,
            credentials,
            app_key,
            version: if status == AppStatus::Created {
                version
            } else {
                None
            },
            scopes,
            tenants,
            history,
        })
    }

    fn tenants(&mut self, v: Option<&Value>, path: &str) -> Vec<TenantEntry> {
        let Some(v) = v else {
            self.problem(path, "missing");
            return vec![];
        };
        let Some(items) = v.as_array() else {
            self.problem(
                path,
                format!("must be an array of {{id, note}}, not {}", kind(v)),
            );
            return vec![];
        };
        let mut out = Vec::new();
        for (i, item) in items.iter().enumerate() {
            let at = format!("{path}[{i}]");
            let Some(obj) = self.object(item, &at, &["id", "note"]) else {
                continue;
            };
            let id = self.string(obj, &at, "id", true);
            let note = self.string(obj, &at, "note", false).unwrap_or_default();
            if let Some(id) = id {
                out.push(TenantEntry { id, note });
            }
        }
        out
    }
}

pub(super) fn kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

//! App definition files (DESIGN §3): the `appdesk.app/v1` JSON document, its
//! deterministic rendering, the portal's save payload, and the parsing and
//! validation of files to import.
//!
//! Nothing here touches the database: the store reads documents out
//! (`Store::export_documents`) and plans and applies imports
//! (`Store::import_paths`). Files are written only by [`write_folder`] and
//! [`write_file`], which never write through a symlink (see `write.rs`). A client secret has no field
//! in any type of this module, so no export can carry one.

mod decode;
mod document;
pub(crate) mod history;
pub mod locate;
mod parse;
mod read;
mod write;

use serde::{Deserialize, Serialize};

use crate::model::{AppStatus, Audience, Credentials, TenantEntry};

pub(crate) use decode::decode as decode_json;
pub use history::FUTURE_SLACK_HOURS;
pub use parse::{FileProblem, ParsedDocument, ParsedFile, SourceFile, parse_files};
pub use read::{read_paths, read_paths_with};
pub use write::{write_bytes, write_file, write_folder, write_text};

/// The format marker of version 1 of the document.
pub const FORMAT_V1: &str = "appdesk.app/v1";

/// Files larger than this are refused: at most this many bytes (and one more,
/// to see that there are more) are read, whatever size the file system reports.
pub const MAX_FILE_BYTES: u64 = 16 * 1024 * 1024;

/// One app as a file. Field order here is the key order in the file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AppDocument {
    pub format: String,
    pub id: String,
    pub status: AppStatus,
    pub name: String,
    pub organization: String,
    pub homepage_url: String,
    pub audience: Audience,
    pub credentials: Credentials,
    /// Created apps only.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub app_key: Option<String>,
    /// Created apps only: the current version.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub version: Option<i64>,
    /// Sorted, in the portal's string form.
    pub scopes: Vec<String>,
    /// Sorted by tenant id.
    pub tenants: Vec<TenantEntry>,
    /// With `--history`: every version, oldest first.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub history: Option<Vec<VersionRecord>>,
}

/// One version as a file holds it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct VersionRecord {
    pub version: i64,
    pub scopes: Vec<String>,
    pub created_at: String,
    pub created_by: String,
}

/// The developer portal's own save payload (`--format portal`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PortalPayload {
    pub name: String,
    pub organization_name: String,
    pub homepage_url: String,
    pub auth_scopes: Vec<String>,
    pub app_availability_list: Vec<PortalTenant>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PortalTenant {
    pub resource_owner: String,
    pub note: String,
}

/// Which document an export writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "lowercase")]
pub enum ExportFormat {
    #[default]
    Appdesk,
    Portal,
}

impl std::str::FromStr for ExportFormat {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s {
            "appdesk" => Ok(ExportFormat::Appdesk),
            "portal" => Ok(ExportFormat::Portal),
            other => Err(format!("{other:?} is not a format; use appdesk or portal")),
        }
    }
}

impl From<&AppDocument> for PortalPayload {
    fn from(doc: &AppDocument) -> Self {
        PortalPayload {
            name: doc.name.clone(),
            organization_name: doc.organization.clone(),
            homepage_url: doc.homepage_url.clone(),
            auth_scopes: doc.scopes.clone(),
            app_availability_list: doc
                .tenants
                .iter()
                .map(|t| PortalTenant {
                    resource_owner: t.id.clone(),
                    note: t.note.clone(),
                })
                .collect(),
        }
    }
}

/// The bytes of a document: two-space indent, UTF-8, trailing newline. The
/// same document always gives the same bytes.
pub fn render(doc: &AppDocument, format: ExportFormat) -> String {
    match format {
        ExportFormat::Appdesk => pretty(doc),
        ExportFormat::Portal => pretty(&PortalPayload::from(doc)),
    }
}

/// Many documents as one JSON array (`export --all` to standard output).
pub fn render_all(docs: &[AppDocument], format: ExportFormat) -> String {
    match format {
        ExportFormat::Appdesk => pretty(&docs),
        ExportFormat::Portal => pretty(&docs.iter().map(PortalPayload::from).collect::<Vec<_>>()),
    }
}

fn pretty<T: Serialize + ?Sized>(value: &T) -> String {
    // Serializing plain structs of strings and numbers cannot fail.
    let mut text = serde_json::to_string_pretty(value).unwrap_or_default();
    text.push('\n');
    text
}

/// The file name of a document in an exported folder: a slug of the name plus
/// the end of the app's id, so that two apps of the same name never collide and
/// a renamed app keeps its suffix.
pub fn file_name(doc: &AppDocument) -> String {
    let mut slug = String::new();
    for c in doc.name.chars().flat_map(char::to_lowercase) {
        if c.is_ascii_alphanumeric() {
            slug.push(c);
        } else if !slug.is_empty() && !slug.ends_with('-') {
            slug.push('-');
        }
        if slug.len() >= 48 {
            break;
        }
    }
    let slug = slug.trim_end_matches('-');
    let slug = if slug.is_empty() { "app" } else { slug };
    let tail: String = doc.id.chars().filter(char::is_ascii_alphanumeric).collect();
    let short = &tail[tail.len().saturating_sub(8)..];
    format!("{slug}-{short}.json")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(name: &str, id: &str) -> AppDocument {
        AppDocument {
            format: FORMAT_V1.into(),
            id: id.into(),
            status: AppStatus::Created,
            name: name.into(),
            organization: "Acme".into(),
            homepage_url: "https://acme.example".into(),
            audience: Audience::Private,
            credentials: Credentials::Tenant,
            app_key: Some("ak1.aaaaaaaaaaaaaaaaaaaaaaaaa".into()),
            version: Some(2),
            scopes: vec!["tn.crm.customers:r".into()],
            tenants: vec![TenantEntry::new("1234", "HQ")],
            history: None,
        }
    }

    #[test]
    fn file_names_are_stable_slugs_with_a_short_id() {
        let id = "0192f0a0-0000-7000-8000-00000000abcd";
        assert_eq!(
            file_name(&doc("Dispatch Board (v2)!", id)),
            "dispatch-board-v2-0000abcd.json"
        );
        assert_eq!(file_name(&doc("日本", id)), "app-0000abcd.json");
        assert_eq!(file_name(&doc("  ", id)), "app-0000abcd.json");
    }

    #[test]
    fn a_large_folder_is_written_in_order() {
        let docs: Vec<AppDocument> = (0..300)
            .map(|i| {
                doc(
                    &format!("App {i}"),
                    &format!("0192f0a0-0000-7000-8000-{i:012}"),
                )
            })
            .collect();
        let dir = tempfile::tempdir().unwrap();
        let paths = write_folder(dir.path(), &docs, ExportFormat::Appdesk).unwrap();
        assert_eq!(paths.len(), 300);
        for (doc, path) in docs.iter().zip(&paths) {
            assert_eq!(path.file_name().unwrap().to_str().unwrap(), file_name(doc));
            assert_eq!(
                std::fs::read_to_string(path).unwrap(),
                render(doc, ExportFormat::Appdesk)
            );
        }
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 300);
    }

    #[test]
    fn rendering_is_deterministic_and_ends_with_a_newline() {
        let d = doc("A", "x");
        let text = render(&d, ExportFormat::Appdesk);
        assert_eq!(text, render(&d.clone(), ExportFormat::Appdesk));
        assert!(text.ends_with("}\n"));
        assert!(text.starts_with("{\n  \"format\": \"appdesk.app/v1\",\n  \"id\": \"x\","));
        let portal = render(&d, ExportFormat::Portal);
        assert!(portal.contains("\"organizationName\": \"Acme\""));
        assert!(portal.contains("\"resourceOwner\": \"1234\""));
        assert!(portal.contains("\"authScopes\": [\n    \"tn.crm.customers:r\"\n  ]"));
    }
}

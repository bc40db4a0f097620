//! Reading files to import: every problem in every file, each with the file,
//! the JSON path, and the line and column it is at. Nothing is written here; a
//! file either yields documents that passed every check, or problems.

use std::collections::HashMap;
use std::fmt;
use std::path::{Path, PathBuf};

use serde::Serialize;
use serde_json::{Map, Value};

use super::locate::{self, Position};
use super::{AppDocument, FORMAT_V1, MAX_FILE_BYTES, VersionRecord};
use crate::catalog::Catalog;
use crate::model::{AppInput, AppStatus, Audience, Credentials, TenantEntry};
use crate::scope::Scope;
use crate::validate;

/// One problem in one file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct FileProblem {
    pub file: String,
    /// `$` for the whole document, `$.tenants[2].id` for one value.
    pub path: String,
    pub line: Option<usize>,
    pub column: Option<usize>,
    pub message: String,
}

impl fmt::Display for FileProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file)?;
        if let (Some(line), Some(column)) = (self.line, self.column) {
            write!(f, ":{line}:{column}")?;
        }
        write!(f, ": {}: {}", self.path, self.message)
    }
}

/// A file's text, as given to [`parse_files`].
#[derive(Debug, Clone)]
pub struct SourceFile {
    pub name: String,
    pub text: String,
}

/// The documents of one file.
#[derive(Debug, Clone)]
pub struct ParsedFile {
    pub name: String,
    pub documents: Vec<ParsedDocument>,
}

/// One document, with where it is: its JSON path (`$`, or `$[3]` in an array)
/// and the position it starts at, for problems found later against the database.
#[derive(Debug, Clone)]
pub struct ParsedDocument {
    pub path: String,
    pub position: Position,
    pub document: AppDocument,
}

impl ParsedDocument {
    /// A problem with this document, found after parsing.
    pub fn problem(&self, file: &str, message: impl Into<String>) -> FileProblem {
        FileProblem {
            file: file.to_owned(),
            path: self.path.clone(),
            line: Some(self.position.line),
            column: Some(self.position.column),
            message: message.into(),
        }
    }
}

/// Reads the files and folders at `paths` (a folder: every `.json` file in it and
/// its subfolders, in name order), then parses them as [`parse_files`] does.
pub fn read_paths(
    paths: &[PathBuf],
    catalog: &Catalog,
) -> Result<Vec<ParsedFile>, Vec<FileProblem>> {
    read_paths_with(paths, catalog, |_, _| {})
}

/// [`read_paths`], calling `progress(done, total)` after each file is read
/// (`total` is the number of files found), so that a window can show how far a
/// large import has got. Parsing afterwards is fast and not reported.
pub fn read_paths_with(
    paths: &[PathBuf],
    catalog: &Catalog,
    mut progress: impl FnMut(usize, usize),
) -> Result<Vec<ParsedFile>, Vec<FileProblem>> {
    let mut files = Vec::new();
    let mut problems = Vec::new();
    for path in paths {
        collect(path, &mut files, &mut problems);
    }
    let total = files.len();
    let mut sources = Vec::new();
    for (done, file) in files.into_iter().enumerate() {
        match read_one(&file) {
            Ok(text) => sources.push(SourceFile {
                name: file.display().to_string(),
                text,
            }),
            Err(message) => problems.push(whole_file(&file.display().to_string(), message)),
        }
        progress(done + 1, total);
    }
    match parse_files(&sources, catalog) {
        Ok(parsed) if problems.is_empty() => Ok(parsed),
        Ok(_) => Err(problems),
        Err(more) => {
            problems.extend(more);
            Err(problems)
        }
    }
}

fn collect(path: &Path, files: &mut Vec<PathBuf>, problems: &mut Vec<FileProblem>) {
    let name = path.display().to_string();
    match std::fs::metadata(path) {
        Err(e) => problems.push(whole_file(&name, format!("cannot read it: {e}"))),
        Ok(meta) if meta.is_dir() => match std::fs::read_dir(path) {
            Err(e) => problems.push(whole_file(&name, format!("cannot read the folder: {e}"))),
            Ok(entries) => {
                let mut inner: Vec<PathBuf> =
                    entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
                inner.sort();
                for p in inner {
                    if p.is_dir() || p.extension().is_some_and(|e| e == "json") {
                        collect(&p, files, problems);
                    }
                }
            }
        },
        Ok(_) => files.push(path.to_owned()),
    }
}

fn read_one(path: &Path) -> Result<String, String> {
    let size = std::fs::metadata(path)
        .map_err(|e| format!("cannot read it: {e}"))?
        .len();
    if size > MAX_FILE_BYTES {
        return Err(format!(
            "the file is {size} bytes; at most {MAX_FILE_BYTES} are read"
        ));
    }
    let bytes = std::fs::read(path).map_err(|e| format!("cannot read it: {e}"))?;
    String::from_utf8(bytes).map_err(|e| {
        format!(
            "not UTF-8 text (invalid byte at offset {})",
            e.utf8_error().valid_up_to()
        )
    })
}

fn whole_file(file: &str, message: String) -> FileProblem {
    FileProblem {
        file: file.to_owned(),
        path: "$".into(),
        line: None,
        column: None,
        message,
    }
}

/// Parses and validates every file; any problem anywhere fails the whole set,
/// and every problem is reported. An app (by id or app key) may appear once.
pub fn parse_files(
    files: &[SourceFile],
    catalog: &Catalog,
) -> Result<Vec<ParsedFile>, Vec<FileProblem>> {
    let mut parsed = Vec::new();
    let mut problems = Vec::new();
    let mut seen: HashMap<String, String> = HashMap::new();
    for file in files {
        let found = match parse_one(file, catalog) {
            Ok(found) => found,
            Err(syntax) => {
                problems.push(syntax);
                continue;
            }
        };
        let positions = if found.problems.is_empty() {
            HashMap::new()
        } else {
            locate::positions(&file.text)
        };
        let mut here: Vec<(String, String)> = found.problems;
        for (path, doc) in &found.documents {
            for key in [
                Some(&doc.id).filter(|id| !id.is_empty()),
                doc.app_key.as_ref(),
            ]
            .into_iter()
            .flatten()
            {
                if let Some(first) = seen.insert(key.clone(), format!("{} {path}", file.name)) {
                    here.push((
                        path.clone(),
                        format!("{key} is already in {first}; an app can be imported once"),
                    ));
                }
            }
        }
        if here.is_empty() {
            let documents = document_positions(&file.text, found.documents);
            parsed.push(ParsedFile {
                name: file.name.clone(),
                documents,
            });
            continue;
        }
        let positions = if positions.is_empty() {
            locate::positions(&file.text)
        } else {
            positions
        };
        for (path, message) in here {
            let at = position_of(&positions, &path);
            problems.push(FileProblem {
                file: file.name.clone(),
                path,
                line: at.map(|p| p.line),
                column: at.map(|p| p.column),
                message,
            });
        }
    }
    if problems.is_empty() {
        Ok(parsed)
    } else {
        Err(problems)
    }
}

fn document_positions(text: &str, documents: Vec<(String, AppDocument)>) -> Vec<ParsedDocument> {
    // A file of one document starts where its text does; only an array needs
    // the scanner.
    let positions = if text.trim_start().starts_with('[') {
        locate::positions(text)
    } else {
        HashMap::new()
    };
    let first = {
        let skipped = &text[..text.len() - text.trim_start().len()];
        let line = 1 + skipped.matches('\n').count();
        let column = 1 + skipped.rsplit('\n').next().map_or(0, |l| l.chars().count());
        Position { line, column }
    };
    documents
        .into_iter()
        .map(|(path, document)| {
            let position = positions.get(&path).copied().unwrap_or(first);
            ParsedDocument {
                path,
                position,
                document,
            }
        })
        .collect()
}

/// The position of `path`, or of its nearest enclosing value (a missing field
/// is reported at the object that lacks it).
fn position_of(positions: &HashMap<String, Position>, path: &str) -> Option<Position> {
    let mut p = path;
    loop {
        if let Some(at) = positions.get(p) {
            return Some(*at);
        }
        let cut = p.rfind(['.', '['])?;
        p = &p[..cut];
    }
}

struct Found {
    documents: Vec<(String, AppDocument)>,
    problems: Vec<(String, String)>,
}

/// The documents and problems of one file, or the one syntax error that stops
/// it from being read at all.
fn parse_one(file: &SourceFile, catalog: &Catalog) -> Result<Found, FileProblem> {
    let mut found = Found {
        documents: Vec::new(),
        problems: Vec::new(),
    };
    if file.text.trim().is_empty() {
        return Err(whole_file(&file.name, "the file is empty".into()));
    }
    let value: Value = serde_json::from_str(&file.text).map_err(|e| FileProblem {
        file: file.name.clone(),
        path: "$".into(),
        line: Some(e.line()),
        column: Some(e.column()),
        message: format!("not valid JSON: {e}"),
    })?;
    let items: Vec<(String, &Value)> = match &value {
        Value::Array(items) => items
            .iter()
            .enumerate()
            .map(|(i, v)| (format!("$[{i}]"), v))
            .collect(),
        other => vec![("$".to_owned(), other)],
    };
    for (path, item) in items {
        let mut reader = Reader {
            problems: Vec::new(),
        };
        if let Some(doc) = reader.document(item, &path, catalog)
            && reader.problems.is_empty()
        {
            found.documents.push((path, doc));
        }
        found.problems.extend(reader.problems);
    }
    Ok(found)
}

struct Reader {
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
    fn problem(&mut self, path: impl Into<String>, message: impl Into<String>) {
        self.problems.push((path.into(), message.into()));
    }

    fn object<'v>(
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

    fn string(
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

    fn strings(&mut self, v: Option<&Value>, path: &str) -> Vec<String> {
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
            .and_then(|h| self.history(h, &format!("{path}.history")));

        if status == AppStatus::Created {
            let input = AppInput {
                name: name.clone(),
                organization: organization.clone(),
                homepage_url: homepage_url.clone(),
                audience,
                credentials,
                tenants: tenants.clone(),
                scopes: scopes.clone(),
            };
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
                self.check_history(history, version, &scopes, path);
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

    fn history(&mut self, v: &Value, path: &str) -> Option<Vec<VersionRecord>> {
        let Some(items) = v.as_array() else {
            self.problem(
                path,
                format!("must be an array of versions, not {}", kind(v)),
            );
            return None;
        };
        let mut out = Vec::new();
        for (i, item) in items.iter().enumerate() {
            let at = format!("{path}[{i}]");
            let Some(obj) =
                self.object(item, &at, &["version", "scopes", "createdAt", "createdBy"])
            else {
                continue;
            };
            let version = obj.get("version").and_then(Value::as_i64);
            if version != Some(i as i64 + 1) {
                self.problem(
                    format!("{at}.version"),
                    format!("must be {} (versions run 1, 2, 3, …)", i + 1),
                );
            }
            let scopes = self.strings(obj.get("scopes"), &format!("{at}.scopes"));
            for (j, s) in scopes.iter().enumerate() {
                if let Err(message) = Scope::parse_many(s) {
                    self.problem(format!("{at}.scopes[{j}]"), message);
                }
            }
            let created_at = self.string(obj, &at, "createdAt", true).unwrap_or_default();
            if !created_at.is_empty() && chrono::DateTime::parse_from_rfc3339(&created_at).is_err()
            {
                self.problem(
                    format!("{at}.createdAt"),
                    format!("{created_at:?} is not an RFC 3339 time"),
                );
            }
            let created_by = self.string(obj, &at, "createdBy", true).unwrap_or_default();
            if created_by.trim().is_empty() {
                self.problem(format!("{at}.createdBy"), "the user stamp is empty");
            }
            out.push(VersionRecord {
                version: version.unwrap_or_default(),
                scopes,
                created_at,
                created_by,
            });
        }
        if out.is_empty() {
            self.problem(path, "a history has at least version 1");
            return None;
        }
        Some(out)
    }

    fn check_history(
        &mut self,
        history: &[VersionRecord],
        version: Option<i64>,
        scopes: &[String],
        path: &str,
    ) {
        let last = &history[history.len() - 1];
        if version.is_some_and(|v| v != last.version) {
            self.problem(
                format!("{path}.version"),
                format!("the history ends at version {}", last.version),
            );
        }
        let mut last_scopes: Vec<String> =
            crate::scope::ScopeSet::from_stored(&last.scopes).to_strings();
        last_scopes.dedup();
        if last_scopes != scopes {
            self.problem(
                format!("{path}.history[{}].scopes", history.len() - 1),
                "the last version's scopes differ from the app's scopes",
            );
        }
    }
}

fn kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

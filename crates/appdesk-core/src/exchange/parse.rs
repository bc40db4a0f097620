//! Parsing files to import: every problem in every file, each with the file,
//! the JSON path, and the line and column it is at. Nothing is written here; a
//! file either yields documents that passed every check, or problems.
//!
//! The jobs are split: [`super::read`] gets the text off the disk,
//! [`super::decode`] turns it into JSON (refusing duplicate keys),
//! [`super::document`] checks each document; this module runs them over a set
//! of files and places every problem in its file.

use std::collections::HashMap;
use std::fmt;

use serde::Serialize;
use serde_json::Value;

use super::AppDocument;
use super::decode::decode;
use super::document;
use super::locate::{self, Position};
use crate::catalog::Catalog;

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

impl FileProblem {
    /// A problem with a whole file (it cannot be read, it is empty).
    pub fn whole_file(file: &str, message: String) -> FileProblem {
        FileProblem {
            file: file.to_owned(),
            path: "$".into(),
            line: None,
            column: None,
            message,
        }
    }
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
        return Err(FileProblem::whole_file(
            &file.name,
            "the file is empty".into(),
        ));
    }
    let value = decode(&file.text).map_err(|e| FileProblem {
        file: file.name.clone(),
        path: e.path,
        line: Some(e.line),
        column: Some(e.column),
        message: e.message,
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
        let (doc, problems) = document::read(item, &path, catalog);
        if let Some(doc) = doc
            && problems.is_empty()
        {
            found.documents.push((path, doc));
        }
        found.problems.extend(problems);
    }
    Ok(found)
}

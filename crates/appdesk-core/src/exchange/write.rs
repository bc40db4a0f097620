//! Writing exported documents to disk without trusting what is already there.
//!
//! An export writes at names it chooses itself (`dispatch-board-0000abcd.json`)
//! inside a folder the user names, so someone who can write into that folder can
//! plant a symlink at a name an export will use and have the export overwrite
//! the link's target elsewhere, or plant a FIFO and have it hang. The rules:
//!
//! - The path the user gives (the folder of `--all`, the file of one app) is
//!   taken as given, symlinked folders included: the user chose it.
//! - The entry at a file name is never opened. Each file is written to a fresh
//!   temporary name in the same folder (created exclusively, so it cannot be a
//!   planted link) and renamed over the final name; a rename replaces the entry
//!   itself and never follows a link, so even a link planted between the check
//!   and the rename is replaced, not written through. A hard link at the name
//!   (a regular file sharing its content with a file elsewhere) is replaced the
//!   same way: the other file keeps its content.
//! - Before anything is written, every final name is checked: a missing name or
//!   a regular file (an earlier export) is fine; a symlink, FIFO, folder, socket
//!   or device there stops the export with an error naming each such file, and
//!   nothing is written. Two documents that would share a name stop it too.
//!
//! Files are not fsynced: an export is a copy that can be made again, and syncing
//! 10k files would cost more than writing them.

use std::collections::HashMap;
use std::io::Write as _;
use std::path::{Path, PathBuf};

use super::{AppDocument, ExportFormat, file_name, render};
use crate::error::{Error, Result};

/// Writes each document to its own file in `dir` (created if needed), named by
/// [`file_name`]; returns the paths in the order of `docs`. (Writing from several
/// threads was measured and did not help: the time goes to the file system.)
pub fn write_folder(
    dir: &Path,
    docs: &[AppDocument],
    format: ExportFormat,
) -> Result<Vec<PathBuf>> {
    std::fs::create_dir_all(dir).map_err(|e| cannot_write(dir, e.to_string()))?;
    if !dir.is_dir() {
        return Err(cannot_write(dir, "it is not a folder".into()));
    }
    let mut problems = Vec::new();
    let mut taken: HashMap<String, &str> = HashMap::new();
    let paths: Vec<PathBuf> = docs
        .iter()
        .map(|doc| {
            let name = file_name(doc);
            let path = dir.join(&name);
            if let Some(other) = taken.insert(name, &doc.id) {
                problems.push(format!(
                    "{}: apps {other} and {} would both be written here",
                    path.display(),
                    doc.id
                ));
            } else if let Err(why) = replaceable(&path) {
                problems.push(format!("{}: {why}", path.display()));
            }
            path
        })
        .collect();
    refuse_if_any(dir, problems)?;
    for (doc, path) in docs.iter().zip(&paths) {
        replace(path, render(doc, format).as_bytes())?;
    }
    Ok(paths)
}

/// Writes one document to `path` (its folder must exist), by the same rules as
/// [`write_folder`]: a symlink or special file at `path` is refused, not followed.
pub fn write_file(path: &Path, doc: &AppDocument, format: ExportFormat) -> Result<PathBuf> {
    write_bytes(path, render(doc, format).as_bytes())
}

/// Writes `bytes` to `path` (its folder must exist) by the same rules: a
/// symlink or special file at `path` is refused, not followed. The activity
/// log's CSV export goes through here too.
pub fn write_bytes(path: &Path, bytes: &[u8]) -> Result<PathBuf> {
    if let Err(why) = replaceable(path) {
        return Err(cannot_write(path, why));
    }
    replace(path, bytes)?;
    Ok(path.to_owned())
}

/// Writes `text` (a report: the ledger as CSV or Markdown) to `path` by the
/// same rules: a symlink or special file at `path` is refused, not followed.
pub fn write_text(path: &Path, text: &str) -> Result<PathBuf> {
    write_bytes(path, text.as_bytes())
}

/// Whether the entry at `path` may be replaced: nothing there, or a regular file.
fn replaceable(path: &Path) -> std::result::Result<(), String> {
    match std::fs::symlink_metadata(path) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(e.to_string()),
        Ok(meta) if meta.file_type().is_file() => Ok(()),
        Ok(meta) => {
            let kind = meta.file_type();
            let what = if kind.is_symlink() {
                "a symbolic link"
            } else if kind.is_dir() {
                "a folder"
            } else {
                "a special file (FIFO, socket or device)"
            };
            Err(format!(
                "{what} is in the way; an export only replaces regular files, remove it first"
            ))
        }
    }
}

/// Writes `bytes` to a temporary file beside `path` and renames it over `path`.
fn replace(path: &Path, bytes: &[u8]) -> Result<()> {
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy())
        .unwrap_or_default();
    let tmp = dir.join(format!(".{name}.{}.tmp", uuid::Uuid::now_v7().simple()));
    let written = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&tmp)
        .and_then(|mut f| f.write_all(bytes))
        .and_then(|()| std::fs::rename(&tmp, path));
    written.map_err(|e| {
        let _ = std::fs::remove_file(&tmp);
        cannot_write(path, e.to_string())
    })
}

fn refuse_if_any(dir: &Path, problems: Vec<String>) -> Result<()> {
    match problems.as_slice() {
        [] => Ok(()),
        [one] => Err(Error::Write {
            path: dir.display().to_string(),
            reason: format!("nothing was written: {one}"),
        }),
        [first, rest @ ..] => Err(Error::Write {
            path: dir.display().to_string(),
            reason: format!(
                "nothing was written: {first} (and {} more files in the way)",
                rest.len()
            ),
        }),
    }
}

fn cannot_write(path: &Path, reason: String) -> Error {
    Error::Write {
        path: path.display().to_string(),
        reason,
    }
}

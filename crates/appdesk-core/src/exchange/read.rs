//! Reading the files to import from disk: which files a path names, and the
//! text of each, bounded.
//!
//! A path may name anything: `/dev/zero` (endless), a FIFO (blocks until a
//! writer comes), a file that grows while it is read. So a file is opened
//! without blocking (`O_NONBLOCK` on Unix), the *opened handle* is checked to be
//! a regular file (no stat-then-open race), and at most [`MAX_FILE_BYTES`] + 1
//! bytes are read, whatever size the file system reports.
//!
//! Symbolic links are followed: reading through a link to a regular file is
//! harmless, and the check is made on what was opened, so a link to a device
//! or a FIFO is refused like the thing itself. A folder reached twice (a link
//! back to a parent) is walked once.

use std::collections::HashSet;
use std::fs::File;
use std::io::Read;
use std::path::{Path, PathBuf};

use super::MAX_FILE_BYTES;
use super::parse::{FileProblem, ParsedFile, SourceFile, parse_files};
use crate::catalog::Catalog;

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
    let mut walk = Walk::default();
    for path in paths {
        walk.collect(path);
    }
    let Walk {
        files,
        mut problems,
        ..
    } = walk;
    let total = files.len();
    let mut sources = Vec::new();
    for (done, file) in files.into_iter().enumerate() {
        let name = file.display().to_string();
        match read_text(&file) {
            Ok(text) => sources.push(SourceFile { name, text }),
            Err(message) => problems.push(FileProblem::whole_file(&name, message)),
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

#[derive(Default)]
struct Walk {
    files: Vec<PathBuf>,
    problems: Vec<FileProblem>,
    /// Folders walked, by their canonical path.
    folders: HashSet<PathBuf>,
}

impl Walk {
    fn collect(&mut self, path: &Path) {
        let name = path.display().to_string();
        match std::fs::metadata(path) {
            Err(e) => self.problems.push(FileProblem::whole_file(
                &name,
                format!("cannot read it: {e}"),
            )),
            Ok(meta) if meta.is_dir() => self.folder(path, &name),
            // Anything else is checked when it is opened.
            Ok(_) => self.files.push(path.to_owned()),
        }
    }

    fn folder(&mut self, path: &Path, name: &str) {
        if let Ok(real) = std::fs::canonicalize(path)
            && !self.folders.insert(real)
        {
            return;
        }
        match std::fs::read_dir(path) {
            Err(e) => self.problems.push(FileProblem::whole_file(
                name,
                format!("cannot read the folder: {e}"),
            )),
            Ok(entries) => {
                let mut inner: Vec<PathBuf> =
                    entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
                inner.sort();
                for p in inner {
                    if p.is_dir() || p.extension().is_some_and(|e| e == "json") {
                        self.collect(&p);
                    }
                }
            }
        }
    }
}

/// The text of one file: a regular file of at most [`MAX_FILE_BYTES`], UTF-8.
pub(crate) fn read_text(path: &Path) -> Result<String, String> {
    let file = open_without_blocking(path).map_err(|e| format!("cannot read it: {e}"))?;
    let meta = file
        .metadata()
        .map_err(|e| format!("cannot read it: {e}"))?;
    if !meta.is_file() {
        return Err(format!(
            "not a regular file ({}); only regular files are read",
            kind(&meta.file_type())
        ));
    }
    let mut bytes = Vec::new();
    file.take(MAX_FILE_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| format!("cannot read it: {e}"))?;
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(format!(
            "the file holds more than {MAX_FILE_BYTES} bytes; at most {MAX_FILE_BYTES} are read"
        ));
    }
    String::from_utf8(bytes).map_err(|e| {
        format!(
            "not UTF-8 text (invalid byte at offset {})",
            e.utf8_error().valid_up_to()
        )
    })
}

#[cfg(unix)]
fn open_without_blocking(path: &Path) -> std::io::Result<File> {
    use std::os::unix::fs::OpenOptionsExt;
    // O_NONBLOCK: opening a FIFO with no writer returns at once instead of
    // waiting for one. On a regular file it changes nothing.
    std::fs::OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NONBLOCK)
        .open(path)
}

#[cfg(not(unix))]
fn open_without_blocking(path: &Path) -> std::io::Result<File> {
    File::open(path)
}

fn kind(t: &std::fs::FileType) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if t.is_fifo() {
            return "a FIFO";
        }
        if t.is_char_device() {
            return "a character device";
        }
        if t.is_block_device() {
            return "a block device";
        }
        if t.is_socket() {
            return "a socket";
        }
    }
    if t.is_dir() {
        "a folder"
    } else {
        "a special file"
    }
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;

    #[test]
    fn a_character_device_is_refused_without_reading_it() {
        let e = read_text(Path::new("/dev/zero")).unwrap_err();
        assert!(e.contains("not a regular file (a character device)"), "{e}");
    }

    #[test]
    fn a_file_over_the_cap_is_refused_by_what_is_read() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("big.json");
        std::fs::write(&path, vec![b' '; MAX_FILE_BYTES as usize + 1]).unwrap();
        let e = read_text(&path).unwrap_err();
        assert!(e.contains("more than"), "{e}");
        std::fs::write(&path, vec![b' '; MAX_FILE_BYTES as usize]).unwrap();
        assert_eq!(read_text(&path).unwrap().len(), MAX_FILE_BYTES as usize);
    }
}

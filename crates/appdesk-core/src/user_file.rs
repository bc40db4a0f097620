//! Reading a file whose path a user gives: an import, the key file, a scope
//! catalog. Such a path may name anything: `/dev/zero` (endless), a FIFO
//! (opening it blocks until a writer comes), a folder, a file that grows while
//! it is read. Every reader of such a path goes through [`read_regular`], so that
//! none of them can hang or read without end.
//!
//! The file is opened without blocking (`O_NONBLOCK` on Unix), the *opened
//! handle* is checked to be a regular file (no stat-then-open race), and at most
//! `max` + 1 bytes are read, whatever size the file system reports. Symbolic
//! links are followed: the check is made on what was opened, so a link to a
//! device or a FIFO is refused like the thing itself.

use std::fmt;
use std::fs::File;
use std::io::{ErrorKind, Read};
use std::path::Path;

/// Why a file could not be read.
#[derive(Debug)]
pub(crate) enum ReadError {
    /// Nothing is at the path (or a link there leads nowhere).
    Missing,
    /// A folder, FIFO, device or socket: what it is.
    NotRegular(&'static str),
    /// More than the `max` bytes allowed.
    TooLarge(u64),
    Io(std::io::Error),
}

impl fmt::Display for ReadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ReadError::Missing => write!(f, "it does not exist"),
            ReadError::NotRegular(what) => write!(f, "not a regular file ({what})"),
            ReadError::TooLarge(max) => {
                write!(
                    f,
                    "the file holds more than {max} bytes; at most {max} are read"
                )
            }
            ReadError::Io(e) => write!(f, "cannot read it: {e}"),
        }
    }
}

/// The bytes of the regular file at `path`, if it holds at most `max` bytes.
pub(crate) fn read_regular(path: &Path, max: u64) -> Result<Vec<u8>, ReadError> {
    let file = open_without_blocking(path).map_err(|e| match e.kind() {
        ErrorKind::NotFound => ReadError::Missing,
        _ => ReadError::Io(e),
    })?;
    let meta = file.metadata().map_err(ReadError::Io)?;
    if !meta.is_file() {
        return Err(ReadError::NotRegular(kind(&meta.file_type())));
    }
    let mut bytes = Vec::new();
    file.take(max + 1)
        .read_to_end(&mut bytes)
        .map_err(ReadError::Io)?;
    if bytes.len() as u64 > max {
        return Err(ReadError::TooLarge(max));
    }
    Ok(bytes)
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

/// What a file that is not a regular file is, for a message: "a FIFO", …
pub(crate) fn kind(t: &std::fs::FileType) -> &'static str {
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

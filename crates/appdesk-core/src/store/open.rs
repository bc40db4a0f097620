//! Opening a database file: creating it privately, bringing it to the latest
//! schema, and reading it where it cannot be written.
//!
//! The rules:
//! - Only [`Store::open`](super::Store::open) creates: its folders `0700`, the file
//!   `0600` (SQLite gives the WAL and shared-memory files the file's mode). They
//!   hold tenant and client IDs. [`Store::open_existing`](super::Store::open_existing)
//!   refuses a path with no database and creates nothing.
//! - The first open is safe across processes: every step (switch to WAL, each
//!   migration) is idempotent and re-checked inside its own lock, and a step that
//!   SQLite answers with "database is locked" without waiting is retried until
//!   the busy timeout. A database already in WAL at the latest schema is not
//!   written to at all.
//! - A file or folder this process may not write is opened read-only (SQLite's
//!   `mode=ro` URI, or `immutable=1` when the folder cannot hold the WAL index and
//!   no WAL file with pending changes exists): reads work, writes fail with
//!   [`Error::ReadOnly`].

use std::fs;
use std::io::ErrorKind;
use std::path::Path;
use std::time::{Duration, Instant};

use rusqlite::{Connection, ErrorCode, OpenFlags};

use super::migrate;
use crate::error::{Error, Result};

pub(super) const BUSY_TIMEOUT: Duration = Duration::from_secs(10);

/// How the store reaches its file.
#[derive(Debug, Clone)]
pub(super) enum Access {
    ReadWrite,
    /// Through this read-only URI.
    ReadOnly(String),
}

/// Makes the database file (and its folders) if it does not exist, private to
/// the user. Losing the race to another process creating it is fine.
pub(super) fn create_private(path: &Path) -> std::io::Result<()> {
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        private_dir(dir)?;
    }
    let mut options = fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    match options.open(path) {
        Ok(_) => Ok(()),
        Err(e) if e.kind() == ErrorKind::AlreadyExists => Ok(()),
        Err(e) => Err(e),
    }
}

/// `create_dir_all`, with every folder it makes readable by the user only.
pub(crate) fn private_dir(dir: &Path) -> std::io::Result<()> {
    let mut builder = fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
    builder.create(dir)
}

/// Opens an existing file, migrated and in WAL mode when it can be written.
pub(super) fn open_and_migrate(path: &Path) -> Result<(Connection, Access)> {
    // From a fresh connection each time: SQLite can also answer "locked" while
    // the connection reads the schema for its first pragmas.
    match retry_busy(|| {
        let mut conn = open_read_write(path)?;
        prepare(&mut conn, path)?;
        Ok(conn)
    }) {
        Ok(conn) => Ok((conn, Access::ReadWrite)),
        Err(Error::Database(e)) if cannot_write(&e) => open_read_only(path),
        Err(e) => Err(e),
    }
}

fn open_read_write(path: &Path) -> Result<Connection> {
    let flags = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    let conn = Connection::open_with_flags(path, flags)?;
    configure(&conn)?;
    if conn.is_readonly(rusqlite::MAIN_DB)? {
        // SQLite fell back to reading a file it may not write.
        return Err(Error::Database(rusqlite::Error::SqliteFailure(
            rusqlite::ffi::Error::new(rusqlite::ffi::SQLITE_READONLY),
            None,
        )));
    }
    Ok(conn)
}

/// The schema check, the switch to WAL and the migrations, each idempotent.
fn prepare(conn: &mut Connection, path: &Path) -> Result<()> {
    check_not_too_new(conn, path)?;
    let mode: String = conn.query_row("PRAGMA journal_mode", [], |r| r.get(0))?;
    if !mode.eq_ignore_ascii_case("wal") {
        let mode: String = conn.query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0))?;
        if !mode.eq_ignore_ascii_case("wal") {
            return Err(Error::Open {
                path: path.display().to_string(),
                reason: format!("cannot switch to WAL mode (got {mode})"),
            });
        }
    }
    migrate::migrate_to(conn, migrate::latest())
}

fn check_not_too_new(conn: &Connection, path: &Path) -> Result<i64> {
    let found = migrate::schema_version(conn)?;
    if found > migrate::latest() {
        return Err(Error::SchemaTooNew {
            path: path.display().to_string(),
            found,
            known: migrate::latest(),
        });
    }
    Ok(found)
}

/// Reads through `mode=ro`; where the folder cannot hold the WAL index, through
/// `immutable=1`, which is only sound when no WAL file holds pending changes.
fn open_read_only(path: &Path) -> Result<(Connection, Access)> {
    let base = format!("file:{}?mode=ro", uri_path(path)?);
    let attempt = |uri: &str| -> Result<Connection> {
        let conn = open_uri(uri)?;
        check_not_too_new(&conn, path)?;
        Ok(conn)
    };
    let (conn, uri) = match attempt(&base) {
        Ok(conn) => (conn, base),
        // The folder cannot hold the shared-memory file SQLite reads a WAL
        // database through: CANTOPEN, or READONLY_CANTINIT.
        Err(Error::Database(e)) if cannot_write(&e) => {
            let wal = path.with_file_name(format!(
                "{}-wal",
                path.file_name().unwrap_or_default().to_string_lossy()
            ));
            if fs::metadata(&wal).is_ok_and(|m| m.len() > 0) {
                return Err(Error::Database(e));
            }
            let uri = format!("{base}&immutable=1");
            (attempt(&uri)?, uri)
        }
        Err(e) => return Err(e),
    };
    let found = migrate::schema_version(&conn)?;
    if found < migrate::latest() {
        return Err(Error::ReadOnly {
            path: path.display().to_string(),
            action: format!(
                "it is at schema version {found} and needs upgrading to {} before this \
                 build can read it",
                migrate::latest()
            ),
        });
    }
    Ok((conn, Access::ReadOnly(uri)))
}

/// Whether SQLite failed because the file or its folder cannot be written.
fn cannot_write(e: &rusqlite::Error) -> bool {
    matches!(
        e.sqlite_error_code(),
        Some(ErrorCode::ReadOnly | ErrorCode::CannotOpen | ErrorCode::PermissionDenied)
    )
}

/// Runs `step` again while SQLite reports the database locked without having
/// waited (it does so where waiting could deadlock), until the busy timeout.
fn retry_busy<T>(mut step: impl FnMut() -> Result<T>) -> Result<T> {
    let deadline = Instant::now() + BUSY_TIMEOUT;
    let mut pause = Duration::from_millis(2);
    loop {
        match step() {
            Err(Error::Database(e))
                if matches!(
                    e.sqlite_error_code(),
                    Some(ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked)
                ) && Instant::now() < deadline =>
            {
                std::thread::sleep(pause);
                pause = (pause * 2).min(Duration::from_millis(50));
            }
            other => return other,
        }
    }
}

/// `path` as the path part of a `file:` URI: absolute, `%`-escaped.
fn uri_path(path: &Path) -> Result<String> {
    let absolute = std::path::absolute(path).map_err(|e| Error::Open {
        path: path.display().to_string(),
        reason: e.to_string(),
    })?;
    let text = absolute.to_string_lossy();
    let mut out = String::with_capacity(text.len());
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || b"/-._~".contains(&b) {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    Ok(out)
}

pub(super) fn open_file(path: &Path, access: &Access) -> Result<Connection> {
    match access {
        Access::ReadWrite => open_read_write(path),
        Access::ReadOnly(uri) => open_uri(uri),
    }
}

pub(super) fn open_uri(uri: &str) -> Result<Connection> {
    // The URI's `mode=` decides between read-write-create and read-only.
    let flags = OpenFlags::SQLITE_OPEN_READ_WRITE
        | OpenFlags::SQLITE_OPEN_CREATE
        | OpenFlags::SQLITE_OPEN_URI
        | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    let conn = Connection::open_with_flags(uri, flags)?;
    configure(&conn)?;
    Ok(conn)
}

/// The per-connection pragmas of DESIGN §2 (WAL is a property of the file and is
/// set once, in [`prepare`]).
fn configure(conn: &Connection) -> Result<()> {
    conn.busy_timeout(BUSY_TIMEOUT)?;
    conn.pragma_update(None, "foreign_keys", "ON")?;
    conn.pragma_update(None, "synchronous", "NORMAL")?;
    conn.set_prepared_statement_cache_capacity(64);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uri_paths_escape_what_a_uri_would_misread() {
        let text = uri_path(Path::new("/tmp/a b?c#d%e.db")).unwrap();
        assert_eq!(text, "/tmp/a%20b%3Fc%23d%25e.db");
    }
}

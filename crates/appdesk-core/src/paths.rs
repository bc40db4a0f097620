//! Where Appdesk keeps its files when the caller names none.
//!
//! The CLI and the desktop app open the same database, so the default lives here
//! once (README, "Defaults and environment"): `appdesk/appdesk.db` in the
//! platform's data directory, and the key that seals client secrets beside it,
//! same name with `.key`. The overrides (`--db`, `APPDESK_DB`, `--key-file`,
//! `APPDESK_KEY_FILE`) are read by each front end; this module only knows the
//! defaults.

use std::path::{Path, PathBuf};

use crate::error::{Error, Result};

/// `appdesk/appdesk.db` under `data_dir`.
pub fn database_in(data_dir: &Path) -> PathBuf {
    data_dir.join("appdesk").join("appdesk.db")
}

/// The default database: [`database_in`] the platform data directory
/// (`~/.local/share` on Linux, `~/Library/Application Support` on macOS,
/// `%APPDATA%` on Windows). A system without one is an [`Error::Open`] that says
/// how to name a database instead.
pub fn default_database() -> Result<PathBuf> {
    dirs::data_dir()
        .map(|dir| database_in(&dir))
        .ok_or_else(|| Error::Open {
            path: "(default)".to_owned(),
            reason: "this system has no data directory; set APPDESK_DB (or give --db PATH)"
                .to_owned(),
        })
}

/// The default key file of the database at `db`: beside it, same name with
/// `.key` (`appdesk.db` → `appdesk.key`).
pub fn key_file_beside(db: &Path) -> PathBuf {
    db.with_extension("key")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_database_is_appdesk_db_in_an_appdesk_folder() {
        assert_eq!(
            database_in(Path::new("/home/ada/.local/share")),
            PathBuf::from("/home/ada/.local/share/appdesk/appdesk.db")
        );
    }

    #[test]
    fn the_key_file_sits_beside_the_database_with_a_key_extension() {
        assert_eq!(
            key_file_beside(Path::new("/d/appdesk.db")),
            PathBuf::from("/d/appdesk.key")
        );
        assert_eq!(
            key_file_beside(Path::new("/d/team")),
            PathBuf::from("/d/team.key")
        );
    }
}

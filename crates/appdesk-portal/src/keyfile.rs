//! The key file that seals client secrets at rest: made once by `key init`,
//! only ever read by `serve`.
//!
//! `serve` must never create or replace a key: a portal that started with a
//! new key after the old one went missing would seal new secrets with it and
//! leave every old one unopenable. A key file others can read is refused (with
//! the `chmod` to run), and a damaged one is called damaged.

use std::path::{Path, PathBuf};

use appdesk_core::secrets::SecretKey;

use crate::error::AppError;

/// `--key-file`, else `appdesk-portal/portal.key` in the user's data directory.
pub fn path(given: Option<PathBuf>) -> Result<PathBuf, AppError> {
    given
        .or_else(|| dirs::data_dir().map(|d| d.join("appdesk-portal").join("portal.key")))
        .ok_or_else(|| AppError::setup("no data directory for the key file; give --key-file"))
}

/// `key init`: creates the key file (mode 600), refusing one that exists.
pub fn init(path: &Path) -> Result<String, AppError> {
    if path.symlink_metadata().is_ok() {
        return Err(AppError::setup(format!(
            "the key file {} exists; key init never replaces a key (every secret sealed \
             with it would be lost)",
            path.display()
        )));
    }
    let key = SecretKey::load_or_create(path).map_err(|e| AppError::setup(e.to_string()))?;
    Ok(format!(
        "created the key file {}; back it up apart from the database",
        key.path().display()
    ))
}

/// The key `serve` seals with: the file must exist, be private and whole.
pub fn load(path: &Path) -> Result<SecretKey, AppError> {
    if path.symlink_metadata().is_err() {
        return Err(AppError::setup(format!(
            "the key file {0} does not exist; serve never creates one. On a new portal \
             run `appdesk-portal key init --key-file {0}` once; otherwise restore it from \
             your backup",
            path.display()
        )));
    }
    let key = SecretKey::load(path).map_err(|e| AppError::setup(e.to_string()))?;
    if let Some(warning) = key.warning() {
        return Err(AppError::setup(format!("refused: {warning}")));
    }
    Ok(key)
}

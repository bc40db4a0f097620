//! Which key seals this database's client secrets.
//!
//! The database records the id of its key (never the key) in `settings` under
//! `key_id`, in the same transaction that first seals a secret with it. From
//! then on a missing key file, or a key file with another id, fails every
//! operation that needs the key, names the file it expected, and creates and
//! changes nothing. A new key file is made only for a database that has no
//! sealed secret: never had one, or every one is gone (its apps deleted, its
//! tenants removed), since then no secret can be lost. Its id then replaces the
//! recorded one. Operations that need no key never read the key file.
//!
//! A database sealed before ids were recorded has secrets but no id: its key
//! file must exist and open one of its secrets; the id is recorded on the next
//! write that seals.

use rusqlite::{Connection, OptionalExtension};

use super::{Store, lock};
use crate::error::{Error, Result};
use crate::secrets::SecretKey;

const KEY_ID: &str = "key_id";

/// Whether the key file may be created when it does not exist.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Purpose {
    /// To seal a new secret: a first key may be made.
    Seal,
    /// To reveal a stored secret: never creates.
    Reveal,
}

impl Store {
    /// This database's key, loaded once and checked against the recorded id.
    pub(super) fn secret_key(&self, purpose: Purpose) -> Result<SecretKey> {
        if let Some(key) = lock(&self.inner.key).as_ref() {
            return Ok(key.clone());
        }
        let path = self.key_file().to_owned();
        let (recorded, sample) =
            self.read(|conn| Ok((recorded_id(conn)?, sealed_sample(conn)?)))?;
        // The recorded id guards the sealed secrets; with none left it guards
        // nothing, and a lost key file may be replaced.
        let first_key = sample.is_none();
        let key = if first_key && purpose == Purpose::Seal {
            self.writable("a first key file cannot be created for it")?;
            SecretKey::load_or_create(&path)?
        } else if path.exists() {
            SecretKey::load(&path)?
        } else {
            return Err(Error::Secrets(
                match recorded.as_ref().filter(|_| sample.is_some()) {
                    Some(id) => format!(
                        "the key file {} is missing; this database's client secrets are sealed \
                     with the key {id}: restore that file, or give its path with --key-file",
                        path.display()
                    ),
                    None => format!(
                        "the key file {} is missing: restore it, or give its path with --key-file",
                        path.display()
                    ),
                },
            ));
        };
        check(&key, recorded.as_deref(), sample.as_ref())?;
        if let Some(warning) = key.warning() {
            self.warn(warning);
        }
        *lock(&self.inner.key) = Some(key.clone());
        Ok(key)
    }
}

/// Inside the write transaction that seals with `key`: checks it again (another
/// process may have sealed with another key since) and records its id if another
/// (or none) is recorded, which [`check`] allows only with no sealed secret.
pub(super) fn bind(conn: &Connection, key: &SecretKey) -> Result<()> {
    let recorded = recorded_id(conn)?;
    check(key, recorded.as_deref(), sealed_sample(conn)?.as_ref())?;
    if recorded.as_deref() != Some(key.id()) {
        conn.execute(
            "INSERT OR REPLACE INTO settings (key, value) VALUES (?1, ?2)",
            [KEY_ID, key.id()],
        )?;
    }
    Ok(())
}

/// `key` is this database's key: with a sealed secret stored, it has the
/// recorded id, or, with none recorded, it opens that secret. With no sealed
/// secret, any key will do.
fn check(
    key: &SecretKey,
    recorded: Option<&str>,
    sample: Option<&(String, Vec<u8>)>,
) -> Result<()> {
    let matches = match (recorded, sample) {
        (Some(id), Some(_)) => id == key.id(),
        (None, Some((conn_id, sealed))) => key.open(sealed, conn_id).is_ok(),
        (_, None) => true,
    };
    if matches {
        return Ok(());
    }
    Err(Error::Secrets(format!(
        "the key file {} is not this database's key (it is {}; the database's client \
         secrets are sealed with {}): give the right file with --key-file",
        key.path().display(),
        key.id(),
        recorded.unwrap_or("another key"),
    )))
}

fn recorded_id(conn: &Connection) -> Result<Option<String>> {
    Ok(conn
        .query_row("SELECT value FROM settings WHERE key = ?1", [KEY_ID], |r| {
            r.get(0)
        })
        .optional()?)
}

/// One sealed secret and the context it was sealed with, if any exists: a
/// client secret (its connection id), else a remote's token (`remote:NAME`).
/// Either makes the key this database's own.
fn sealed_sample(conn: &Connection) -> Result<Option<(String, Vec<u8>)>> {
    Ok(conn
        .query_row(
            "SELECT id, secret_sealed FROM connections
             UNION ALL SELECT 'remote:' || name, token_sealed FROM remotes
             LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?)
}

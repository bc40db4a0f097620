//! Generated credentials (R4, R8) and client secrets at rest.
//!
//! App keys, client ids and client secrets come from the OS CSPRNG. A client
//! secret must be retrievable (the developer's integration uses it), yet never be
//! in plaintext in the database file: it is sealed with XChaCha20-Poly1305 under a
//! 256-bit key kept in a separate key file, readable only by the user. Whoever
//! holds the database file alone (a backup, a bug report, a synced copy) learns no
//! secret. The connection's id is bound in as associated data, so a sealed secret
//! copied onto another row does not open.
//!
//! A key is known by its id ([`SecretKey::id`]), which the database records
//! (see `store/keys.rs`): a keyed tag of a fixed text, from which the key cannot
//! be recovered, so that a missing or foreign key file is recognised before
//! anything is sealed with it.

use std::fs::{self, OpenOptions};
use std::io::{ErrorKind, Write};
use std::path::{Path, PathBuf};

use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};

use crate::error::{Error, Result};
use crate::user_file::{ReadError, read_regular};

const ALPHABET: &[u8; 36] = b"abcdefghijklmnopqrstuvwxyz0123456789";
const NONCE_LEN: usize = 24;
const KEY_LEN: usize = 32;

/// `n` characters of `[a-z0-9]`, uniformly from the OS CSPRNG.
pub fn random_token(n: usize) -> Result<String> {
    let mut out = String::with_capacity(n);
    let mut buf = [0u8; 64];
    while out.len() < n {
        getrandom::fill(&mut buf).map_err(|e| Error::Secrets(format!("OS random source: {e}")))?;
        // 252 = 7 * 36: rejecting bytes above it keeps every character equally likely.
        for &b in buf.iter().filter(|&&b| b < 252) {
            if out.len() == n {
                break;
            }
            out.push(char::from(ALPHABET[usize::from(b % 36)]));
        }
    }
    Ok(out)
}

/// `ak1.` + 25 characters (R4).
pub fn new_app_key() -> Result<String> {
    Ok(format!("ak1.{}", random_token(25)?))
}

/// `cid.` + 25 characters (R8).
pub fn new_client_id() -> Result<String> {
    Ok(format!("cid.{}", random_token(25)?))
}

/// Whether `text` has the form of an app key: `ak1.` + 25 of `[a-z0-9]` (R4).
pub fn is_app_key(text: &str) -> bool {
    text.strip_prefix("ak1.").is_some_and(|rest| {
        rest.len() == 25
            && rest
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
    })
}

/// `cs1.` + 50 characters (R8).
pub fn new_client_secret() -> Result<String> {
    Ok(format!("cs1.{}", random_token(50)?))
}

/// The key that seals client secrets, loaded from (or created in) its key file.
#[derive(Clone)]
pub struct SecretKey {
    cipher: XChaCha20Poly1305,
    path: PathBuf,
    id: String,
    /// Set when the key file can be read by other users.
    warning: Option<String>,
}

impl std::fmt::Debug for SecretKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SecretKey")
            .field("path", &self.path)
            .field("id", &self.id)
            .finish_non_exhaustive()
    }
}

impl SecretKey {
    /// Loads the key file, creating it (mode 0600 on Unix) if it does not exist.
    /// Two processes starting at once agree on one key: creation is exclusive.
    pub fn load_or_create(path: &Path) -> Result<SecretKey> {
        let fail = |what: &str, e: std::io::Error| {
            Error::Secrets(format!("{what} key file {}: {e}", path.display()))
        };
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            crate::store::private_dir(dir)
                .map_err(|e| fail("cannot create the folder of the", e))?;
        }
        if let Some(key) = Self::read_existing(path)? {
            return Ok(key);
        }
        // Write the key to a private temporary file, then link it into place: the
        // link fails if another process got there first, and then its key wins.
        // Nobody ever reads a half-written key file.
        let mut key = [0u8; KEY_LEN];
        getrandom::fill(&mut key).map_err(|e| Error::Secrets(format!("OS random source: {e}")))?;
        let tmp = path.with_extension(format!("tmp-{}", random_token(12)?));
        let mut options = OpenOptions::new();
        options.write(true).create_new(true);
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
        let written = options
            .open(&tmp)
            .and_then(|mut file| file.write_all(&key).and_then(|()| file.sync_all()));
        if let Err(e) = written {
            let _ = fs::remove_file(&tmp);
            return Err(fail("cannot write the", e));
        }
        let linked = fs::hard_link(&tmp, path);
        let _ = fs::remove_file(&tmp);
        match linked {
            Ok(()) => Ok(Self::from_bytes(&key, path)),
            Err(e) if e.kind() == ErrorKind::AlreadyExists => Self::read_existing(path)?
                .ok_or_else(|| Error::Secrets(format!("key file {} vanished", path.display()))),
            Err(e) => Err(fail("cannot create the", e)),
        }
    }

    /// Loads the key file, which must exist.
    pub fn load(path: &Path) -> Result<SecretKey> {
        Self::read_existing(path)?.ok_or_else(|| {
            Error::Secrets(format!("the key file {} does not exist", path.display()))
        })
    }

    fn read_existing(path: &Path) -> Result<Option<SecretKey>> {
        // Bounded and non-blocking: a key file that is a FIFO or a link to
        // /dev/zero is refused at once instead of hanging (user_file.rs).
        let key = match read_regular(path, KEY_LEN as u64) {
            Ok(key) => key,
            Err(ReadError::Missing) => return Ok(None),
            Err(ReadError::TooLarge(_)) => {
                return Err(Error::Secrets(format!(
                    "key file {} has more than {KEY_LEN} bytes; it is damaged",
                    path.display()
                )));
            }
            Err(e) => {
                return Err(Error::Secrets(format!(
                    "cannot read the key file {}: {e}",
                    path.display()
                )));
            }
        };
        if key.len() != KEY_LEN {
            return Err(Error::Secrets(format!(
                "key file {} has {} bytes, not {KEY_LEN}; it is damaged",
                path.display(),
                key.len()
            )));
        }
        let mut loaded = Self::from_bytes(&key, path);
        loaded.warning = readable_by_others(path);
        Ok(Some(loaded))
    }

    /// A key that lives only in memory, for an in-memory store.
    pub fn ephemeral() -> Result<SecretKey> {
        let mut key = [0u8; KEY_LEN];
        getrandom::fill(&mut key).map_err(|e| Error::Secrets(format!("OS random source: {e}")))?;
        Ok(Self::from_bytes(&key, Path::new("(in memory)")))
    }

    fn from_bytes(key: &[u8], path: &Path) -> SecretKey {
        let cipher = XChaCha20Poly1305::new(chacha20poly1305::Key::from_slice(key));
        SecretKey {
            id: key_id(&cipher),
            cipher,
            path: path.to_owned(),
            warning: None,
        }
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// What the database records to recognise this key: `k1.` + 32 hex digits.
    pub fn id(&self) -> &str {
        &self.id
    }

    /// A warning to show when the key file can be read by other users.
    pub fn warning(&self) -> Option<&str> {
        self.warning.as_deref()
    }

    /// Seals `secret`, bound to `context` (the connection id): nonce ‖ ciphertext.
    pub fn seal(&self, secret: &str, context: &str) -> Result<Vec<u8>> {
        let mut nonce = [0u8; NONCE_LEN];
        getrandom::fill(&mut nonce)
            .map_err(|e| Error::Secrets(format!("OS random source: {e}")))?;
        let sealed = self
            .cipher
            .encrypt(
                XNonce::from_slice(&nonce),
                Payload {
                    msg: secret.as_bytes(),
                    aad: context.as_bytes(),
                },
            )
            .map_err(|_| Error::Secrets("sealing failed".into()))?;
        Ok([nonce.as_slice(), &sealed].concat())
    }

    /// Opens what [`seal`](Self::seal) made for the same `context`.
    pub fn open(&self, sealed: &[u8], context: &str) -> Result<String> {
        let wrong_key = || {
            Error::Secrets(format!(
                "a stored secret does not open with the key file {}; it was sealed with another key",
                self.path.display()
            ))
        };
        if sealed.len() <= NONCE_LEN {
            return Err(wrong_key());
        }
        let (nonce, body) = sealed.split_at(NONCE_LEN);
        let plain = self
            .cipher
            .decrypt(
                XNonce::from_slice(nonce),
                Payload {
                    msg: body,
                    aad: context.as_bytes(),
                },
            )
            .map_err(|_| wrong_key())?;
        String::from_utf8(plain).map_err(|_| wrong_key())
    }
}

/// The Poly1305 tag of an empty message with a fixed associated text under the
/// all-zero nonce: a value only this key gives, which reveals nothing of it. No
/// secret is ever sealed under that nonce (seal draws 24 random bytes).
fn key_id(cipher: &XChaCha20Poly1305) -> String {
    let tag = cipher
        .encrypt(
            XNonce::from_slice(&[0u8; NONCE_LEN]),
            Payload {
                msg: b"",
                aad: b"appdesk key id v1",
            },
        )
        .unwrap_or_default();
    let hex: String = tag.iter().map(|b| format!("{b:02x}")).collect();
    format!("k1.{hex}")
}

#[cfg(unix)]
fn readable_by_others(path: &Path) -> Option<String> {
    use std::os::unix::fs::PermissionsExt;
    let mode = fs::metadata(path).ok()?.permissions().mode();
    (mode & 0o077 != 0).then(|| {
        format!(
            "the key file {} can be read by other users (mode {:o}); run: chmod 600 {}",
            path.display(),
            mode & 0o777,
            path.display()
        )
    })
}

#[cfg(not(unix))]
fn readable_by_others(_: &Path) -> Option<String> {
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_match_r4_and_r8() {
        let key = new_app_key().unwrap();
        assert_eq!(key.len(), 4 + 25);
        assert!(key.starts_with("ak1."));
        assert!(
            key[4..]
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
        );
        assert!(
            new_client_id().unwrap().starts_with("cid.") && new_client_id().unwrap().len() == 29
        );
        let secret = new_client_secret().unwrap();
        assert!(secret.starts_with("cs1.") && secret.len() == 54);
        assert_ne!(new_app_key().unwrap(), new_app_key().unwrap());
        assert!(is_app_key(&key));
        assert!(!is_app_key(&key.to_uppercase()));
        assert!(!is_app_key(&key[..28]));
        assert!(!is_app_key(&format!("ak2.{}", &key[4..])));
    }

    #[test]
    fn every_character_of_the_alphabet_appears() {
        let sample = random_token(5000).unwrap();
        for c in ALPHABET.iter() {
            assert!(sample.as_bytes().contains(c), "{} never drawn", *c as char);
        }
    }

    #[test]
    fn sealed_secrets_open_only_with_the_same_key_and_context() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("k/appdesk.key");
        let key = SecretKey::load_or_create(&path).unwrap();
        let sealed = key.seal("cs1.hello", "conn-1").unwrap();
        assert!(!sealed.windows(9).any(|w| w == b"cs1.hello"));
        let again = SecretKey::load_or_create(&path).unwrap();
        assert_eq!(again.open(&sealed, "conn-1").unwrap(), "cs1.hello");
        assert!(again.open(&sealed, "conn-2").is_err());
        let other = SecretKey::load_or_create(&dir.path().join("other.key")).unwrap();
        assert!(
            other
                .open(&sealed, "conn-1")
                .unwrap_err()
                .to_string()
                .contains("another key")
        );
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = fs::metadata(&path).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
            assert!(again.warning().is_none());
            fs::set_permissions(&path, fs::Permissions::from_mode(0o644)).unwrap();
            let shared = SecretKey::load(&path).unwrap();
            assert!(shared.warning().unwrap().contains("chmod 600"));
        }
    }

    #[test]
    fn a_key_id_names_one_key_and_does_not_contain_it() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.key");
        let key = SecretKey::load_or_create(&path).unwrap();
        let bytes = fs::read(&path).unwrap();
        let id = key.id();
        assert!(id.starts_with("k1.") && id.len() == 3 + 32, "{id}");
        let key_hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
        assert!(!key_hex.contains(&id[3..]) && !id.contains(&key_hex[..8]));
        assert_eq!(SecretKey::load(&path).unwrap().id(), id, "stable");
        let other = SecretKey::load_or_create(&dir.path().join("b.key")).unwrap();
        assert_ne!(other.id(), id);
        let missing = SecretKey::load(&dir.path().join("none.key")).unwrap_err();
        assert!(missing.to_string().contains("none.key"), "{missing}");
        assert!(!dir.path().join("none.key").exists());
    }

    #[test]
    fn a_damaged_key_file_is_a_clear_error() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("bad.key");
        fs::write(&path, b"short").unwrap();
        let err = SecretKey::load_or_create(&path).unwrap_err().to_string();
        assert!(err.contains("5 bytes") && err.contains("bad.key"), "{err}");
    }
}

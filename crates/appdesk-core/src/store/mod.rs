//! The store: one handle over one SQLite database file.
//!
//! [`Store`] is cheap to clone and shared by every caller (CLI command, desktop
//! command, test thread). It keeps a small pool of open connections: a caller
//! takes one, does its work, and gives it back. The pool's lock is held only to
//! take or return a connection, never while SQL runs, so a slow query in one
//! caller cannot freeze another; SQLite itself arbitrates writers (WAL mode and a
//! busy timeout), which also lets the CLI and the desktop app use the same file at
//! once.
//!
//! Every operation that changes data is one `BEGIN IMMEDIATE` transaction: it
//! writes all of its rows and its activity entry, or nothing.

mod activity;
mod apps;
mod connections;
mod drafts;
mod exchange;
pub mod migrate;
mod names;
mod rows;
mod scopes;
mod state;
mod tenants;

use std::ops::{Deref, DerefMut};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, PoisonError, RwLock};
use std::time::Duration;

use rusqlite::{Connection, OpenFlags, TransactionBehavior};

use crate::catalog::Catalog;
use crate::error::{Error, Result};
use crate::secrets::SecretKey;

pub use apps::DeletedApp;
pub use connections::ConnectionOutcome;
pub use exchange::{FieldChange, ImportPlan, PlanAction, PlannedApp};
pub use scopes::ScopePreview;
pub use tenants::TenantAdd;

/// Idle connections kept open for reuse.
const POOL_IDLE_MAX: usize = 4;
const BUSY_TIMEOUT: Duration = Duration::from_secs(10);
const USER_MAX: usize = 120;

/// How to open a store.
#[derive(Debug, Clone, Default)]
pub struct StoreOptions {
    /// The key file that seals client secrets; default: the database path with
    /// the extension `.key`, beside it (never inside the database).
    pub key_file: Option<PathBuf>,
    /// The user stamp; default: the configured one, else the OS user name (R10).
    pub user: Option<String>,
    /// A newer scope catalog; default: the one shipped with this build.
    pub catalog: Option<Catalog>,
}

/// See [`Store::diagnostics`].
#[derive(Debug, Clone, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Diagnostics {
    /// `None` for an in-memory store.
    pub database: Option<String>,
    pub key_file: String,
    pub schema_version: i64,
    pub journal_mode: String,
    pub foreign_keys: bool,
    /// 0 OFF, 1 NORMAL, 2 FULL, 3 EXTRA.
    pub synchronous: String,
    pub busy_timeout_ms: i64,
    pub catalog_version: String,
    pub user: String,
}

#[derive(Clone, Debug)]
pub struct Store {
    inner: Arc<Inner>,
}

#[derive(Debug)]
struct Inner {
    target: Target,
    idle: Mutex<Vec<Connection>>,
    catalog: Catalog,
    key_file: PathBuf,
    key: Mutex<Option<SecretKey>>,
    user: RwLock<String>,
    /// A connection that only ever reads `PRAGMA data_version` (see
    /// [`Store::change_token`]); opened on first use.
    watch: Mutex<Option<Connection>>,
    /// Every app's folded name, for searches too short for the trigram index
    /// (see `names.rs`); loaded on first use, reloaded after any change.
    names: Mutex<Option<names::NameList>>,
}

#[derive(Debug)]
enum Target {
    File(PathBuf),
    /// A shared-cache in-memory database; `anchor` keeps it alive.
    Memory {
        uri: String,
        _anchor: Mutex<Connection>,
    },
}

impl Store {
    /// Opens (creating if needed) the database file at `path` and brings its
    /// schema up to date. A file whose schema is newer than this build knows is
    /// refused and left untouched.
    pub fn open(path: &Path, options: StoreOptions) -> Result<Store> {
        let open_err = |reason: String| Error::Open {
            path: path.display().to_string(),
            reason,
        };
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir)
                .map_err(|e| open_err(format!("cannot create its folder: {e}")))?;
        }
        let mut conn = open_file(path).map_err(|e| open_err(e.to_string()))?;
        let found = migrate::schema_version(&conn).map_err(|e| open_err(e.to_string()))?;
        if found > migrate::latest() {
            return Err(Error::SchemaTooNew {
                path: path.display().to_string(),
                found,
                known: migrate::latest(),
            });
        }
        let mode: String = conn
            .query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0))
            .map_err(|e| open_err(e.to_string()))?;
        if !mode.eq_ignore_ascii_case("wal") {
            return Err(open_err(format!("cannot switch to WAL mode (got {mode})")));
        }
        migrate::migrate_to(&mut conn, migrate::latest())?;
        let key_file = options
            .key_file
            .clone()
            .unwrap_or_else(|| path.with_extension("key"));
        Self::finish(Target::File(path.to_owned()), conn, key_file, options)
    }

    /// A private database in memory, for tests and throwaway use. Secrets are
    /// sealed with a key that exists only in memory.
    pub fn open_in_memory(options: StoreOptions) -> Result<Store> {
        let uri = format!(
            "file:appdesk-{}?mode=memory&cache=shared",
            uuid::Uuid::now_v7()
        );
        let mut anchor = open_uri(&uri)?;
        migrate::migrate_to(&mut anchor, migrate::latest())?;
        let conn = open_uri(&uri)?;
        let store = Self::finish(
            Target::Memory {
                uri,
                _anchor: Mutex::new(anchor),
            },
            conn,
            PathBuf::from("(in memory)"),
            options,
        )?;
        *lock(&store.inner.key) = Some(SecretKey::ephemeral()?);
        Ok(store)
    }

    fn finish(
        target: Target,
        conn: Connection,
        key_file: PathBuf,
        o: StoreOptions,
    ) -> Result<Store> {
        let user = match o.user {
            Some(u) => check_user(&u)?,
            None => configured_user(&conn)?.unwrap_or_else(os_user),
        };
        Ok(Store {
            inner: Arc::new(Inner {
                target,
                idle: Mutex::new(vec![conn]),
                catalog: o.catalog.unwrap_or_else(Catalog::embedded),
                key_file,
                key: Mutex::new(None),
                user: RwLock::new(user),
                watch: Mutex::new(None),
                names: Mutex::new(None),
            }),
        })
    }

    /// The database file, or `None` for an in-memory store.
    pub fn path(&self) -> Option<&Path> {
        match &self.inner.target {
            Target::File(p) => Some(p),
            Target::Memory { .. } => None,
        }
    }

    pub fn key_file(&self) -> &Path {
        &self.inner.key_file
    }

    pub fn catalog(&self) -> &Catalog {
        &self.inner.catalog
    }

    /// The user stamp recorded on every change made through this handle.
    pub fn user(&self) -> String {
        self.inner
            .user
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    /// Sets the configured user name in the database and uses it from now on.
    pub fn set_configured_user(&self, name: &str) -> Result<String> {
        let name = check_user(name)?;
        self.write(|tx| {
            tx.execute(
                "INSERT INTO settings (key, value) VALUES ('user', ?1)
                 ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                [&name],
            )?;
            Ok(())
        })?;
        *self
            .inner
            .user
            .write()
            .unwrap_or_else(PoisonError::into_inner) = name.clone();
        Ok(name)
    }

    /// What the store is running on, for the settings screen and for tests.
    pub fn diagnostics(&self) -> Result<Diagnostics> {
        let conn = self.conn()?;
        let pragma = |name: &str| -> Result<String> {
            Ok(conn.query_row(&format!("PRAGMA {name}"), [], |r| {
                r.get::<_, rusqlite::types::Value>(0).map(|v| match v {
                    rusqlite::types::Value::Integer(i) => i.to_string(),
                    rusqlite::types::Value::Text(t) => t,
                    other => format!("{other:?}"),
                })
            })?)
        };
        Ok(Diagnostics {
            database: self.path().map(|p| p.display().to_string()),
            key_file: self.key_file().display().to_string(),
            schema_version: pragma("user_version")?.parse().unwrap_or_default(),
            journal_mode: pragma("journal_mode")?,
            foreign_keys: pragma("foreign_keys")? == "1",
            synchronous: pragma("synchronous")?,
            busy_timeout_ms: pragma("busy_timeout")?.parse().unwrap_or_default(),
            catalog_version: self.catalog().catalog_version.clone(),
            user: self.user(),
        })
    }

    /// A number that changes whenever a change to the database is committed, by
    /// this handle, another handle or another process (the CLI), so that a
    /// window can poll it cheaply and reload only when something changed.
    ///
    /// It is SQLite's `PRAGMA data_version` on a connection kept for this alone:
    /// that value is per connection and moves when *another* connection commits,
    /// which every write is, since this one never writes. Compare tokens from
    /// the same store handle only.
    pub fn change_token(&self) -> Result<i64> {
        let mut slot = lock(&self.inner.watch);
        let conn = match slot.take() {
            Some(c) => c,
            None => self.open_connection()?,
        };
        let token = conn.query_row("PRAGMA data_version", [], |r| r.get(0))?;
        *slot = Some(conn);
        Ok(token)
    }

    fn open_connection(&self) -> Result<Connection> {
        match &self.inner.target {
            Target::File(path) => open_file(path),
            Target::Memory { uri, .. } => open_uri(uri),
        }
    }

    /// Takes a connection from the pool, opening one if none is idle.
    fn conn(&self) -> Result<Pooled<'_>> {
        let idle = lock(&self.inner.idle).pop();
        let conn = match idle {
            Some(c) => c,
            None => self.open_connection()?,
        };
        Ok(Pooled {
            conn: Some(conn),
            store: self,
        })
    }

    /// Runs `f` in one write transaction: all of it is committed, or none.
    fn write<T>(&self, f: impl FnOnce(&Connection) -> Result<T>) -> Result<T> {
        let mut conn = self.conn()?;
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let out = f(&tx)?;
        tx.commit()?;
        Ok(out)
    }

    /// Runs `f` in one read transaction, so that it sees one consistent snapshot.
    fn read<T>(&self, f: impl FnOnce(&Connection) -> Result<T>) -> Result<T> {
        let mut conn = self.conn()?;
        let tx = conn.transaction_with_behavior(TransactionBehavior::Deferred)?;
        let out = f(&tx)?;
        tx.finish()?;
        Ok(out)
    }

    /// The key that seals client secrets, loaded (or created) on first use, so
    /// that reading a database never creates a key file.
    fn secret_key(&self) -> Result<SecretKey> {
        let mut slot = lock(&self.inner.key);
        if let Some(key) = slot.as_ref() {
            return Ok(key.clone());
        }
        let key = SecretKey::load_or_create(&self.inner.key_file)?;
        *slot = Some(key.clone());
        Ok(key)
    }
}

/// A connection on loan from the pool; it goes back when dropped.
struct Pooled<'a> {
    conn: Option<Connection>,
    store: &'a Store,
}

impl Deref for Pooled<'_> {
    type Target = Connection;
    fn deref(&self) -> &Connection {
        self.conn
            .as_ref()
            .unwrap_or_else(|| unreachable!("taken only in drop"))
    }
}

impl DerefMut for Pooled<'_> {
    fn deref_mut(&mut self) -> &mut Connection {
        self.conn
            .as_mut()
            .unwrap_or_else(|| unreachable!("taken only in drop"))
    }
}

impl Drop for Pooled<'_> {
    fn drop(&mut self) {
        if let Some(conn) = self.conn.take() {
            let mut idle = lock(&self.store.inner.idle);
            if idle.len() < POOL_IDLE_MAX && conn.is_autocommit() {
                idle.push(conn);
            }
        }
    }
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

fn open_file(path: &Path) -> Result<Connection> {
    let flags = OpenFlags::SQLITE_OPEN_READ_WRITE
        | OpenFlags::SQLITE_OPEN_CREATE
        | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    let conn = Connection::open_with_flags(path, flags)?;
    configure(&conn)?;
    Ok(conn)
}

fn open_uri(uri: &str) -> Result<Connection> {
    let flags = OpenFlags::SQLITE_OPEN_READ_WRITE
        | OpenFlags::SQLITE_OPEN_CREATE
        | OpenFlags::SQLITE_OPEN_URI
        | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    let conn = Connection::open_with_flags(uri, flags)?;
    configure(&conn)?;
    Ok(conn)
}

/// The per-connection pragmas of DESIGN §2 (WAL is a property of the file and is
/// set once, in [`Store::open`]).
fn configure(conn: &Connection) -> Result<()> {
    conn.busy_timeout(BUSY_TIMEOUT)?;
    conn.pragma_update(None, "foreign_keys", "ON")?;
    conn.pragma_update(None, "synchronous", "NORMAL")?;
    conn.set_prepared_statement_cache_capacity(64);
    Ok(())
}

fn configured_user(conn: &Connection) -> Result<Option<String>> {
    use rusqlite::OptionalExtension;
    Ok(conn
        .query_row("SELECT value FROM settings WHERE key = 'user'", [], |r| {
            r.get(0)
        })
        .optional()?)
}

/// The OS user name, the default user stamp (R10).
pub fn os_user() -> String {
    let name = whoami::username();
    if name.trim().is_empty() {
        "unknown".to_owned()
    } else {
        name
    }
}

fn check_user(name: &str) -> Result<String> {
    crate::validate::required_text(name, "user", "User name", USER_MAX)
        .map_err(|p| Error::Invalid(vec![p]))
}

/// Now, as stored: RFC 3339 UTC with milliseconds (sorts as text).
fn now() -> String {
    chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}

fn new_id() -> String {
    uuid::Uuid::now_v7().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::AppInput;

    #[test]
    fn change_token_moves_on_commits_from_this_and_other_handles() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.db");
        let window = Store::open(&path, StoreOptions::default()).unwrap();
        let cli = Store::open(&path, StoreOptions::default()).unwrap();
        let t0 = window.change_token().unwrap();
        assert_eq!(window.change_token().unwrap(), t0, "no commit, no change");
        window.app("nothing").unwrap_err();
        assert_eq!(window.change_token().unwrap(), t0, "reads are not changes");
        let draft = cli.save_draft(&AppInput::default()).unwrap();
        let t1 = window.change_token().unwrap();
        assert_ne!(t1, t0, "a commit by another handle");
        let input = AppInput {
            name: "x".into(),
            ..AppInput::default()
        };
        window.update_draft(&draft.id, &input).unwrap();
        assert_ne!(
            window.change_token().unwrap(),
            t1,
            "a commit by this handle"
        );
    }
}

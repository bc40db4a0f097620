//! The store: one handle over one SQLite database file.
//!
//! [`Store`] is cheap to clone and shared by every caller (CLI command, desktop
//! command, test thread). It keeps a bounded pool of open connections (see
//! `pool.rs`): a caller takes one, does its work, and gives it back. SQLite
//! itself arbitrates writers (WAL mode and a busy timeout), which also lets the
//! CLI and the desktop app use the same file at once. How a file is created,
//! migrated and opened read-only is in `open.rs`; which key seals client secrets
//! is in `keys.rs`.
//!
//! Every operation that changes data is one `BEGIN IMMEDIATE` transaction: it
//! writes all of its rows and its activity entry, or nothing.

mod activity;
mod apps;
mod catalogs;
mod conflicts;
mod connections;
mod drafts;
mod exchange;
mod in_effect;
mod keys;
mod ledger;
pub mod migrate;
mod names;
mod open;
mod outbox;
mod pool;
mod portal_connections;
mod quarantine;
mod recreate;
mod remotes;
mod request_sending;
mod rotation;
mod rows;
mod scopes;
mod search;
mod state;
mod sync_history;
mod sync_page;
mod sync_pull;
mod sync_push;
mod sync_status;
mod sync_write;
mod tenants;
mod update_settings;

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, PoisonError, RwLock};

use rusqlite::{Connection, TransactionBehavior};

use crate::catalog::Catalog;
use crate::error::{Error, Result};
use crate::secrets::SecretKey;

pub use activity::activity_csv;
pub use apps::DeletedApp;
pub use catalogs::{CatalogUpdate, RetiredUse};
pub use conflicts::{Resolution, ResolvedField, StoredConflict};
pub use connections::ConnectionOutcome;
pub use exchange::{FieldChange, ImportMode, ImportPlan, ImportStage, PlanAction, PlannedApp};
pub use pool::PoolState;
pub use portal_connections::PortalTarget;
pub use quarantine::Quarantined;
pub use remotes::{BearerToken, Remote, RemoteAdded, RemoteRemoved};
pub use request_sending::RequestSent;
pub use rotation::StaleSecret;
pub use scopes::ScopePreview;
pub use sync_page::Page;
pub use sync_pull::{PortalApp, Pulled, SyncLink, Theirs};
pub use sync_push::{Ack, Queued, Sending, SyncPlan};
pub use sync_status::SyncStatus;
pub use tenants::TenantAdd;

use open::Access;
pub(crate) use open::private_dir;

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
    pool: pool::Pool,
    catalog: Catalog,
    key_file: PathBuf,
    /// The key, once loaded and checked (see `keys.rs`).
    key: Mutex<Option<SecretKey>>,
    /// Warnings for the user met on the way (a key file others can read).
    warnings: Mutex<Vec<String>>,
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
    File(PathBuf, Access),
    /// A shared-cache in-memory database; `anchor` keeps it alive.
    Memory {
        uri: String,
        _anchor: Mutex<Connection>,
    },
}

impl Store {
    /// Opens the database file at `path`, creating it (and its folders) if it
    /// does not exist, and brings its schema up to date. For commands that add
    /// data; see `open.rs` for the rules.
    pub fn open(path: &Path, options: StoreOptions) -> Result<Store> {
        open::create_private(path).map_err(|e| Error::Open {
            path: path.display().to_string(),
            reason: format!("cannot create it: {e}"),
        })?;
        Self::open_existing(path, options)
    }

    /// Opens the database file at `path`, which must exist: a mistyped path is
    /// [`Error::NoDatabase`], and nothing is created. A file whose schema is newer
    /// than this build knows is refused and left untouched. A file or folder that
    /// cannot be written is opened read-only: reads work, writes fail with
    /// [`Error::ReadOnly`].
    pub fn open_existing(path: &Path, options: StoreOptions) -> Result<Store> {
        match std::fs::metadata(path) {
            Err(_) => {
                return Err(Error::NoDatabase {
                    path: path.display().to_string(),
                });
            }
            // A folder, FIFO or device is refused before SQLite opens it: SQLite
            // would answer "disk I/O error", or create a journal beside it.
            Ok(meta) if !meta.is_file() => {
                return Err(Error::Open {
                    path: path.display().to_string(),
                    reason: format!(
                        "not a database file: it is {}",
                        crate::user_file::kind(&meta.file_type())
                    ),
                });
            }
            Ok(_) => {}
        }
        let (conn, access) = open::open_and_migrate(path).map_err(|e| match e {
            Error::Database(e) => Error::Open {
                path: path.display().to_string(),
                reason: e.to_string(),
            },
            e => e,
        })?;
        let key_file = options
            .key_file
            .clone()
            .unwrap_or_else(|| crate::paths::key_file_beside(path));
        Self::finish(
            Target::File(path.to_owned(), access),
            conn,
            key_file,
            options,
        )
    }

    /// A private database in memory, for tests and throwaway use. Secrets are
    /// sealed with a key that exists only in memory.
    pub fn open_in_memory(options: StoreOptions) -> Result<Store> {
        let uri = format!(
            "file:appdesk-{}?mode=memory&cache=shared",
            uuid::Uuid::now_v7()
        );
        let mut anchor = open::open_uri(&uri)?;
        migrate::migrate_to(&mut anchor, migrate::latest())?;
        let conn = open::open_uri(&uri)?;
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
            // The setting may have been written by another tool: checked too.
            None => match configured_user(&conn)? {
                Some(u) => check_user(&u)?,
                None => os_user(),
            },
        };
        let catalog = match o.catalog {
            Some(c) => c,
            None => catalogs::stored(&conn)?.unwrap_or_else(Catalog::embedded),
        };
        Ok(Store {
            inner: Arc::new(Inner {
                target,
                pool: pool::Pool::new(conn, pool::POOL_MAX, pool::ACQUIRE_TIMEOUT),
                catalog,
                key_file,
                key: Mutex::new(None),
                warnings: Mutex::new(Vec::new()),
                user: RwLock::new(user),
                watch: Mutex::new(None),
                names: Mutex::new(None),
            }),
        })
    }

    /// The database file, or `None` for an in-memory store.
    pub fn path(&self) -> Option<&Path> {
        match &self.inner.target {
            Target::File(p, _) => Some(p),
            Target::Memory { .. } => None,
        }
    }

    /// Whether this database was opened read-only (see [`Store::open_existing`]).
    pub fn read_only(&self) -> bool {
        matches!(self.inner.target, Target::File(_, Access::ReadOnly(_)))
    }

    /// Warnings for the user gathered so far, e.g. a key file that other users can
    /// read; each is returned once.
    pub fn take_warnings(&self) -> Vec<String> {
        std::mem::take(&mut *lock(&self.inner.warnings))
    }

    fn warn(&self, warning: &str) {
        let mut warnings = lock(&self.inner.warnings);
        if !warnings.iter().any(|w| w == warning) {
            warnings.push(warning.to_owned());
        }
    }

    /// How many pooled connections exist and how many are idle.
    pub fn pool_state(&self) -> PoolState {
        self.inner.pool.state()
    }

    /// Fails with [`Error::ReadOnly`] when the database cannot be written.
    fn writable(&self, action: &str) -> Result<()> {
        match &self.inner.target {
            Target::File(path, Access::ReadOnly(_)) => Err(Error::ReadOnly {
                path: path.display().to_string(),
                action: action.to_owned(),
            }),
            _ => Ok(()),
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
            Target::File(path, access) => open::open_file(path, access),
            Target::Memory { uri, .. } => open::open_uri(uri),
        }
    }

    /// Takes a connection from the pool (see `pool.rs`).
    fn conn(&self) -> Result<pool::Pooled<'_>> {
        self.inner.pool.acquire(|| self.open_connection())
    }

    /// Runs `f` in one write transaction: all of it is committed, or none.
    fn write<T>(&self, f: impl FnOnce(&Connection) -> Result<T>) -> Result<T> {
        self.writable("this command changes data; nothing was changed")?;
        let mut conn = self.conn()?;
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let out = f(&tx)?;
        tx.commit()?;
        Ok(out)
    }

    /// Runs `f` in one write transaction and rolls it back: what a plan
    /// computes by doing it, leaving the database as it was.
    fn rolled_back<T>(&self, f: impl FnOnce(&Connection) -> Result<T>) -> Result<T> {
        let mut conn = self.conn()?;
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let out = f(&tx)?;
        tx.rollback()?;
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
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(PoisonError::into_inner)
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
/// A name the text rule refuses (blank, control characters) becomes `unknown`.
pub fn os_user() -> String {
    crate::validate::user_stamp(&whoami::username(), "user")
        .unwrap_or_else(|_| "unknown".to_owned())
}

fn check_user(name: &str) -> Result<String> {
    crate::validate::user_stamp(name, "user").map_err(|p| Error::Invalid(vec![p]))
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

//! Where the database is and how the shell holds the store.
//!
//! The desktop app opens the same file as the `appdesk` CLI: `APPDESK_DB`, else
//! `appdesk/appdesk.db` in the platform's data directory, with `APPDESK_USER`,
//! `APPDESK_KEY_FILE` and `APPDESK_CATALOG` (a newer scope catalog file)
//! honoured the same way. If the store cannot be opened
//! (a schema newer than this build, a folder that cannot be created) the window
//! still opens and every command answers with that error, so the UI can say
//! what is wrong instead of the process vanishing.

use std::path::{Path, PathBuf};

use appdesk_core::{Catalog, ErrorBody, ErrorCode, Store, StoreOptions, paths};

/// The managed state: the store, or why it could not be opened.
#[derive(Debug)]
pub struct Shared {
    store: Result<Store, ErrorBody>,
}

impl Shared {
    pub fn new(store: Result<Store, ErrorBody>) -> Self {
        Self { store }
    }

    /// Runs `f` with the store on a blocking thread: database work never runs on
    /// the main (UI) thread. The store handle is a cheap clone of a pool.
    pub async fn run<T, F>(&self, f: F) -> Result<T, ErrorBody>
    where
        T: Send + 'static,
        F: FnOnce(&Store) -> appdesk_core::Result<T> + Send + 'static,
    {
        self.run_body(move |s| f(s).map_err(|e| e.body())).await
    }

    /// [`Shared::run`] for work whose error is already a body (the sync
    /// engine's, which may be the portal's and not the core's).
    pub async fn run_body<T, F>(&self, f: F) -> Result<T, ErrorBody>
    where
        T: Send + 'static,
        F: FnOnce(&Store) -> Result<T, ErrorBody> + Send + 'static,
    {
        let store = self.store.clone()?;
        tauri::async_runtime::spawn_blocking(move || f(&store))
            .await
            .map_err(|e| internal(format!("the database task failed: {e}")))?
    }
}

/// An error of the shell itself, in the core's error shape.
fn internal(message: String) -> ErrorBody {
    ErrorBody::new(ErrorCode::Internal, None, message)
}

/// The database file: `APPDESK_DB`, else the core's platform default.
pub fn database_path(env: impl Fn(&str) -> Option<String>) -> appdesk_core::Result<PathBuf> {
    match env("APPDESK_DB").filter(|v| !v.trim().is_empty()) {
        Some(path) => Ok(PathBuf::from(path)),
        None => paths::default_database(),
    }
}

/// Store options from `APPDESK_USER`, `APPDESK_KEY_FILE` and `APPDESK_CATALOG`.
pub fn store_options(env: impl Fn(&str) -> Option<String>) -> Result<StoreOptions, ErrorBody> {
    let set = |name: &str| env(name).filter(|v| !v.trim().is_empty());
    let catalog = match set("APPDESK_CATALOG") {
        None => None,
        Some(path) => Some(Catalog::from_file(Path::new(&path)).map_err(|e| e.body())?),
    };
    Ok(StoreOptions {
        key_file: set("APPDESK_KEY_FILE").map(PathBuf::from),
        user: set("APPDESK_USER"),
        catalog,
    })
}

pub fn open_from_env() -> Result<Store, ErrorBody> {
    let env = |name: &str| std::env::var(name).ok();
    let path = database_path(env).map_err(|e| e.body())?;
    Store::open(&path, store_options(env)?).map_err(|e| e.body())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vars(pairs: &'static [(&'static str, &'static str)]) -> impl Fn(&str) -> Option<String> {
        move |name| {
            pairs
                .iter()
                .find(|(k, _)| *k == name)
                .map(|(_, v)| (*v).to_owned())
        }
    }

    #[test]
    fn appdesk_db_wins_over_the_platform_default() {
        let path = database_path(vars(&[("APPDESK_DB", "/tmp/x.db")]));
        assert_eq!(path.unwrap(), PathBuf::from("/tmp/x.db"));
        let default = database_path(vars(&[("APPDESK_DB", " ")])).unwrap();
        assert!(default.ends_with("appdesk/appdesk.db"), "{default:?}");
    }

    #[test]
    fn user_and_key_file_come_from_the_environment() {
        let o =
            store_options(vars(&[("APPDESK_USER", "ada"), ("APPDESK_KEY_FILE", "/k")])).unwrap();
        assert_eq!(o.user.as_deref(), Some("ada"));
        assert_eq!(o.key_file, Some(PathBuf::from("/k")));
        let none = store_options(vars(&[("APPDESK_USER", "")])).unwrap();
        assert_eq!(none.user, None);
        assert!(none.catalog.is_none());
    }

    #[test]
    fn a_catalog_file_that_cannot_be_read_is_a_catalog_error() {
        let err = store_options(vars(&[("APPDESK_CATALOG", "/no/such/catalog.json")])).unwrap_err();
        assert_eq!(err.code, "catalog");
        assert!(
            err.message.contains("/no/such/catalog.json"),
            "{}",
            err.message
        );
    }
}

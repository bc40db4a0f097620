//! The command handlers, one module per area, and the [`Context`] they share.
//!
//! A handler parses its arguments into the core's types, calls ONE core method,
//! and renders the result as JSON or as text. It holds no rule of its own: if a
//! handler needs an `if` about apps, the rule belongs in `appdesk-core`.

mod apps;
mod catalog;
mod conflicts;
mod connections;
pub mod exchange;
mod log;
mod remotes;
mod scopes;
mod tenants;

use std::path::PathBuf;

use appdesk_core::{Catalog, Error, Store, StoreOptions};
use serde::Serialize;

use crate::cli::{Cli, Command, Global};
use crate::failure::Failure;

pub type Result<T, E = Failure> = std::result::Result<T, E>;

/// Runs the command and returns what to print on stdout.
pub fn run(cli: Cli) -> Result<String> {
    let ctx = Context { global: cli.global };
    let result = match cli.command {
        Command::Catalog => catalog::show(&ctx),
        Command::App(command) => apps::run(&ctx, command),
        Command::Conn(command) => connections::run(&ctx, command),
        Command::Export(args) => exchange::export(&ctx, args),
        Command::Import(args) => exchange::import(&ctx, args),
        Command::Remote(command) => remotes::run(&ctx, command),
        Command::Conflicts(command) => conflicts::run(&ctx, command),
        Command::Log { app, limit } => log::show(&ctx, app.as_deref(), limit),
    };
    result.map_err(Failure::with_default_field)
}

/// The global flags, and what they open.
#[derive(Debug)]
pub struct Context {
    global: Global,
}

impl Context {
    /// The scope catalog: the `--catalog` file's, else the one built in.
    pub fn catalog(&self) -> Result<Catalog> {
        let Some(path) = &self.global.catalog else {
            return Ok(Catalog::embedded());
        };
        let text = std::fs::read_to_string(path).map_err(|e| {
            Failure::new(
                "catalog",
                "catalog",
                format!("cannot read the catalog file {}: {e}", path.display()),
            )
        })?;
        Catalog::from_json(&text)
            .map_err(|e| Failure::new("catalog", "catalog", format!("{}: {e}", path.display())))
    }

    /// Opens the database that `--db` names (creating it if needed).
    pub fn store(&self) -> Result<Store> {
        let path = match &self.global.db {
            Some(path) => path.clone(),
            None => default_db()?,
        };
        let options = StoreOptions {
            key_file: self.global.key_file.clone(),
            user: self.global.user.clone(),
            catalog: match self.global.catalog {
                Some(_) => Some(self.catalog()?),
                None => None,
            },
        };
        Store::open(&path, options).map_err(|e| match e {
            Error::Open { .. } | Error::SchemaTooNew { .. } => Failure::from(e).blaming("db"),
            e => Failure::from(e),
        })
    }

    /// `value` as pretty JSON with `--json`, else as `human` renders it.
    pub fn render<T: Serialize + ?Sized>(
        &self,
        value: &T,
        human: impl FnOnce(&T) -> String,
    ) -> Result<String> {
        if !self.global.json {
            return Ok(human(value));
        }
        serde_json::to_string_pretty(value)
            .map(|mut text| {
                text.push('\n');
                text
            })
            .map_err(|e| Failure::new("output", "json", format!("cannot write JSON: {e}")))
    }
}

/// `appdesk/appdesk.db` in the platform data directory, shared with the desktop app.
fn default_db() -> Result<PathBuf> {
    dirs::data_dir()
        .map(|dir| dir.join("appdesk").join("appdesk.db"))
        .ok_or_else(|| {
            Failure::new(
                "open_failed",
                "db",
                "this platform has no data directory; give --db PATH or set APPDESK_DB",
            )
        })
}

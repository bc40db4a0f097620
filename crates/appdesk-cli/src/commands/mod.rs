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
mod ledger;
mod log;
mod remotes;
mod scopes;
pub mod sync;
mod tenants;

use std::cell::OnceCell;

use appdesk_core::{Catalog, Error, ErrorCode, Store, StoreOptions, paths};
use serde::Serialize;

use crate::cli::{Cli, Command, Global};
use crate::failure::Failure;

pub type Result<T, E = Failure> = std::result::Result<T, E>;

/// Runs the command and returns what to print on stdout.
pub fn run(cli: Cli) -> Result<String> {
    let ctx = Context {
        global: cli.global,
        opened: OnceCell::new(),
    };
    let result = match cli.command {
        Command::Catalog { command: None } => catalog::show(&ctx),
        Command::Catalog {
            command: Some(command),
        } => catalog::run(&ctx, command),
        Command::App(command) => apps::run(&ctx, command),
        Command::Conn(command) => connections::run(&ctx, command),
        Command::Export(args) => exchange::export(&ctx, args),
        Command::Import(args) => exchange::import(&ctx, args),
        Command::Remote(command) => remotes::run(&ctx, command),
        Command::Conflicts(command) => conflicts::run(&ctx, command),
        Command::Sync(args) => sync::run(&ctx, &args),
        Command::Log { app, limit } => log::show(&ctx, app.as_deref(), limit),
        Command::Behind {
            app,
            tenant,
            secrets,
        } => ledger::behind(&ctx, app.as_deref(), tenant.as_deref(), secrets),
        Command::Policy {
            rotate_secrets_after,
        } => ledger::policy(&ctx, rotate_secrets_after),
        Command::UpgradeRequest(args) => ledger::request(&ctx, &args),
        Command::Notes {
            app,
            from,
            to,
            format,
        } => ledger::notes(&ctx, &app, from, to, format),
    };
    // Warnings (a key file others can read) go to stderr, success or not.
    if let Some(store) = ctx.opened.get() {
        for warning in store.take_warnings() {
            eprintln!("warning: {warning}");
        }
    }
    result.map_err(Failure::with_default_field)
}

/// The global flags, and what they open.
#[derive(Debug)]
pub struct Context {
    global: Global,
    /// The store the command opened, for its warnings.
    opened: OnceCell<Store>,
}

impl Context {
    /// The scope catalog: the `--catalog` file's, else the one built in.
    pub fn catalog(&self) -> Result<Catalog> {
        match &self.global.catalog {
            Some(path) => Catalog::from_file(path).map_err(|e| Failure::from(e).blaming("catalog")),
            None => Ok(Catalog::embedded()),
        }
    }

    /// Opens the database that `--db` names, which must exist: a mistyped path
    /// creates nothing. Only commands that add data create it ([`Self::store_creating`]).
    pub fn store(&self) -> Result<Store> {
        self.open(Store::open_existing)
    }

    /// Opens the database that `--db` names, creating it if needed: for the
    /// commands that can succeed on an empty database (`app new`, `import`).
    pub fn store_creating(&self) -> Result<Store> {
        self.open(Store::open)
    }

    /// Opens the database that `--db` names or, where there is none yet, an
    /// empty one in memory that never reaches the disk: for commands that only
    /// read and plan (`import --dry-run`), which a newcomer runs before any
    /// database exists. Nothing is created.
    pub fn store_or_empty(&self) -> Result<Store> {
        match self.open(Store::open_existing) {
            Err(f) if f.code() == ErrorCode::NoDatabase => {
                self.open(|_, options| Store::open_in_memory(options))
            }
            other => other,
        }
    }

    fn open(
        &self,
        open: fn(&std::path::Path, StoreOptions) -> appdesk_core::Result<Store>,
    ) -> Result<Store> {
        let path = match &self.global.db {
            Some(path) => path.clone(),
            None => paths::default_database().map_err(|e| Failure::from(e).blaming("db"))?,
        };
        let options = StoreOptions {
            key_file: self.global.key_file.clone(),
            user: self.global.user.clone(),
            catalog: match self.global.catalog {
                Some(_) => Some(self.catalog()?),
                None => None,
            },
        };
        let store = open(&path, options).map_err(|e| match e {
            Error::Open { .. } | Error::SchemaTooNew { .. } => Failure::from(e).blaming("db"),
            e => Failure::from(e),
        })?;
        Ok(self.opened.get_or_init(|| store).clone())
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
            .map_err(|e| Failure::new(ErrorCode::Output, "json", format!("cannot write JSON: {e}")))
    }
}

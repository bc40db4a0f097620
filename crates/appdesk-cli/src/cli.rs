//! The command line as a contract: every command, flag and environment variable of
//! `appdesk`, declared with clap.
//!
//! Other tools script these names, so they change only deliberately. Nothing here
//! decides anything about apps: values are parsed into the core's own types (an
//! audience, an environment) and handed on; every rule lives in `appdesk-core`.

use std::path::PathBuf;

use appdesk_core::exchange::ExportFormat;
use appdesk_core::{Audience, Credentials, Environment, ListOnly, ListSort};
use clap::{ArgGroup, Args, Parser, Subcommand};

#[derive(Debug, Parser)]
#[command(
    name = "appdesk",
    version,
    about = "Draft, create and manage ServiceTitan API apps, scopes, tenants and connections \
             in a local database"
)]
pub struct Cli {
    #[command(flatten)]
    pub global: Global,
    #[command(subcommand)]
    pub command: Command,
}

/// Flags that every command takes, before or after its name.
#[derive(Debug, Args)]
pub struct Global {
    /// The database file [default: appdesk/appdesk.db in the platform data directory];
    /// `app new` and `import` create it, other commands need it to exist
    #[arg(long, global = true, env = "APPDESK_DB", value_name = "PATH")]
    pub db: Option<PathBuf>,

    /// The user stamp recorded on changes [default: the user configured in the
    /// database, else the OS user name]
    #[arg(long, global = true, env = "APPDESK_USER", value_name = "NAME")]
    pub user: Option<String>,

    /// Machine-readable output: JSON on stdout, errors as one JSON line on stderr
    #[arg(long, global = true)]
    pub json: bool,

    /// The key file that seals client secrets [default: the database path with the
    /// extension .key]
    #[arg(long, global = true, env = "APPDESK_KEY_FILE", value_name = "PATH")]
    pub key_file: Option<PathBuf>,

    /// A scope catalog JSON file to use instead of the one built in
    #[arg(long, global = true, env = "APPDESK_CATALOG", value_name = "FILE")]
    pub catalog: Option<PathBuf>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// The API modules and the access (View, Modify) each resource allows
    Catalog {
        #[command(subcommand)]
        command: Option<CatalogCommand>,
    },
    /// Draft, create, inspect, change and delete apps
    #[command(subcommand)]
    App(AppCommand),
    /// Tenants' connections to an app
    #[command(subcommand)]
    Conn(ConnCommand),
    /// Write app definitions as JSON files (never with a client secret)
    Export(ExportArgs),
    /// Read app definition files or folders: validate all, show the plan, apply it
    Import(ImportArgs),
    /// Link this database to a team portal, list or remove the link
    #[command(subcommand)]
    Remote(RemoteCommand),
    /// Fields a sync found changed differently here and on the portal
    #[command(subcommand)]
    Conflicts(ConflictsCommand),
    /// Pull from the linked portal, merge, push local changes, pull again
    Sync(crate::commands::sync::SyncArgs),
    /// The activity log, newest first
    Log {
        /// Only this app's activity (also works for a deleted app)
        app: Option<String>,
        /// How many entries to show
        #[arg(long, default_value_t = 50, allow_negative_numbers = true,
              value_parser = clap::value_parser!(i64).range(1..))]
        limit: i64,
    },
    /// Connections on an older version than their app's latest, longest behind first
    Behind {
        /// Only this app (id, app key or exact name)
        #[arg(long, value_name = "APP")]
        app: Option<String>,
        /// Only this tenant
        #[arg(long, value_name = "ID")]
        tenant: Option<String>,
        /// List secrets older than the rotation policy instead
        #[arg(long)]
        secrets: bool,
    },
    /// The rotation policy: rotate client secrets older than N days (default 180)
    Policy {
        /// Set the policy to N days
        #[arg(long, value_name = "N", allow_negative_numbers = true)]
        rotate_secrets_after: Option<i64>,
    },
    /// Record that a tenant's admin was asked to upgrade to the app's latest version
    UpgradeRequest(UpgradeRequestArgs),
    /// Upgrade notes for tenant admins: what changes for their data between two versions
    Notes {
        /// The app's id, app key or exact name
        app: String,
        /// From this version [default: the oldest version a connection is on]
        #[arg(long, value_name = "N", allow_negative_numbers = true)]
        from: Option<i64>,
        /// To this version [default: the latest]
        #[arg(long, value_name = "M", allow_negative_numbers = true)]
        to: Option<i64>,
        /// text or markdown
        #[arg(long, value_enum, default_value_t = NotesFormat::Text)]
        format: NotesFormat,
    },
}

/// How `appdesk notes` writes the notes (with `--json`, as data).
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum NotesFormat {
    Text,
    Markdown,
}

/// Catalog updates: compare or apply a newer catalog file (the built-in one's format)
#[derive(Debug, Subcommand)]
pub enum CatalogCommand {
    /// What FILE adds, renames and removes against the catalog in use; changes nothing
    Diff {
        /// A catalog file
        file: PathBuf,
    },
    /// Make FILE the catalog in use; dropped resources are kept as retired, never lost
    Update {
        /// A catalog file
        file: PathBuf,
    },
}

/// Who an upgrade request is for: one tenant, or every connection behind.
#[derive(Debug, Args)]
#[command(group(ArgGroup::new("who").required(true).args(["tenant", "all"])))]
pub struct UpgradeRequestArgs {
    /// The app's id, app key or exact name
    pub app: String,
    /// The tenant ID
    #[arg(long, value_name = "ID")]
    pub tenant: Option<String>,
    /// Only this environment (integration or production) [default: each one behind]
    #[arg(long, value_name = "E", requires = "tenant")]
    pub env: Option<Environment>,
    /// Every connection behind on the app
    #[arg(long)]
    pub all: bool,
}

#[derive(Debug, Args)]
#[command(group(ArgGroup::new("which").required(true).args(["app", "all"])))]
pub struct ExportArgs {
    /// The app's id, app key or exact name
    pub app: Option<String>,
    /// Every app and draft: one file each in the --out folder, or one JSON array on
    /// stdout
    #[arg(long)]
    pub all: bool,
    /// The file to write (one app) or the folder (with --all) [default: stdout]
    #[arg(long, value_name = "PATH")]
    pub out: Option<PathBuf>,
    /// Include every version of the scope set, with its date and user
    #[arg(long)]
    pub history: bool,
    /// appdesk (the app definition) or portal (the portal's save payload)
    #[arg(long, default_value = "appdesk", value_name = "F")]
    pub format: ExportFormat,
}

#[derive(Debug, Args)]
pub struct ImportArgs {
    /// Files, or folders of .json files
    #[arg(required = true, value_name = "PATH")]
    pub paths: Vec<PathBuf>,
    /// Validate and show the plan (with its fingerprint); write nothing
    #[arg(long)]
    pub dry_run: bool,
    /// Apply only if the plan is still the one a --dry-run showed with this
    /// fingerprint (the files and the database unchanged); else write nothing
    #[arg(long, value_name = "HEX", conflicts_with = "dry_run")]
    pub expect_fingerprint: Option<String>,
}

#[derive(Debug, Subcommand)]
pub enum AppCommand {
    /// Create an app (validated, with its app key and version 1), or save a draft
    New(NewArgs),
    /// Turn a draft into an app: validates it, generates the app key, makes version 1
    Create {
        /// The draft's id or exact name
        app: String,
    },
    /// Apps and drafts, sorted by name (or as --sort says)
    List(ListArgs),
    /// One app or draft; a draft also shows what still blocks creating it
    Show {
        /// The app's id, app key or exact name
        app: String,
    },
    /// Every version of the app's scope set, oldest first
    History {
        /// The app's id, app key or exact name
        app: String,
    },
    /// Delete an app: its key is retired for good and its connections end
    Delete {
        /// The app's id, app key or exact name
        app: String,
    },
    /// Change an app's name, organization, homepage, audience or credentials
    Edit(EditArgs),
    /// Add or remove API scopes; a changed set makes the next version
    Scopes(ScopesArgs),
    /// Add or remove the tenants the app is visible to
    Tenants(TenantsArgs),
}

#[derive(Debug, Args)]
pub struct NewArgs {
    /// The app's name (required unless --draft)
    #[arg(long, value_name = "N")]
    pub name: Option<String>,
    /// The organization's name (required unless --draft)
    #[arg(long, value_name = "O")]
    pub org: Option<String>,
    /// The organization's home page, http:// or https:// (required unless --draft)
    #[arg(long, value_name = "URL")]
    pub homepage: Option<String>,
    /// private (one customer) or public (many)
    #[arg(long, default_value_t, value_name = "A")]
    pub audience: Audience,
    /// Who generates client secrets: developer or tenant
    #[arg(long, default_value_t, value_name = "C")]
    pub credentials: Credentials,
    /// A tenant the app is visible to, with an optional note; repeat for more
    #[arg(long = "tenant", value_name = "ID[=NOTE]")]
    pub tenants: Vec<String>,
    /// An API scope: name:r (View), name:w (Modify) or name:rw (both); repeat for more
    #[arg(long = "scope", value_name = "S")]
    pub scopes: Vec<String>,
    /// Save a draft as it is, however incomplete; `appdesk app create` creates it later
    #[arg(long)]
    pub draft: bool,
}

#[derive(Debug, Args)]
pub struct ListArgs {
    /// Only apps whose name or organization contains this text (case-insensitive),
    /// or whose app key, client ID or tenant ID starts with it
    #[arg(long, value_name = "TEXT", default_value = "")]
    pub filter: String,
    /// At most this many apps
    #[arg(long, value_name = "N", allow_negative_numbers = true,
          value_parser = clap::value_parser!(i64).range(0..))]
    pub limit: Option<i64>,
    /// Skip this many apps first
    #[arg(long, value_name = "N", default_value_t = 0, allow_negative_numbers = true,
          value_parser = clap::value_parser!(i64).range(0..))]
    pub offset: i64,
    /// all, drafts, created, or behind (apps with a connection on an older version)
    #[arg(long, value_enum, default_value_t = ListOnlyArg::All, value_name = "WHICH")]
    pub only: ListOnlyArg,
    /// name, updated (latest change first) or behind (most connections behind first)
    #[arg(long, value_enum, default_value_t = ListSortArg::Name, value_name = "ORDER")]
    pub sort: ListSortArg,
    /// Counts, as the window's list shows them: tenants, connections, connections behind
    #[arg(long)]
    pub summary: bool,
}

/// `app list --only`: the core's [`ListOnly`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ListOnlyArg {
    All,
    Drafts,
    Created,
    Behind,
}

impl From<ListOnlyArg> for ListOnly {
    fn from(arg: ListOnlyArg) -> Self {
        match arg {
            ListOnlyArg::All => ListOnly::All,
            ListOnlyArg::Drafts => ListOnly::Drafts,
            ListOnlyArg::Created => ListOnly::Created,
            ListOnlyArg::Behind => ListOnly::Behind,
        }
    }
}

/// `app list --sort`: the core's [`ListSort`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ListSortArg {
    Name,
    Updated,
    Behind,
}

impl From<ListSortArg> for ListSort {
    fn from(arg: ListSortArg) -> Self {
        match arg {
            ListSortArg::Name => ListSort::Name,
            ListSortArg::Updated => ListSort::Updated,
            ListSortArg::Behind => ListSort::Behind,
        }
    }
}

#[derive(Debug, Args)]
#[command(group(
    ArgGroup::new("changes")
        .required(true)
        .multiple(true)
        .args(["name", "org", "homepage", "audience", "credentials"])
))]
pub struct EditArgs {
    /// The app's id, app key or exact name
    pub app: String,
    #[arg(long, value_name = "N")]
    pub name: Option<String>,
    #[arg(long, value_name = "O")]
    pub org: Option<String>,
    #[arg(long, value_name = "URL")]
    pub homepage: Option<String>,
    /// private or public
    #[arg(long, value_name = "A")]
    pub audience: Option<Audience>,
    /// developer or tenant
    #[arg(long, value_name = "C")]
    pub credentials: Option<Credentials>,
}

#[derive(Debug, Args)]
pub struct ScopesArgs {
    /// The app's id, app key or exact name
    pub app: String,
    /// A scope to add: name:r, name:w or name:rw; repeat for more
    #[arg(long, value_name = "S")]
    pub add: Vec<String>,
    /// A scope to remove: name:r, name:w or name:rw; repeat for more
    #[arg(long, value_name = "S")]
    pub remove: Vec<String>,
}

#[derive(Debug, Args)]
pub struct TenantsArgs {
    /// The app's id, app key or exact name
    pub app: String,
    /// A tenant to add (or whose note to change); repeat for more
    #[arg(long, value_name = "ID[=NOTE]")]
    pub add: Vec<String>,
    /// A tenant to remove (its connections end); repeat for more
    #[arg(long, value_name = "ID")]
    pub remove: Vec<String>,
}

#[derive(Debug, Subcommand)]
pub enum ConnCommand {
    /// Connect a tenant of the app's list at the latest version; prints the client
    /// ID and secret
    Connect(ConnTarget),
    /// Every connection of the app (never the secrets)
    List {
        /// The app's id, app key or exact name
        app: String,
    },
    /// One connection: version, scopes in play, what an upgrade would change
    Show {
        #[command(flatten)]
        target: ConnTarget,
        /// Also print the client secret
        #[arg(long)]
        reveal: bool,
    },
    /// Move the connection to the app's latest version (client ID and secret stay)
    Upgrade(ConnTarget),
    /// Disable the connection
    Disable(ConnTarget),
    /// Enable a disabled connection
    Enable(ConnTarget),
    /// Generate a new client secret; the old one stops being valid
    Regenerate(ConnTarget),
    /// Generate a new client secret and keep the current one valid until retire-previous
    Rotate(ConnTarget),
    /// End the previous client secret of a rotation
    RetirePrevious(ConnTarget),
}

/// One tenant's connection to one app in one environment.
#[derive(Debug, Args)]
pub struct ConnTarget {
    /// The app's id, app key or exact name
    pub app: String,
    /// The tenant ID
    #[arg(long, value_name = "ID")]
    pub tenant: String,
    /// integration or production
    #[arg(long, value_name = "E", default_value_t = Environment::Integration)]
    pub env: Environment,
}

#[cfg(test)]
mod tests {
    use clap::CommandFactory;

    #[test]
    fn the_command_line_is_well_formed() {
        super::Cli::command().debug_assert();
    }
}

#[derive(Debug, Subcommand)]
pub enum RemoteCommand {
    /// Link this database to the portal at URL (https; plain http only on loopback).
    /// Existing apps are queued for their first push. The token is sealed at rest.
    #[command(group(ArgGroup::new("credential").required(true).args(["token_file", "token"])))]
    Add {
        /// A name for the remote, e.g. origin
        name: String,
        /// The portal's base URL, e.g. https://portal.example.com
        url: String,
        /// A file holding the bearer token (a final newline is ignored)
        #[arg(long, value_name = "FILE")]
        token_file: Option<PathBuf>,
        /// The bearer token itself (prefer --token-file: a command line is visible to others)
        #[arg(long, value_name = "TOKEN")]
        token: Option<String>,
    },
    /// Replace the remote's token (e.g. the portal revoked it): queued
    /// intents, sync state and conflicts are kept. The new token is sealed.
    #[command(group(ArgGroup::new("credential").required(true).args(["token_file", "token"])))]
    Token {
        /// The remote's name
        name: String,
        /// A file holding the new bearer token (a final newline is ignored)
        #[arg(long, value_name = "FILE")]
        token_file: Option<PathBuf>,
        /// The new bearer token itself (prefer --token-file: a command line is visible to others)
        #[arg(long, value_name = "TOKEN")]
        token: Option<String>,
    },
    /// The linked remote, never its token
    List,
    /// Unlink: local apps stay as they are; intents not yet pushed are dropped
    Remove {
        /// The remote's name
        name: String,
    },
}

#[derive(Debug, Subcommand)]
pub enum ConflictsCommand {
    /// Every unresolved conflict: the app, the field, mine, theirs and the base
    List,
    /// Keep mine (pushed on the next sync), theirs (the portal's), or another value.
    /// Keeping mine on an app the portal deleted (field `app`) re-creates it with a
    /// new id and key: the deleted key stays retired (R10)
    #[command(group(ArgGroup::new("which").required(true).args(["field", "all"])))]
    #[command(group(ArgGroup::new("choice").required(true).args(["take", "value"])))]
    Resolve {
        /// The app's id, app key or exact name
        app: String,
        /// The field, as `conflicts list` shows it (e.g. name, scopes[tn.crm.customers:r])
        #[arg(long, value_name = "FIELD")]
        field: Option<String>,
        /// Every conflict of the app
        #[arg(long, conflicts_with = "value")]
        all: bool,
        /// Which side to keep; mine on an app the portal deleted brings it back with a
        /// new id and key
        #[arg(long, value_name = "SIDE")]
        take: Option<Side>,
        /// A value of your own for the field
        #[arg(long, value_name = "V")]
        value: Option<String>,
    },
}

/// A side of a conflict.
#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum Side {
    Mine,
    Theirs,
}

//! The command line of `appdesk-portal`: subcommands and their settings, each
//! also readable from the environment where the portal issue says so.

use clap::{Parser, Subcommand};

/// The default address `serve` listens on.
pub const DEFAULT_LISTEN: &str = "127.0.0.1:8477";

/// `appdesk-portal`: the team portal server and its administration commands.
#[derive(Debug, Parser)]
#[command(name = "appdesk-portal", version, about)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

/// The database every command works on: a libpq-style URL.
#[derive(Debug, clap::Args)]
pub struct Database {
    /// PostgreSQL URL, e.g. postgres://appdesk@127.0.0.1:55432/appdesk
    #[arg(long = "database", env = "APPDESK_PORTAL_DATABASE")]
    pub url: String,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Migrate the database, then serve the HTTP API.
    Serve {
        #[command(flatten)]
        database: Database,
        /// Address to listen on (port 0 picks a free one).
        #[arg(long, env = "APPDESK_PORTAL_LISTEN", default_value = DEFAULT_LISTEN)]
        listen: String,
        /// The key file that seals client secrets at rest, made once by `key
        /// init` (default: appdesk-portal/portal.key in the user's data
        /// directory). Back it up apart from the database: without it no
        /// secret opens.
        #[arg(long, env = "APPDESK_PORTAL_KEY_FILE")]
        key_file: Option<std::path::PathBuf>,
        /// The URL browsers reach the console at, e.g. https://portal.example
        /// behind a TLS proxy: its origin is the only one the console's
        /// cookie writes are accepted from, and with https the session
        /// cookie is marked Secure. Default: the request's own Host (and
        /// X-Forwarded-Proto).
        #[arg(long, env = "APPDESK_PORTAL_PUBLIC_URL")]
        public_url: Option<String>,
        /// A proxy (address or CIDR network, repeatable) whose peers' first
        /// X-Forwarded-For hop is taken as the client's address in the audit
        /// log; from anyone else the header is ignored.
        #[arg(
            long = "trusted-proxy",
            env = "APPDESK_PORTAL_TRUSTED_PROXY",
            value_delimiter = ','
        )]
        trusted_proxy: Vec<String>,
        /// Audit entries older than this many days are deleted (hourly).
        #[arg(long = "audit-retention-days", env = "APPDESK_PORTAL_AUDIT_RETENTION_DAYS",
              default_value_t = 365, value_parser = clap::value_parser!(u32).range(1..))]
        audit_retention_days: u32,
        /// Serve Prometheus metrics at /metrics on the API's address, to
        /// `Authorization: Bearer <token>` with the token this file holds.
        /// Metrics are off unless this or --metrics-listen is given.
        #[arg(
            long,
            env = "APPDESK_PORTAL_METRICS_TOKEN_FILE",
            conflicts_with = "metrics_listen"
        )]
        metrics_token_file: Option<std::path::PathBuf>,
        /// Serve Prometheus metrics at /metrics on this address only, without
        /// a token (keep it private, e.g. 127.0.0.1:9477).
        #[arg(long, env = "APPDESK_PORTAL_METRICS_LISTEN")]
        metrics_listen: Option<String>,
        #[command(flatten)]
        limits: ServeLimits,
    },
    /// The key file that seals client secrets.
    #[command(subcommand)]
    Key(KeyCommand),
    /// Workspaces: the unit of sharing and isolation.
    #[command(subcommand)]
    Workspace(WorkspaceCommand),
    /// Bearer tokens: printed once, kept only as a hash.
    #[command(subcommand)]
    Token(TokenCommand),
    /// The members of a workspace and their roles.
    #[command(subcommand)]
    Member(MemberCommand),
    /// A tenant's admins, by user (for sign-in with an identity provider).
    #[command(subcommand, name = "tenant-admin")]
    TenantAdmin(TenantAdminCommand),
    /// The audit log.
    #[command(subcommand)]
    Audit(AuditCommand),
    /// The change feed's retention.
    #[command(subcommand)]
    Feed(FeedCommand),
    /// Print the OpenAPI document (schema/portal.openapi.json).
    Openapi,
}

/// How long `serve` waits for a client, and how many it serves at once. Each
/// is a flag and an environment variable; times are in seconds.
#[derive(Debug, Clone, clap::Args)]
pub struct ServeLimits {
    /// A connection that has not sent a whole request head this long after its
    /// first byte is closed.
    #[arg(long, env = "APPDESK_PORTAL_HEADER_TIMEOUT", default_value_t = 10)]
    pub header_timeout: u64,
    /// A keep-alive connection with no request for this long is closed.
    #[arg(long, env = "APPDESK_PORTAL_IDLE_TIMEOUT", default_value_t = 60)]
    pub idle_timeout: u64,
    /// A request body that has not arrived whole this long after its head is
    /// refused (408).
    #[arg(long, env = "APPDESK_PORTAL_BODY_TIMEOUT", default_value_t = 30)]
    pub body_timeout: u64,
    /// A request not answered this long after its head gets 503 (its
    /// transaction is rolled back).
    #[arg(long, env = "APPDESK_PORTAL_REQUEST_TIMEOUT", default_value_t = 60)]
    pub request_timeout: u64,
    /// On SIGTERM or SIGINT, how long requests in flight may finish before the
    /// portal exits anyway.
    #[arg(long, env = "APPDESK_PORTAL_DRAIN_TIMEOUT", default_value_t = 10)]
    pub drain_timeout: u64,
    /// Open connections served at once; one more is closed at once (keep it
    /// well under the process's file limit, `ulimit -n`).
    #[arg(long, env = "APPDESK_PORTAL_MAX_CONNECTIONS", default_value_t = 1024)]
    pub max_connections: usize,
    /// Database connections the portal opens at most.
    #[arg(long, env = "APPDESK_PORTAL_POOL_SIZE", default_value_t = 32)]
    pub pool_size: usize,
    /// How long a request waits for a free database connection before it gets
    /// 503 with Retry-After.
    #[arg(long, env = "APPDESK_PORTAL_POOL_TIMEOUT", default_value_t = 10)]
    pub pool_timeout: u64,
}

#[derive(Debug, Subcommand)]
pub enum KeyCommand {
    /// Create the key file (mode 600), once: refused if it exists, for a key
    /// replaced is every sealed secret lost.
    Init {
        /// Where (default: appdesk-portal/portal.key in the user's data directory).
        #[arg(long, env = "APPDESK_PORTAL_KEY_FILE")]
        key_file: Option<std::path::PathBuf>,
    },
}

#[derive(Debug, Subcommand)]
pub enum WorkspaceCommand {
    /// Create a workspace and print its id.
    Create {
        name: String,
        #[command(flatten)]
        database: Database,
    },
}

#[derive(Debug, Subcommand)]
pub enum TokenCommand {
    /// Create a token and print it once: a workspace member's (--workspace), or
    /// a tenant admin's (--tenant-admin, repeatable), who is a member of no
    /// workspace and sees the apps that list their tenants in every one.
    Create {
        /// The workspace a member's token belongs to (not kept for a tenant
        /// admin's token).
        #[arg(long)]
        workspace: Option<String>,
        #[arg(long)]
        user: String,
        /// A tenant this token administers (repeatable): the token is then a
        /// tenant admin's.
        #[arg(long = "tenant-admin")]
        tenant_admin: Vec<String>,
        /// A member's token's role: owner, editor (the default) or viewer.
        #[arg(long)]
        role: Option<String>,
        #[command(flatten)]
        database: Database,
    },
    /// Revoke a token by its prefix (`adp_1a2b3c4d`) or in full; prints the prefix.
    Revoke {
        prefix: String,
        #[command(flatten)]
        database: Database,
    },
}

#[derive(Debug, Subcommand)]
pub enum FeedCommand {
    /// Delete a workspace's changes older than an age; cursors before them then
    /// get 410 Gone. Prints the new floor.
    Prune {
        #[arg(long)]
        workspace: String,
        /// Age in seconds (0 prunes everything up to now).
        #[arg(long = "older-than")]
        older_than: u64,
        #[command(flatten)]
        database: Database,
    },
}

#[derive(Debug, Subcommand)]
pub enum MemberCommand {
    /// Add a member to a workspace, or change a member's role; prints
    /// `{"user", "role"}`.
    Add {
        #[arg(long)]
        workspace: String,
        #[arg(long)]
        user: String,
        /// owner, editor or viewer.
        #[arg(long)]
        role: String,
        #[command(flatten)]
        database: Database,
    },
    /// The members of a workspace: one JSON object a line, `{"user", "role"}`.
    List {
        #[arg(long)]
        workspace: String,
        #[command(flatten)]
        database: Database,
    },
    /// Remove a member from a workspace; prints the user.
    Remove {
        #[arg(long)]
        workspace: String,
        #[arg(long)]
        user: String,
        #[command(flatten)]
        database: Database,
    },
}

#[derive(Debug, Subcommand)]
pub enum TenantAdminCommand {
    /// Make a user an admin of a tenant; prints `TENANT/USER`.
    Add {
        #[arg(long)]
        tenant: String,
        #[arg(long)]
        user: String,
        #[command(flatten)]
        database: Database,
    },
    /// Every tenant admin: one JSON object a line, `{"tenant", "user"}`.
    List {
        #[command(flatten)]
        database: Database,
    },
    /// A user is no longer an admin of a tenant; prints `TENANT/USER`.
    Remove {
        #[arg(long)]
        tenant: String,
        #[arg(long)]
        user: String,
        #[command(flatten)]
        database: Database,
    },
}

#[derive(Debug, Subcommand)]
pub enum AuditCommand {
    /// Write the audit log to stdout as JSON lines, oldest first:
    /// `{"at", "actor", "action", "target", "outcome", "ip"}`.
    Export {
        /// Only entries at or after this moment (RFC 3339).
        #[arg(long)]
        since: Option<String>,
        /// Only the entries of the workspace with this name.
        #[arg(long)]
        workspace: Option<String>,
        #[command(flatten)]
        database: Database,
    },
}

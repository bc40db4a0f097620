//! One test's portal: a database of its own in the test binary's PostgreSQL
//! cluster, the real `appdesk-portal` server on it, a workspace, a developer token
//! and a tenant-admin token; and the process control that fault tests need (a
//! SIGKILL, a restart on the same port and database, a token revoked).

use std::net::SocketAddr;

use crate::cluster::{self, Cluster};
use crate::http::Api;
use crate::server::{Server, ServerSetup, run_command};

/// The tenant the admin token administers.
pub const TENANT: &str = "1234567";

/// One test's portal: its own database, server, workspace and tokens.
#[derive(Debug)]
pub struct Portal {
    pub cluster: &'static Cluster,
    /// The database's name in the cluster.
    pub db: String,
    /// The database's URL, as given to `--database`.
    pub database: String,
    pub server: Server,
    pub workspace: String,
    /// A developer of the workspace.
    pub dev: Api,
    /// The admin of [`TENANT`] in the workspace.
    pub admin: Api,
    pub dev_token: String,
    pub admin_token: String,
    /// How the server is started again after a kill.
    setup: ServerSetup,
    /// The server's address, kept while it is down.
    addr: SocketAddr,
    /// Holds the key file that seals the secrets, kept across restarts.
    keys: tempfile::TempDir,
}

impl Portal {
    /// A fresh database in the test binary's shared cluster, workspace `team`, a
    /// developer `dev` and the admin of [`TENANT`] `admin`, and the server on a
    /// random port.
    pub fn start() -> Portal {
        Portal::start_on(cluster::shared())
    }

    /// Like [`Portal::start`], in another cluster (e.g. one with default
    /// durability, for a benchmark).
    pub fn start_on(cluster: &'static Cluster) -> Portal {
        Portal::start_serving_with(cluster, &[])
    }

    /// Like [`Portal::start_on`], with more `serve` flags (e.g. `--header-timeout 1`).
    pub fn start_serving_with(cluster: &'static Cluster, args: &[&str]) -> Portal {
        let db = cluster.create_database();
        let database = cluster.url(&db);
        let workspace = run_command(&database, &["workspace", "create", "team"]);
        let dev_token = token(&database, "team", "dev", &[]);
        let admin_token = token(&database, "team", "admin", &[TENANT]);
        let keys = tempfile::tempdir().expect("a temp dir for the key file");
        let setup = ServerSetup {
            bin: crate::binaries::portal(),
            database: database.clone(),
            key_file: keys.path().join("portal.key"),
            args: args.iter().map(|a| (*a).to_owned()).collect(),
        };
        let server = Server::start_with(&setup);
        let addr = server.addr;
        let base = server.base_url();
        Portal {
            cluster,
            db,
            database,
            server,
            workspace,
            dev: Api::new(&base, Some(&dev_token)),
            admin: Api::new(&base, Some(&admin_token)),
            dev_token,
            admin_token,
            setup,
            addr,
            keys,
        }
    }

    /// `http://127.0.0.1:PORT`, the same across restarts.
    pub fn base_url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// A client with another token, or none.
    pub fn api(&self, token: Option<&str>) -> Api {
        Api::new(&self.base_url(), token)
    }

    /// `token create` in this portal's database.
    pub fn token(&self, workspace: &str, user: &str, admin_of: &[&str]) -> String {
        token(&self.database, workspace, user, admin_of)
    }

    /// `token revoke` of this token (or prefix): its requests get 401 from now on.
    pub fn revoke(&self, token: &str) {
        run_command(&self.database, &["token", "revoke", token]);
    }

    /// SIGKILLs the server (no shutdown code runs, as in a crash); the database
    /// keeps what it committed.
    pub fn kill(&mut self) {
        self.server.kill();
    }

    /// Starts the server again on the same port, database and key file (after
    /// [`Portal::kill`], or killing it first if it runs).
    pub fn start_again(&mut self) {
        self.server.kill();
        self.server = Server::start_on(&self.setup, self.addr);
    }

    /// The server's process id (for a signal).
    pub fn pid(&self) -> u32 {
        self.server.pid()
    }

    /// SIGKILLs the server and starts a new one on the same port and database.
    pub fn restart(&mut self) {
        self.kill();
        self.start_again();
    }

    /// Forgets the whole feed of `workspace`, as retention would after a long
    /// time: `feed prune --older-than 0` until no change is left. A prune never
    /// deletes past a transaction still running anywhere in the cluster (another
    /// test's, here), so one run may leave the newest changes; a later one, once
    /// that transaction ended, takes them.
    pub fn forget_feed(&self, workspace: &str) {
        let left = format!(
            "SELECT count(*) FROM changes c JOIN workspaces w ON w.id = c.workspace_id \
             WHERE w.name = '{workspace}'"
        );
        crate::wait_until(
            "the feed pruned to nothing",
            std::time::Duration::from_secs(30),
            || {
                run_command(
                    &self.database,
                    &[
                        "feed",
                        "prune",
                        "--workspace",
                        workspace,
                        "--older-than",
                        "0",
                    ],
                );
                self.psql(&left).trim() == "0"
            },
        );
    }

    /// The key file that seals this portal's secrets.
    pub fn key_file(&self) -> std::path::PathBuf {
        self.keys.path().join("portal.key")
    }

    /// SQL on this portal's database (see [`Cluster::psql`]).
    pub fn psql(&self, sql: &str) -> String {
        self.cluster.psql(&self.db, sql)
    }

    /// Every row of this portal's database, as `pg_dump --data-only` prints it.
    pub fn dump(&self) -> String {
        self.cluster.dump(&self.db)
    }
}

/// `appdesk-portal token create`: the new token.
pub fn token(database: &str, workspace: &str, user: &str, admin_of: &[&str]) -> String {
    let mut args = vec!["token", "create", "--workspace", workspace, "--user", user];
    for tenant in admin_of {
        args.extend(["--tenant-admin", tenant]);
    }
    run_command(database, &args)
}

//! What every portal test stands on: a database of its own in the test binary's
//! PostgreSQL cluster, the real `appdesk-portal` server on it, a workspace, a
//! developer token and a tenant-admin token, and valid request bodies.

// Each test module uses only some of these helpers.
#![allow(dead_code)]

pub mod cluster;
pub mod http;
pub mod locks;
pub mod server;

use serde_json::{Value, json};

pub use cluster::Cluster;
pub use http::{Api, Reply, if_match, new_key};
pub use server::{Server, run_command, run_quiet};

/// The tenant in [`sample_app`], which the admin token administers.
pub const TENANT: &str = "1234567";
pub const CUSTOMERS_R: &str = "tn.crm.customers:r";
pub const JOBS_R: &str = "tn.jpm.jobs:r";

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
    /// Holds the key file that seals the secrets, kept across restarts.
    keys: tempfile::TempDir,
}

impl Portal {
    /// A fresh database, workspace `team`, a developer `dev` and the admin of
    /// [`TENANT`] `admin`, and the server on a random port.
    pub fn start() -> Portal {
        let cluster = cluster::shared();
        let db = cluster.create_database();
        let database = cluster.url(&db);
        let workspace = run_command(&database, &["workspace", "create", "team"]);
        let dev_token = token(&database, "team", "dev", &[]);
        let admin_token = token(&database, "team", "admin", &[TENANT]);
        let keys = tempfile::tempdir().expect("a temp dir for the key file");
        let server = Server::start(&database, &keys.path().join("portal.key"));
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
            keys,
        }
    }

    /// A client with another token, or none.
    pub fn api(&self, token: Option<&str>) -> Api {
        Api::new(&self.server.base_url(), token)
    }

    /// `token create` in this portal's database.
    pub fn token(&self, workspace: &str, user: &str, admin_of: &[&str]) -> String {
        token(&self.database, workspace, user, admin_of)
    }

    /// SIGKILLs the server and starts a new one on the same database; the clients
    /// follow it to its new port.
    pub fn restart(&mut self) {
        self.server.kill();
        self.server = Server::start(&self.database, &self.keys.path().join("portal.key"));
        let base = self.server.base_url();
        self.dev = Api::new(&base, Some(&self.dev_token));
        self.admin = Api::new(&base, Some(&self.admin_token));
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

/// A valid create body: every R1 field, one tenant ([`TENANT`]), one scope.
pub fn sample_app(name: &str) -> Value {
    json!({
        "name": name,
        "organization": "Acme HVAC",
        "homepageUrl": "https://acme.example",
        "audience": "private",
        "credentials": "tenant",
        "scopes": [CUSTOMERS_R],
        "tenants": [{"id": TENANT, "note": "Acme HQ"}],
    })
}

/// Every View scope of the catalog that ships with Appdesk, read from the JSON file
/// itself (not through the code under test): plenty of distinct valid scopes.
pub fn catalog_view_scopes() -> Vec<String> {
    let catalog: Value = serde_json::from_str(include_str!(
        "../../../../appdesk-core/catalog/scope-catalog.json"
    ))
    .expect("the catalog is JSON");
    let mut scopes = Vec::new();
    for module in catalog["modules"].as_array().expect("modules") {
        for resource in module["scopes"].as_array().expect("scopes") {
            if resource["view"] == true {
                scopes.push(format!("{}:r", resource["name"].as_str().expect("a name")));
            }
        }
    }
    scopes
}

/// The strings of a JSON array of strings, sorted.
pub fn strings(value: &Value) -> Vec<String> {
    let mut items: Vec<String> = value
        .as_array()
        .unwrap_or_else(|| panic!("not an array: {value}"))
        .iter()
        .map(|v| {
            v.as_str()
                .unwrap_or_else(|| panic!("not a string: {v}"))
                .to_owned()
        })
        .collect();
    items.sort();
    items
}

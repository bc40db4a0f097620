//! One sync client as a user has it: a temp dir with its own SQLite database and
//! key file, a user name, and the real `appdesk` binary run on them. Commands run
//! with `--json`, and a failure comes back as the CLI's own error line
//! (`{code, message, field}`), so a test reads what a script would.

use std::path::PathBuf;
use std::process::{Child, Command, Output, Stdio};

use serde_json::Value;
use tempfile::TempDir;

/// The remote name every test client links as.
pub const REMOTE: &str = "origin";

/// A client: `appdesk --db <tmp>/appdesk.db`, key file beside it, its own user.
#[derive(Debug)]
pub struct Client {
    pub dir: TempDir,
    pub db: PathBuf,
    pub key_file: PathBuf,
    pub user: String,
    bin: PathBuf,
    /// Set on every command (see [`Client::with_env`]).
    env: Vec<(String, String)>,
}

/// A command that failed: its exit code, the CLI's JSON error (when it printed
/// one) and the whole of stderr.
#[derive(Debug, Clone)]
pub struct Failure {
    pub exit: Option<i32>,
    pub code: String,
    pub message: String,
    pub stderr: String,
}

impl Client {
    /// A client with an empty database (as `appdesk-core` makes a new one), for
    /// user `user`.
    pub fn new(user: &str) -> Client {
        let dir = tempfile::Builder::new()
            .prefix("appdesk-client-")
            .tempdir()
            .expect("a temp dir");
        let db = dir.path().join("appdesk.db");
        let key_file = dir.path().join("appdesk.key");
        appdesk_core::Store::open(&db, appdesk_core::StoreOptions::default())
            .expect("an empty database");
        Client {
            dir,
            db,
            key_file,
            user: user.to_owned(),
            bin: crate::binaries::appdesk(),
            env: Vec::new(),
        }
    }

    /// This client with the environment variable `name` set to `value` on
    /// every command it runs.
    pub fn with_env(mut self, name: &str, value: &str) -> Client {
        self.env.push((name.to_owned(), value.to_owned()));
        self
    }

    /// `appdesk --db DB` for this user and key file, nothing inherited.
    pub fn cmd(&self) -> Command {
        let mut cmd = Command::new(&self.bin);
        for var in ["APPDESK_DB", "APPDESK_CATALOG", "APPDESK_SYNC_TIMEOUT_SECS"] {
            cmd.env_remove(var);
        }
        cmd.envs(self.env.iter().map(|(k, v)| (k, v)));
        cmd.env("APPDESK_USER", &self.user)
            .env("APPDESK_KEY_FILE", &self.key_file)
            .arg("--db")
            .arg(&self.db)
            .stdin(Stdio::null());
        cmd
    }

    /// Runs `appdesk --json ARGS` to its end.
    pub fn run(&self, args: &[&str]) -> Output {
        self.cmd()
            .arg("--json")
            .args(args)
            .output()
            .expect("run appdesk")
    }

    /// `appdesk --json ARGS`: its JSON, or its failure.
    pub fn try_json(&self, args: &[&str]) -> Result<Value, Failure> {
        let out = self.run(args);
        if !out.status.success() {
            return Err(Failure::of(&out));
        }
        let text = String::from_utf8_lossy(&out.stdout);
        Ok(serde_json::from_str(&text)
            .unwrap_or_else(|e| panic!("appdesk {args:?}: not JSON ({e}): {text}")))
    }

    /// `appdesk --json ARGS`, which must succeed: its JSON.
    #[track_caller]
    pub fn json(&self, args: &[&str]) -> Value {
        self.try_json(args)
            .unwrap_or_else(|f| panic!("{} appdesk {args:?} failed: {}", self.user, f.stderr))
    }

    /// `appdesk --json ARGS`, which must fail: the failure.
    #[track_caller]
    pub fn fails(&self, args: &[&str]) -> Failure {
        match self.try_json(args) {
            Ok(value) => panic!("{} appdesk {args:?} succeeded: {value}", self.user),
            Err(failure) => failure,
        }
    }

    /// Starts `appdesk --json ARGS` and returns at once (to kill it mid-way).
    pub fn spawn(&self, args: &[&str]) -> Child {
        self.cmd()
            .arg("--json")
            .args(args)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("spawn appdesk")
    }

    /// `remote add origin URL --token-file FILE`.
    pub fn link(&self, url: &str, token: &str) -> Value {
        let file = self.dir.path().join("token");
        std::fs::write(&file, format!("{token}\n")).expect("write the token file");
        let file = file.display().to_string();
        self.json(&["remote", "add", REMOTE, url, "--token-file", &file])
    }

    /// `appdesk --json ARGS` run to its end: its output, and the peak
    /// resident memory of the process in KiB ([`crate::peak`]).
    pub fn run_with_peak_rss(&self, args: &[&str]) -> (Output, u64) {
        let mut cmd = self.cmd();
        cmd.arg("--json").args(args);
        crate::peak::run_with_peak_rss(cmd)
    }

    /// `appdesk --json sync`: its report, or its failure.
    pub fn sync(&self) -> Result<Value, Failure> {
        self.try_json(&["sync"])
    }

    /// `app new` with the given tenants and scopes: the new app.
    pub fn new_app(&self, name: &str, tenants: &[&str], scopes: &[&str]) -> Value {
        let mut args = vec!["app", "new", "--name", name, "--org", "Acme HVAC"];
        args.extend(["--homepage", "https://acme.example"]);
        for tenant in tenants {
            args.extend(["--tenant", tenant]);
        }
        for scope in scopes {
            args.extend(["--scope", scope]);
        }
        self.json(&args)
    }

    /// `app list`: every app (drafts included), as the CLI lists them.
    pub fn apps(&self) -> Vec<Value> {
        let list = self.json(&["app", "list"]);
        list.as_array()
            .unwrap_or_else(|| panic!("app list is not an array: {list}"))
            .clone()
    }

    /// `app history APP`: the app's versions.
    pub fn history(&self, app: &str) -> Value {
        self.json(&["app", "history", app])
    }

    /// The intents not yet acknowledged by the portal (`remote list`'s
    /// `pending`); 0 when the database is not linked.
    pub fn pending(&self) -> i64 {
        let remotes = self.json(&["remote", "list"]);
        remotes
            .as_array()
            .and_then(|list| list.first())
            .map(|remote| {
                remote["pending"]
                    .as_i64()
                    .unwrap_or_else(|| panic!("remote list: no pending count: {remote}"))
            })
            .unwrap_or(0)
    }

    /// The database file and its WAL, byte for byte (to prove nothing was written).
    pub fn db_bytes(&self) -> Vec<u8> {
        ["", "-wal"]
            .iter()
            .filter_map(|ext| std::fs::read(format!("{}{ext}", self.db.display())).ok())
            .flatten()
            .collect()
    }
}

impl Failure {
    /// The failure of a finished command: its exit code and its JSON error line.
    pub fn of(out: &Output) -> Failure {
        let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
        let error: Value = stderr
            .lines()
            .find_map(|line| serde_json::from_str(line).ok())
            .unwrap_or(Value::Null);
        let field = |key: &str| error[key].as_str().unwrap_or_default().to_owned();
        Failure {
            exit: out.status.code(),
            code: field("code"),
            message: field("message"),
            stderr,
        }
    }
}

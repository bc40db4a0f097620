//! Shared helpers for the CLI tests: a fresh database in a temp dir per test, the
//! real `appdesk` binary run against it, and the checks every failing command must
//! pass (exit code, the field named on stderr, the `--json` error shape, and a
//! database left exactly as it was).

// Each test file uses only some of these helpers.
#![allow(dead_code)]

use std::path::PathBuf;

use assert_cmd::Command;
use serde_json::Value;
use tempfile::TempDir;

pub const CUSTOMERS_R: &str = "tn.crm.customers:r";
pub const CUSTOMERS_W: &str = "tn.crm.customers:w";
pub const JOBS_R: &str = "tn.jpm.jobs:r";
pub const CAPACITY_W: &str = "tn.dis.capacity:w";

/// `appdesk` with none of its settings inherited from the test's environment.
pub fn appdesk() -> Command {
    let mut cmd = Command::cargo_bin("appdesk").expect("the appdesk binary is built");
    for var in [
        "APPDESK_DB",
        "APPDESK_USER",
        "APPDESK_KEY_FILE",
        "APPDESK_CATALOG",
    ] {
        cmd.env_remove(var);
    }
    cmd
}

/// One test's database: `<tmp>/a.db`.
#[derive(Debug)]
pub struct Desk {
    pub dir: TempDir,
    pub db: PathBuf,
}

/// What a command could change, read through the CLI itself: every app, every
/// app's history and connections, and the whole activity log.
#[derive(Debug, PartialEq)]
pub struct Snapshot {
    apps: Value,
    log: Value,
    per_app: Vec<(Value, Value)>,
}

impl Desk {
    /// An empty database, made as `app new` makes one (read commands need one).
    pub fn new() -> Desk {
        let desk = Desk::without_database();
        appdesk_core::Store::open(&desk.db, appdesk_core::StoreOptions::default())
            .expect("an empty database");
        desk
    }

    /// A temp dir with no database in it yet.
    pub fn without_database() -> Desk {
        let dir = tempfile::tempdir().expect("a temp dir");
        let db = dir.path().join("a.db");
        Desk { dir, db }
    }

    /// `appdesk --db <tmp>/a.db`.
    pub fn cmd(&self) -> Command {
        let mut cmd = appdesk();
        cmd.arg("--db").arg(&self.db);
        cmd
    }

    /// Runs a command that must succeed and returns its stdout.
    pub fn ok(&self, args: &[&str]) -> String {
        let out = self.cmd().args(args).output().expect("appdesk runs");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(out.status.success(), "appdesk {args:?} failed: {stderr}");
        assert!(
            stderr.is_empty(),
            "appdesk {args:?} wrote to stderr: {stderr}"
        );
        String::from_utf8(out.stdout).expect("UTF-8 output")
    }

    /// Runs a command with `--json` that must succeed and returns its JSON.
    pub fn json(&self, args: &[&str]) -> Value {
        let text = self.ok(&[&["--json"][..], args].concat());
        serde_json::from_str(&text).unwrap_or_else(|e| panic!("{args:?}: not JSON ({e}): {text}"))
    }

    /// Creates an app with the given tenants and scopes; returns its JSON.
    pub fn new_app(&self, name: &str, tenants: &[&str], scopes: &[&str]) -> Value {
        self.json(&new_app_args(name, tenants, scopes))
    }

    pub fn snapshot(&self) -> Snapshot {
        let apps = self.json(&["app", "list"]);
        let per_app = apps
            .as_array()
            .expect("app list is an array")
            .iter()
            .map(|app| {
                let id = app["id"].as_str().expect("an app id");
                (
                    self.json(&["app", "history", id]),
                    self.json(&["conn", "list", id]),
                )
            })
            .collect();
        let log = self.json(&["log", "--limit", "1000000"]);
        Snapshot { apps, log, per_app }
    }

    /// Runs a command that must fail with `code`, naming `field`: exit code 1,
    /// nothing on stdout, stderr's first line `error: <field>: …`; with `--json`,
    /// one line `{code, message, field}` on stderr. The database must be unchanged
    /// by either run. Returns the JSON error body.
    pub fn rejects(&self, args: &[&str], code: &str, field: &str) -> Value {
        let before = self.snapshot();

        let out = self.cmd().args(args).output().expect("appdesk runs");
        let stderr = String::from_utf8(out.stderr).expect("UTF-8 stderr");
        assert_eq!(out.status.code(), Some(1), "appdesk {args:?}: {stderr}");
        assert!(out.stdout.is_empty(), "appdesk {args:?} printed on stdout");
        let first = stderr.lines().next().unwrap_or_default();
        assert!(
            first.starts_with(&format!("error: {field}: ")),
            "appdesk {args:?}: stderr does not name {field}: {stderr}"
        );
        assert_eq!(
            self.snapshot(),
            before,
            "appdesk {args:?} changed the database"
        );

        let out = self
            .cmd()
            .arg("--json")
            .args(args)
            .output()
            .expect("appdesk runs");
        let stderr = String::from_utf8(out.stderr).expect("UTF-8 stderr");
        assert_eq!(
            out.status.code(),
            Some(1),
            "appdesk --json {args:?}: {stderr}"
        );
        assert!(
            out.stdout.is_empty(),
            "appdesk --json {args:?} printed on stdout"
        );
        assert_eq!(stderr.lines().count(), 1, "one line of JSON: {stderr}");
        let body: Value = serde_json::from_str(&stderr).expect("the error is JSON");
        assert_eq!(body["code"], code, "{body}");
        assert_eq!(body["field"], field, "{body}");
        assert!(
            body["message"].as_str().is_some_and(|m| !m.is_empty()),
            "{body}"
        );
        assert_eq!(
            self.snapshot(),
            before,
            "appdesk {args:?} changed the database"
        );
        body
    }
}

/// The arguments of `appdesk app new` for a valid app of organization "Acme
/// HVAC" with the given name, tenants and scopes.
pub fn new_app_args<'a>(name: &'a str, tenants: &[&'a str], scopes: &[&'a str]) -> Vec<&'a str> {
    let mut args = vec![
        "app",
        "new",
        "--name",
        name,
        "--org",
        "Acme HVAC",
        "--homepage",
        "https://acme.example",
    ];
    for t in tenants {
        args.extend(["--tenant", t]);
    }
    for s in scopes {
        args.extend(["--scope", s]);
    }
    args
}

/// The string at `value[key]`.
pub fn text<'a>(value: &'a Value, key: &str) -> &'a str {
    value[key]
        .as_str()
        .unwrap_or_else(|| panic!("{key} is not a string in {value}"))
}

/// The strings of the array at `value[key]`.
pub fn strings(value: &Value, key: &str) -> Vec<String> {
    value[key]
        .as_array()
        .unwrap_or_else(|| panic!("{key} is not an array in {value}"))
        .iter()
        .map(|v| v.as_str().expect("a string").to_owned())
        .collect()
}

/// The `(first, second)` strings of each object in the array at `value[key]`,
/// e.g. tenants as `(id, note)`.
pub fn field_pairs<'a>(
    value: &'a Value,
    key: &str,
    first: &str,
    second: &str,
) -> Vec<(&'a str, &'a str)> {
    value[key]
        .as_array()
        .unwrap_or_else(|| panic!("{key} is not an array in {value}"))
        .iter()
        .map(|item| (text(item, first), text(item, second)))
        .collect()
}

/// Whether `text` is `prefix` followed by exactly `len` characters of `[a-z0-9]`.
pub fn is_token(text: &str, prefix: &str, len: usize) -> bool {
    text.strip_prefix(prefix).is_some_and(|rest| {
        rest.len() == len
            && rest
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
    })
}

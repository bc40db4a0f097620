//! Shared set-up for the store tests: a real database file in a temp dir.
#![allow(dead_code)]

use std::path::PathBuf;

use appdesk_core::{AppInput, Store, StoreOptions, TenantEntry};
use tempfile::TempDir;

pub struct TestDb {
    pub dir: TempDir,
    pub store: Store,
}

impl TestDb {
    pub fn new() -> TestDb {
        Self::as_user("tester")
    }

    pub fn as_user(user: &str) -> TestDb {
        let dir = tempfile::tempdir().expect("temp dir");
        let store = Store::open(
            &dir.path().join("appdesk.db"),
            StoreOptions {
                user: Some(user.to_owned()),
                ..StoreOptions::default()
            },
        )
        .expect("open store");
        TestDb { dir, store }
    }

    pub fn path(&self) -> PathBuf {
        self.dir.path().join("appdesk.db")
    }

    /// Another handle on the same file, as another process would have.
    pub fn reopen(&self, user: &str) -> Store {
        Store::open(
            &self.path(),
            StoreOptions {
                user: Some(user.to_owned()),
                ..StoreOptions::default()
            },
        )
        .expect("reopen store")
    }

    /// Everything a user could see, for "the database is as it was" checks.
    pub fn snapshot(&self) -> String {
        let apps = self.store.list_apps(&Default::default()).expect("list");
        let mut out = serde_json::to_string(&apps.items).expect("json");
        for app in &apps.items {
            out += &serde_json::to_string(&self.store.history(&app.id).expect("history"))
                .expect("json");
            if app.version.is_some() {
                out += &serde_json::to_string(&self.store.connections(&app.id).expect("conns"))
                    .expect("json");
            }
        }
        out + &serde_json::to_string(&self.store.activity(None, 1_000_000).expect("log"))
            .expect("json")
    }
}

pub fn input(name: &str) -> AppInput {
    AppInput {
        name: name.to_owned(),
        organization: "Acme HVAC".to_owned(),
        homepage_url: "https://acme.example".to_owned(),
        tenants: vec![
            TenantEntry::new("1234", "HQ"),
            TenantEntry::new("9876543210123", ""),
        ],
        scopes: vec!["tn.crm.customers:r".to_owned(), "tn.jpm.jobs:rw".to_owned()],
        ..AppInput::default()
    }
}

pub fn strings(items: &[&str]) -> Vec<String> {
    items.iter().map(|s| s.to_string()).collect()
}

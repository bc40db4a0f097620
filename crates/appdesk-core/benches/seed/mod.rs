//! Seeded databases for the benchmarks: `n` apps with 5 versions and 3
//! connections each, made once with plain SQL in one transaction (the Store API
//! would take minutes for 800k rows) and kept under `target/bench-data/`, keyed
//! by the schema, so that later runs reuse them. Each run works on a copy.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

use appdesk_core::store::migrate;
use appdesk_core::{AppInput, Store, StoreOptions, TenantEntry};
use rusqlite::{Connection, params};

const WORDS: [&str; 17] = [
    "Dispatch",
    "Board",
    "Ledger",
    "Pricebook",
    "Sync",
    "Portal",
    "Field",
    "Invoice",
    "Crew",
    "Route",
    "Payroll",
    "Memo",
    "Lead",
    "Review",
    "Capacity",
    "Estimate",
    "Tracker",
];
const SCOPES: [&str; 6] = [
    "tn.crm.customers:r",
    "tn.jpm.jobs:r",
    "tn.dis.capacity:w",
    "tn.crm.leads:r",
    "tn.acc.invoices:r",
    "tn.pb.pricebook:w",
];

pub fn input(i: usize) -> AppInput {
    AppInput {
        name: app_name(i),
        organization: "Bench Org".into(),
        homepage_url: "https://bench.example".into(),
        tenants: (0..3)
            .map(|t| TenantEntry::new(format!("{}", 100_000 + t), ""))
            .collect(),
        scopes: vec![SCOPES[0].into(), SCOPES[1].into()],
        ..AppInput::default()
    }
}

pub fn app_name(i: usize) -> String {
    format!(
        "{} {} {i:06}",
        WORDS[i % WORDS.len()],
        WORDS[(i / 7) % WORDS.len()]
    )
}

pub fn data_dir() -> PathBuf {
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target"));
    let dir = target.join("bench-data");
    std::fs::create_dir_all(&dir).expect("bench data dir");
    dir
}

/// A copy of a database of `n` apps with 5 versions and 3 connections each. The
/// original is made once per schema and kept; each run works on a fresh copy, so
/// runs do not grow it.
pub fn seeded(n: usize, work: &Path) -> Store {
    let path = data_dir().join(format!("apps-{n}-schema-{:016x}.db", schema_hash()));
    if !path.exists() {
        std::fs::create_dir_all(data_dir()).expect("bench data dir");
        let partial = path.with_extension("partial");
        let _ = std::fs::remove_file(&partial);
        let store = Store::open(&partial, StoreOptions::default()).expect("create schema");
        drop(store);
        seed(&partial, n).expect("seed");
        // Fold the WAL into the file so that copying the file copies everything.
        Connection::open(&partial)
            .and_then(|c| c.execute_batch("PRAGMA wal_checkpoint(TRUNCATE);"))
            .expect("checkpoint");
        std::fs::rename(&partial, &path).expect("rename");
    }
    let copy = work.join(format!("apps-{n}.db"));
    std::fs::copy(&path, &copy).expect("copy seeded database");
    open(&copy, n)
}

/// A copy of the database of [`seeded`], linked to a portal whose
/// connections are the local ones moved one version on (not past the latest:
/// one behind per app instead of two), their client IDs starting `pid.`
/// instead of `cid.`: what the apps list reads in a linked database after a
/// pull. Plain SQL, as the seed; no portal is reached.
pub fn seeded_linked(n: usize, work: &Path) -> Store {
    drop(seeded(n, work));
    let copy = work.join(format!("apps-{n}.db"));
    let linked = work.join(format!("apps-{n}-linked.db"));
    std::fs::copy(&copy, &linked).expect("copy seeded database");
    let conn = Connection::open(&linked).expect("open linked copy");
    conn.execute_batch(
        "BEGIN;
         INSERT INTO remotes (name, url, token_sealed, created_at)
             VALUES ('bench', 'http://127.0.0.1:9', x'00', '2026-11-01T00:00:00.000Z');
         INSERT INTO portal_connections (remote, app_id, tenant_id, environment, status,
                 version, latest_version, upgrade_available, scopes_in_play, pending_added,
                 pending_removed, client_id, connected_at, pulled_at)
             SELECT 'bench', app_id, tenant_id, environment, status, min(version + 1, 5), 5,
                 version + 1 < 5, '[]', '[]', '[]', 'pid.' || substr(client_id, 5),
                 connected_at, connected_at
             FROM connections;
         COMMIT;
         PRAGMA wal_checkpoint(TRUNCATE);",
    )
    .expect("link the copy");
    drop(conn);
    open(&linked, n)
}

fn open(copy: &Path, n: usize) -> Store {
    let store = Store::open(
        copy,
        StoreOptions {
            user: Some("bench".into()),
            ..Default::default()
        },
    )
    .expect("open seeded");
    assert_eq!(
        store.history(&app_id(n / 2)).expect("history").len(),
        5,
        "seed is sound"
    );
    store
}

/// Identifies the schema the cached databases were made with.
fn schema_hash() -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    migrate::MIGRATIONS.hash(&mut h);
    h.finish()
}

pub fn app_id(i: usize) -> String {
    format!("00000000-0000-7000-8000-{i:012}")
}

fn seed(path: &Path, n: usize) -> rusqlite::Result<()> {
    let mut conn = Connection::open(path)?;
    let tx = conn.transaction()?;
    {
        let at = "2026-11-01T00:00:00.000Z";
        let mut app = tx.prepare(
            "INSERT INTO apps (id, status, name, name_folded, organization, homepage_url, audience,
                 credentials, app_key, current_version, revision, created_at, updated_at)
             VALUES (?1, 'created', ?2, lower(?2), 'Bench Org', 'https://bench.example',
                 'private', 'tenant', ?3, 5, 9, ?4, ?4)",
        )?;
        let mut tenant = tx.prepare("INSERT INTO app_tenants VALUES (?1, ?2, '', ?3)")?;
        let mut version = tx.prepare("INSERT INTO versions VALUES (?1, ?2, ?3, ?4, 'bench')")?;
        let mut connection = tx.prepare(
            "INSERT INTO connections (id, app_id, tenant_id, environment, version, status,
                 client_id, secret_sealed, connected_at, updated_at, secret_created_at)
             VALUES (?1, ?2, ?3, 'integration', ?4, 'active', ?5, ?6, ?7, ?7, ?7)",
        )?;
        let mut log = tx.prepare(
            "INSERT INTO activity (at, user, app_id, app_name, action, summary)
             VALUES (?1, 'bench', ?2, ?3, 'create', 'seeded')",
        )?;
        for i in 0..n {
            let id = app_id(i);
            let name = app_name(i);
            app.execute(params![id, name, format!("ak1.{i:025}"), at])?;
            log.execute(params![at, id, name])?;
            for v in 1..=5usize {
                let scopes: Vec<&str> = SCOPES[..(v + 1).min(SCOPES.len())].to_vec();
                version.execute(params![
                    id,
                    v,
                    serde_json::to_string(&scopes).unwrap_or_default(),
                    at
                ])?;
            }
            for t in 0..3usize {
                let tenant_id = format!("{}", 100_000 + t);
                tenant.execute(params![id, tenant_id, at])?;
                // Sealed bytes are opaque here; showing a connection never opens them.
                connection.execute(params![
                    format!("{id}-c{t}"),
                    id,
                    tenant_id,
                    3 + t,
                    format!("cid.{i:022}c{t:02}"),
                    vec![0u8; 78],
                    at
                ])?;
            }
        }
    }
    tx.commit()
}

/// Adds `tn.crm.tags:w` to `app` when `on`, else removes it: a scope change
/// that can run forever, each call making one version.
pub fn toggle_scope(store: &Store, app: &str, on: bool) -> appdesk_core::ScopeChange {
    let scope = vec!["tn.crm.tags:w".to_owned()];
    let (add, remove) = if on { (scope, vec![]) } else { (vec![], scope) };
    store.change_scopes(app, &add, &remove).expect("scopes")
}

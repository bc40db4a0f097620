//! R8: connections, their credentials, upgrades, disable/enable and regenerate.

use crate::common::{TestDb, input, strings};
use appdesk_core::{ConnectionStatus, Environment, Error};

const INT: Environment = Environment::Integration;
const PROD: Environment = Environment::Production;

#[test]
fn r8_a_tenant_connects_at_the_latest_version_with_generated_credentials() {
    let db = TestDb::new();
    let app = db.store.create_app(&input("C")).unwrap();
    db.store
        .change_scopes(&app.id, &strings(&["tn.crm.leads:r"]), &[])
        .unwrap();
    let conn = db.store.connect(&app.id, "1234", INT).unwrap();
    assert_eq!(conn.version, 2);
    assert!(!conn.upgrade_available);
    assert!(conn.client_id.starts_with("cid.") && conn.client_id.len() == 29);
    let secret = conn.client_secret.clone().unwrap();
    assert!(secret.starts_with("cs1.") && secret.len() == 54);
    assert!(
        secret[4..]
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
    );
    assert_eq!(conn.scopes_in_play, db.store.app(&app.id).unwrap().scopes);
    let prod = db.store.connect(&app.id, "1234", PROD).unwrap();
    assert_ne!(prod.client_id, conn.client_id, "per tenant and environment");
    assert_ne!(prod.client_secret, conn.client_secret);
    let listed = db.store.connections(&app.id).unwrap();
    assert_eq!(listed.len(), 2);
    assert!(
        listed.iter().all(|c| c.client_secret.is_none()),
        "listing never shows a secret"
    );
    let revealed = db
        .reopen("x")
        .connection(&app.id, "1234", INT, true)
        .unwrap();
    assert_eq!(revealed.client_secret.as_deref(), Some(secret.as_str()));
}

#[test]
fn r8_only_listed_tenants_of_created_apps_connect_once_per_environment() {
    let db = TestDb::new();
    let app = db.store.create_app(&input("C")).unwrap();
    assert_eq!(
        db.store.connect(&app.id, "5555", INT).unwrap_err().field(),
        Some("tenant")
    );
    assert_eq!(
        db.store.connect(&app.id, "12x", INT).unwrap_err().code(),
        "invalid"
    );
    db.store.connect(&app.id, "1234", INT).unwrap();
    assert!(matches!(
        db.store.connect(&app.id, "1234", INT),
        Err(Error::Conflict { ref field, .. }) if field == "tenant"
    ));
    let draft = db.store.save_draft(&input("D")).unwrap();
    assert_eq!(
        db.store.connect(&draft.id, "1234", INT).unwrap_err().code(),
        "not_allowed"
    );
    assert_eq!(
        db.store.upgrade(&app.id, "1234", PROD).unwrap_err().code(),
        "not_allowed"
    );
}

#[test]
fn r8_new_versions_come_into_play_only_on_upgrade_which_keeps_the_credentials() {
    let db = TestDb::new();
    let app = db.store.create_app(&input("U")).unwrap();
    let first = db.store.connect(&app.id, "1234", INT).unwrap();
    db.store
        .change_scopes(
            &app.id,
            &strings(&["tn.dis.capacity:w"]),
            &strings(&["tn.jpm.jobs:w"]),
        )
        .unwrap();
    let behind = db.store.connection(&app.id, "1234", INT, false).unwrap();
    assert_eq!((behind.version, behind.latest_version), (1, 2));
    assert!(behind.upgrade_available);
    assert_eq!(
        behind.scopes_in_play, first.scopes_in_play,
        "still version 1's scopes"
    );
    assert_eq!(behind.pending_added, strings(&["tn.dis.capacity:w"]));
    assert_eq!(behind.pending_removed, strings(&["tn.jpm.jobs:w"]));
    let summary = db.store.list_summaries(&Default::default()).unwrap();
    assert_eq!(summary.items[0].behind_count, 1);

    let up = db.store.upgrade(&app.id, "1234", INT).unwrap();
    assert!(up.changed);
    assert_eq!(up.connection.version, 2);
    assert!(!up.connection.upgrade_available);
    assert!(
        up.connection
            .scopes_in_play
            .contains(&"tn.dis.capacity:w".to_owned())
    );
    assert_eq!(up.connection.client_id, first.client_id);
    let after = db.store.connection(&app.id, "1234", INT, true).unwrap();
    assert_eq!(
        after.client_secret, first.client_secret,
        "upgrade keeps the secret"
    );
    assert!(!db.store.upgrade(&app.id, "1234", INT).unwrap().changed);
}

#[test]
fn r8_disable_enable_and_regenerate() {
    let db = TestDb::new();
    let app = db.store.create_app(&input("D")).unwrap();
    let first = db.store.connect(&app.id, "1234", INT).unwrap();
    let off = db.store.disable(&app.id, "1234", INT).unwrap();
    assert!(off.changed);
    assert_eq!(off.connection.status, ConnectionStatus::Disabled);
    assert!(!db.store.disable(&app.id, "1234", INT).unwrap().changed);
    let on = db.store.enable(&app.id, "1234", INT).unwrap();
    assert_eq!(on.connection.status, ConnectionStatus::Active);
    let regen = db.store.regenerate_secret(&app.id, "1234", INT).unwrap();
    let new_secret = regen.connection.client_secret.clone().unwrap();
    assert_ne!(Some(new_secret.clone()), first.client_secret);
    assert_eq!(regen.connection.client_id, first.client_id);
    let shown = db.store.connection(&app.id, "1234", INT, true).unwrap();
    assert_eq!(
        shown.client_secret,
        Some(new_secret),
        "the old secret is gone"
    );
}

#[test]
fn secrets_never_reach_the_database_file_in_plaintext() {
    let db = TestDb::new();
    let app = db.store.create_app(&input("Leak check")).unwrap();
    let mut secrets = Vec::new();
    for env in [INT, PROD] {
        secrets.push(
            db.store
                .connect(&app.id, "1234", env)
                .unwrap()
                .client_secret
                .unwrap(),
        );
    }
    secrets.push(
        db.store
            .regenerate_secret(&app.id, "1234", INT)
            .unwrap()
            .connection
            .client_secret
            .unwrap(),
    );
    drop(db.store.clone());
    let mut bytes = Vec::new();
    for suffix in ["", "-wal", "-shm"] {
        let path = format!("{}{suffix}", db.path().display());
        bytes.extend(std::fs::read(&path).unwrap_or_default());
    }
    assert!(bytes.len() > 4096);
    for secret in &secrets {
        assert!(
            !bytes.windows(secret.len()).any(|w| w == secret.as_bytes()),
            "{secret} found in the file"
        );
        // Not even its random part.
        let body = &secret.as_bytes()[4..];
        assert!(!bytes.windows(body.len()).any(|w| w == body));
    }
    // The key lives outside the database, readable only by its owner.
    let key_file = db.store.key_file().to_owned();
    assert_ne!(key_file, db.path());
    assert!(key_file.exists());
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(
            std::fs::metadata(&key_file).unwrap().permissions().mode() & 0o077,
            0
        );
    }
}

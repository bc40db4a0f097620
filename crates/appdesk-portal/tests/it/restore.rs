//! The change feed across a backup restored into another cluster (README,
//! Backups): feed positions hold transaction ids, which belong to a cluster, so
//! the portal starts a new feed epoch there; every change and cursor is kept.

use serde_json::Value;

use crate::common::cluster::FAST_UNSAFE;
use crate::common::{Api, Cluster, Portal, Server, sample_app};
use crate::feed::read_feed;

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn after_a_backup_is_restored_into_a_new_cluster_the_feed_goes_on() {
    let portal = Portal::start();
    // The old cluster has run more transactions than a new one ever did.
    let burn = "SELECT txid_current();\n".repeat(3000);
    portal.cluster.psql_script(&portal.db, &burn);
    let first = portal.dev.create_ok(&sample_app("Before the backup")).await;
    // A client that had read everything before the backup.
    let (_, old_cursor) = read_feed(&portal.dev, None, 100, 1).await;
    let backup = portal.cluster.dump_sql(&portal.db);

    let restored = restore_in_new_cluster(&portal, &backup, None);
    let api = &restored.api;
    let second = reads_on_after_restore(api, &first).await;
    let (changes, _) = read_feed(api, old_cursor.as_deref(), 100, 1).await;
    assert_eq!(
        changes[0]["id"], second["id"],
        "a cursor from before the backup reads on, once each"
    );
    let (changes, _) = read_feed(api, None, 1, 2).await;
    assert_eq!(
        [&changes[0]["id"], &changes[1]["id"]],
        [&first["id"], &second["id"]],
        "from the beginning: the restored change, then the new one"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_restore_recorded_as_this_cluster_is_still_seen_by_its_transaction_ids() {
    // As if the dump came from before feed epochs: the migration recorded the new
    // cluster's identifier, so only the old, higher transaction ids tell.
    let portal = Portal::start();
    portal
        .cluster
        .psql_script(&portal.db, &"SELECT txid_current();\n".repeat(3000));
    let first = portal.dev.create_ok(&sample_app("Before the backup")).await;
    let backup = portal.cluster.dump_sql(&portal.db);
    let restored = restore_in_new_cluster(
        &portal,
        &backup,
        Some(
            "UPDATE feed_epoch SET system_identifier = \
             (SELECT system_identifier FROM pg_control_system());",
        ),
    );
    reads_on_after_restore(&restored.api, &first).await;
}

/// A portal served on a restored backup. Fields drop in order: the server stops
/// before its cluster.
struct Restored {
    api: Api,
    _server: Server,
    _cluster: Cluster,
}

/// The README's restore: `backup` (pg_dump's SQL) into an empty database of
/// another cluster, then `before_serving` (SQL) there; served with the portal's
/// key file.
fn restore_in_new_cluster(portal: &Portal, backup: &str, before_serving: Option<&str>) -> Restored {
    let cluster = Cluster::start(FAST_UNSAFE);
    let db = cluster.create_database();
    cluster.psql_script(&db, backup);
    if let Some(sql) = before_serving {
        cluster.psql_script(&db, sql);
    }
    let server = Server::start(&cluster.url(&db), &portal.key_file());
    let api = Api::new(&server.base_url(), Some(&portal.dev_token));
    Restored {
        api,
        _server: server,
        _cluster: cluster,
    }
}

/// Reads the restored change `first` alone, makes a change, and reads it next
/// from the cursor given: returns it.
async fn reads_on_after_restore(api: &Api, first: &Value) -> Value {
    let (changes, cursor) = read_feed(api, None, 100, 1).await;
    assert_eq!(changes[0]["id"], first["id"]);
    let second = api.create_ok(&sample_app("After the restore")).await;
    let (changes, _) = read_feed(api, cursor.as_deref(), 100, 1).await;
    assert_eq!(
        changes[0]["id"], second["id"],
        "the feed shows what came after the restore"
    );
    second
}

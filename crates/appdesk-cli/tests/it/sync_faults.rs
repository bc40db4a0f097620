//! `appdesk sync` under faults (issue 10, "Faults"): the real `appdesk` binary
//! on its own database, a fault-injecting proxy, the real portal on a real
//! PostgreSQL. For each fault the sync fails with a message that names the
//! remote, loses nothing, and the next sync finishes the job with nothing
//! applied twice. The oracle is the portal's own API (versions gapless, one per
//! scope change made) and the client's own commands (apps and histories equal
//! the portal's, outbox empty).

use std::time::Duration;

use appdesk_testkit::locks::{HeldLock, wait_for_lock_waiters};
use appdesk_testkit::oracle::{assert_converged, version_scopes};
use appdesk_testkit::{Api, Client, Failure, Fault, Portal, Proxy, Rule, TENANT};

use crate::common::{CUSTOMERS_R, JOBS_R};

/// The second tenant the offline edits add.
const BRANCH: &str = "7654321";

/// A portal, a proxy in front of it, and a client linked through the proxy.
pub(crate) struct Bed {
    pub(crate) portal: Portal,
    pub(crate) proxy: Proxy,
    pub(crate) client: Client,
}

pub(crate) fn bed() -> Bed {
    bed_for(Client::new("alice"))
}

pub(crate) fn bed_for(client: Client) -> Bed {
    let portal = Portal::start();
    let proxy = Proxy::start(portal.server.addr);
    client.link(&proxy.url(), &portal.dev_token);
    Bed {
        portal,
        proxy,
        client,
    }
}

/// Offline edits that queue four intents: a new app (version 1), a scope added
/// (version 2), its name changed, a tenant added. Returns the app's id.
pub(crate) fn offline_edits(client: &Client) -> String {
    let app = client.new_app("Dispatch", &[TENANT], &[CUSTOMERS_R]);
    let id = app["id"].as_str().expect("an id").to_owned();
    client.json(&["app", "scopes", &id, "--add", JOBS_R]);
    client.json(&["app", "edit", &id, "--name", "Dispatch Board"]);
    client.json(&["app", "tenants", &id, "--add", BRANCH]);
    assert_eq!(client.pending(), 4, "four intents queued");
    id
}

/// The failure a user sees: exit 1, a code, a message that names the remote
/// and says nothing was lost.
#[track_caller]
pub(crate) fn assert_clear(failure: &Failure) {
    assert_eq!(failure.exit, Some(1), "{}", failure.stderr);
    assert!(
        !failure.code.is_empty(),
        "no JSON error: {}",
        failure.stderr
    );
    assert!(
        failure.message.contains("origin"),
        "the message does not name the remote: {}",
        failure.message
    );
    assert!(
        failure.message.contains("nothing was lost"),
        "the message does not say nothing was lost: {}",
        failure.message
    );
}

/// After the fault, a sync with no fault finishes: the portal has the app once,
/// with exactly the two versions made offline, and the client equals it.
#[track_caller]
pub(crate) fn assert_finished(bed: &Bed, id: &str) {
    assert_finished_as(bed, id, &bed.portal.dev);
}

/// [`assert_finished`], reading the portal with `api`.
#[track_caller]
fn assert_finished_as(bed: &Bed, id: &str, api: &Api) {
    bed.proxy.clear();
    let report = bed.client.sync().unwrap_or_else(|f| {
        panic!("the sync after the fault failed: {}", f.stderr);
    });
    assert_eq!(
        report["conflicts"],
        serde_json::json!([]),
        "one client alone has nothing to conflict with: {report}"
    );
    let apps = assert_converged(&bed.client, api);
    assert_eq!(apps.len(), 1, "one app on the portal: {apps:?}");
    assert_eq!(
        version_scopes(&apps, id),
        [
            vec![CUSTOMERS_R.to_owned()],
            vec![CUSTOMERS_R.to_owned(), JOBS_R.to_owned()]
        ],
        "one version per scope change, none twice"
    );
    assert_eq!(apps[id]["name"], "Dispatch Board");
    let tenants: Vec<&str> = apps[id]["tenants"]
        .as_array()
        .expect("tenants")
        .iter()
        .map(|t| t[0].as_str().expect("a tenant id"))
        .collect();
    assert_eq!(tenants, [TENANT, BRANCH]);
}

/// Offline edits, a sync under `rule` that must fail clearly keeping what was
/// not acknowledged, then a sync that finishes. Returns the bed to check more.
pub(crate) fn fails_then_finishes(rule: Rule) -> Bed {
    fails_then_finishes_on(bed(), rule)
}

/// [`fails_then_finishes`] on a bed of one's own.
fn fails_then_finishes_on(bed: Bed, rule: Rule) -> Bed {
    let id = offline_edits(&bed.client);
    bed.proxy.add(rule);
    let failure = bed
        .client
        .sync()
        .expect_err("the sync fails under the fault");
    assert_clear(&failure);
    assert!(
        !bed.proxy.faulted().is_empty(),
        "the fault was never hit: {:?}",
        bed.proxy.seen()
    );
    let left = bed.client.pending();
    assert!(
        (1..=4).contains(&left),
        "unacknowledged intents stay queued: {left} left"
    );
    assert_finished(&bed, &id);
    bed
}

#[test]
fn a_connection_dropped_before_the_portal_sees_a_write_loses_nothing() {
    fails_then_finishes(Rule::writes(Fault::DropBeforeForward).skip(1).always());
}

#[test]
fn an_answer_dropped_after_the_portal_committed_is_not_applied_twice() {
    let bed = fails_then_finishes(Rule::writes(Fault::DropAfterCommit).skip(1).always());
    let committed = bed
        .proxy
        .seen()
        .into_iter()
        .filter(|s| s.fault == Fault::DropAfterCommit)
        .filter(|s| {
            s.upstream
                .is_some_and(|status| (200..300).contains(&status))
        })
        .count();
    assert!(
        committed >= 1,
        "no write was committed and its answer dropped"
    );
}

#[test]
fn a_500_answer_to_a_write_fails_the_sync_and_the_next_one_finishes() {
    fails_then_finishes(Rule::writes(Fault::Status(500)).skip(1).always());
}

#[test]
fn a_500_answer_to_the_feed_fails_the_sync_and_the_next_one_finishes() {
    fails_then_finishes(
        Rule::methods(&["GET"], Fault::Status(500))
            .path("/v1/changes")
            .always(),
    );
}

#[test]
fn a_503_with_retry_after_fails_the_sync_and_the_next_one_finishes() {
    fails_then_finishes(
        Rule::writes(Fault::Unavailable { retry_after: 1 })
            .skip(1)
            .always(),
    );
}

/// The request timeout, shortened from 60 s for the timeout test.
const TIMEOUT_VAR: &str = "APPDESK_SYNC_TIMEOUT_SECS";

#[test]
fn a_write_that_times_out_fails_the_sync_and_the_next_one_finishes() {
    let client = Client::new("alice").with_env(TIMEOUT_VAR, "3");
    let started = std::time::Instant::now();
    let bed = fails_then_finishes_on(
        bed_for(client),
        Rule::writes(Fault::Stall(Duration::from_secs(600)))
            .skip(1)
            .always(),
    );
    let stalled = bed.proxy.faulted();
    assert!(matches!(stalled[0].fault, Fault::Stall(_)), "{stalled:?}");
    // Not a timing test: only that the variable was read (60 s otherwise).
    assert!(
        started.elapsed() < Duration::from_secs(50),
        "{:?}",
        started.elapsed()
    );
}

#[test]
fn a_bad_sync_timeout_is_refused_naming_the_variable_and_nothing_is_sent() {
    let bed = bed();
    for bad in ["0", "ten", "1.5", "3601"] {
        let client = Client::new("bob").with_env(TIMEOUT_VAR, bad);
        client.link(&bed.proxy.url(), &bed.portal.dev_token);
        let failure = client.sync().expect_err("refused");
        assert_eq!(failure.code, "invalid", "{}", failure.stderr);
        assert!(
            failure.message.contains(TIMEOUT_VAR) && failure.message.contains(bad),
            "{}",
            failure.message
        );
    }
    assert!(bed.proxy.seen().is_empty(), "{:?}", bed.proxy.seen());
}

#[test]
fn the_portal_killed_mid_push_and_restarted_loses_nothing() {
    let mut bed = bed();
    let id = offline_edits(&bed.client);
    // The second write (the scope change) waits at the proxy, then on the app's
    // row lock inside the portal's transaction, where the portal is killed.
    bed.proxy.add(Rule::writes(Fault::Hold).skip(1));
    let sync = bed.client.spawn(&["sync"]);
    bed.proxy.wait_held(1);
    let lock = HeldLock::hold(
        bed.portal.cluster,
        &bed.portal.db,
        &format!("SELECT 1 FROM apps WHERE id::text = '{id}' FOR UPDATE"),
    );
    bed.proxy.release();
    wait_for_lock_waiters(bed.portal.cluster, &bed.portal.db, 1);
    bed.portal.kill();
    lock.release();
    let out = sync.wait_with_output().expect("the sync ends");
    assert!(
        !out.status.success(),
        "the sync succeeded with the portal killed"
    );
    assert_clear(&Failure::of(&out));
    assert!(bed.client.pending() >= 3, "the unacknowledged intents stay");

    bed.portal.start_again();
    assert_finished(&bed, &id);
}

#[test]
fn the_client_killed_mid_sync_finishes_on_the_next_sync() {
    let bed = bed();
    let id = offline_edits(&bed.client);
    bed.proxy.add(Rule::writes(Fault::Hold).skip(1));
    let mut sync = bed.client.spawn(&["sync"]);
    bed.proxy.wait_held(1);
    sync.kill().expect("SIGKILL the client");
    sync.wait().expect("the client is gone");
    // The write it was waiting on still reaches the portal and commits.
    bed.proxy.release();
    wait_for_upstream_answers(&bed.proxy, 2);
    assert_finished(&bed, &id);
}

/// Waits until the upstream answered `count` writes.
fn wait_for_upstream_answers(proxy: &Proxy, count: usize) {
    let what = format!("the portal to answer {count} writes");
    appdesk_testkit::wait_until(&what, Duration::from_secs(60), || {
        let seen = proxy.seen();
        let answered = seen
            .iter()
            .filter(|s| s.method != "GET" && s.upstream.is_some());
        answered.count() >= count
    });
}

/// Offline edits, and a sync during which the token is revoked: its first
/// write (the create) went through, the second gets 401.
fn revoked_mid_sync(bed: &Bed) -> Failure {
    bed.proxy.add(Rule::writes(Fault::Hold).skip(1));
    let sync = bed.client.spawn(&["sync"]);
    bed.proxy.wait_held(1);
    bed.portal.revoke(&bed.portal.dev_token);
    bed.proxy.release();
    let out = sync.wait_with_output().expect("the sync ends");
    assert!(
        !out.status.success(),
        "the sync succeeded with a revoked token"
    );
    Failure::of(&out)
}

#[test]
fn a_token_revoked_mid_sync_fails_clearly_and_keeps_the_queue() {
    let bed = bed();
    offline_edits(&bed.client);
    let failure = revoked_mid_sync(&bed);
    assert_clear(&failure);
    assert_eq!(failure.code, "unauthorized", "{}", failure.message);
    assert!(failure.message.contains("token"), "{}", failure.message);
    assert_eq!(bed.client.pending(), 3, "only the create was acknowledged");
    let again = bed
        .client
        .sync()
        .expect_err("a revoked token stays refused");
    assert_eq!(again.code, "unauthorized");
    assert_eq!(bed.client.pending(), 3, "a refused sync keeps the queue");
}

/// After the portal revoked the token mid-sync, `remote token` gives the
/// remote a new one and keeps the queued intents and bases: the next sync
/// pushes the user's own unpushed changes (no conflict) and converges.
#[test]
fn after_a_revoked_token_a_new_token_finishes_the_job() {
    let bed = bed();
    let id = offline_edits(&bed.client);
    assert_clear(&revoked_mid_sync(&bed));
    let fresh = bed.portal.token("team", "dev", &[]);
    let replaced = bed
        .client
        .json(&["remote", "token", "origin", "--token", &fresh]);
    assert_eq!(replaced["pending"], 3, "the queue is kept: {replaced}");
    assert_eq!(replaced["token"], "sealed", "{replaced}");
    assert_finished_as(&bed, &id, &bed.portal.api(Some(&fresh)));
}

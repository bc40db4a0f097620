//! The model-based property test of sync (issues 10 and 18): random sequences
//! of offline edits on 2–3 clients (each the real `appdesk` on its own
//! database, behind its own fault-injecting proxy, against the real portal),
//! syncs at random points, some under a fault of the proxy (the request lost,
//! the answer lost after the portal committed, a 500, a 503 with Retry-After,
//! on a write or a read), some SIGKILLed mid-way; then every client syncs
//! until nothing moves.
//!
//! The edits include those that undo earlier ones (a scope removed and added
//! back, a rename back to an earlier name, a tenant removed and re-added, an
//! app deleted after edits), the
//! class a lost acknowledgement used to revert. The oracle is the list of
//! intents each client made ([`intents`]); who may edit what ([`world`])
//! keeps every part of an app edited by one client at a time, so the end
//! state is exact. Invariants:
//! - convergence: every client's apps and histories equal the portal's, and
//!   nothing is left queued;
//! - the portal holds exactly what the intents add up to: last name, scopes,
//!   tenants, and one version per scope intent, in order, none lost or twice;
//! - no conflict, refusal or quarantine (no two clients raced);
//! - an app's key never changes; a failed sync names the remote.
//!
//! An app edited by several clients is held to less on its versions (each
//! scope moves no more often than its intents): [`merged_queue`] is the
//! product bug that stands in the way, ignored until fixed.
//!
//! One PostgreSQL cluster for the test binary, a portal database per case.
//! 50 cases unless `PROPTEST_CASES=N` says otherwise.

mod intents;
mod merged_queue;
mod world;

use proptest::prelude::*;

use world::World;

#[derive(Debug, Clone, Copy)]
enum Kind {
    DropBefore,
    DropAfter,
    Status500,
    Unavailable,
}

/// A fault of the proxy on the `skip`-th write (or read) of a sync.
#[derive(Debug, Clone, Copy)]
struct SyncFault {
    kind: Kind,
    on_reads: bool,
    skip: usize,
}

/// Where a sync is SIGKILLed.
#[derive(Debug, Clone, Copy)]
enum Kill {
    /// Once its proxy has seen this many requests of it.
    AfterRequests(usize),
    /// While this write (after skipping so many) is held on its way.
    HeldWrite(usize),
}

/// Which set a toggle edits.
#[derive(Debug, Clone, Copy)]
enum Scope {
    Scopes,
    Tenants,
}

#[derive(Debug, Clone)]
enum Op {
    Create(usize),
    Rename {
        client: usize,
        pick: usize,
        back: bool,
    },
    ToggleScope {
        client: usize,
        pick: usize,
    },
    ToggleTenant {
        client: usize,
        pick: usize,
    },
    Delete {
        client: usize,
        pick: usize,
    },
    Sync(usize, Option<SyncFault>),
    Kill(usize, Kill),
}

fn sync_fault() -> impl Strategy<Value = SyncFault> {
    let kind = prop_oneof![
        1 => Just(Kind::DropBefore),
        3 => Just(Kind::DropAfter),
        1 => Just(Kind::Status500),
        1 => Just(Kind::Unavailable)
    ];
    (kind, proptest::bool::weighted(0.25), 0..4usize).prop_map(|(kind, on_reads, skip)| SyncFault {
        kind,
        on_reads,
        skip,
    })
}

fn op() -> impl Strategy<Value = Op> {
    let c = 0..3usize;
    let pick = 0..64usize;
    let kill = prop_oneof![
        (1..4usize).prop_map(Kill::AfterRequests),
        (0..3usize).prop_map(Kill::HeldWrite),
    ];
    prop_oneof![
        2 => c.clone().prop_map(Op::Create),
        2 => (c.clone(), pick.clone(), any::<bool>())
            .prop_map(|(client, pick, back)| Op::Rename { client, pick, back }),
        4 => (c.clone(), pick.clone()).prop_map(|(client, pick)| Op::ToggleScope { client, pick }),
        2 => (c.clone(), pick.clone()).prop_map(|(client, pick)| Op::ToggleTenant { client, pick }),
        1 => (c.clone(), pick).prop_map(|(client, pick)| Op::Delete { client, pick }),
        4 => (c.clone(), proptest::option::weighted(0.5, sync_fault()))
            .prop_map(|(c, f)| Op::Sync(c, f)),
        2 => (c, kill).prop_map(|(c, at)| Op::Kill(c, at)),
    ]
}

fn config() -> ProptestConfig {
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(50);
    ProptestConfig {
        cases,
        max_shrink_iters: 24,
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn offline_edits_that_undo_each_other_on_several_clients_with_faults_and_kills_end_as_their_intents_say(
        clients in 2..=3usize,
        ops in proptest::collection::vec(op(), 4..16),
    ) {
        let mut world = World::new(clients);
        for op in &ops {
            world.apply(op);
        }
        world.settle();
        world.check();
    }
}

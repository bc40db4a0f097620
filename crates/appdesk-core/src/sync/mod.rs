//! Sync's client side, the parts that need no network: the three-way merge of
//! one app (SYNC.md §3) as a pure function, so that `appdesk sync`, its
//! `--plan`, and any test can compute the same answer from the same three
//! snapshots.
//!
//! **What must not go in here:** HTTP, SQL, the clock. The store keeps the
//! base snapshots, the outbox and the conflicts (`store/sync_*.rs`); the
//! rules R1–R10 stay in [`crate::decide`]: a merged app is applied locally
//! through the decisions, never written around them.

pub mod merge;

pub use merge::{Conflict, Merged, Snapshot, merge};

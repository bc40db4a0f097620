//! Sync's client side, the parts that need no network: the three-way merge of
//! one app (SYNC.md §3) as a pure function, the intents a local change asks of
//! the portal, and the checks of a remote's name, URL and token. `appdesk
//! sync`, its `--plan`, and any test compute the same answers from the same
//! inputs.
//!
//! **What must not go in here:** HTTP, SQL, the clock. The store keeps the
//! remotes, the outbox, the base snapshots and the conflicts
//! (`store/remotes.rs`, `store/outbox.rs`); the rules R1–R10 stay in
//! [`crate::decide`]: a merged app is applied locally through the decisions,
//! never written around them.

pub mod admit;
pub mod connections;
pub mod identity;
pub mod intent;
pub mod link;
pub mod merge;
pub mod rebase;
pub mod rebuild;
pub mod resolve;

pub use connections::PulledConnection;
pub use intent::Intent;
pub use merge::{Conflict, Merged, Snapshot, merge};

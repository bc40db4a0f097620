//! Sync of a local Appdesk database with a team portal (SYNC.md): the HTTP
//! client ([`client`]) and the engine that pulls the change feed, merges each
//! changed app three ways, pushes the outbox, sends the upgrade requests
//! made since, and pulls again ([`sync`]).
//!
//! Why a crate of its own: the core (`appdesk-core`) stays free of HTTP, so
//! the desktop window, the CLI and the tests that need no network do not link
//! a TLS stack, and nothing in the core can block on a socket. Everything
//! this crate decides about an app, it asks of the core: the merge
//! (`appdesk_core::sync::merge`) and the store's sync functions, which apply
//! pulled state, rebuild and acknowledge intents, each in one transaction.
//!
//! **What must not go in here:** a rule R1–R10, SQL, or a merge decision. The
//! engine moves data between the portal and the store, in the order that
//! loses nothing: an outbox row is deleted only in the transaction that stores
//! the portal's answer, and the cursor only in the one that applies what it
//! covers.
//!
//! Blocking: call [`sync`] from a worker thread (the desktop: from
//! `spawn_blocking`), never from a UI thread.

pub mod client;
pub mod connections;
mod engine;
mod error;
mod feed_bounds;
mod pull;
mod quarantine;
mod report;
mod requests;
pub mod wire;

pub use engine::sync;
pub use error::{Error, Result};
pub use report::{Mode, Progress, Report, ReportConflict, ReportItem, ReportQuarantined};

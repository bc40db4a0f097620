//! The team portal: an axum server over PostgreSQL that every developer's Appdesk
//! syncs with (SYNC.md). It stores what `appdesk_core`'s pure decisions return and
//! never re-implements a rule.
//!
//! - [`config`]: the command line; [`db`]: pool and migrations; [`admin`]:
//!   workspaces and tokens.
//! - [`server`]: state, router, `serve`; [`log`]: the request log.
//! - One extractor per cross-cutting concern: [`auth`] (who), [`extract`] (body,
//!   `If-Match`), [`idempotency`] (the key, and the one way every write runs).
//! - [`routes`]: the `/v1` handlers; [`store`]: load, persist and views;
//!   [`tenant_admin`]: what a tenant admin sees of the apps that list their tenants.
//! - Roles and the audit log: [`role`] (what each role may do), [`members`]
//!   (members and tenant admins by user), [`audit`] (the log, its IP rule,
//!   export and retention).
//! - [`feed`]: the change feed; [`openapi`]: the document.
//! - The web console: [`session`] (sign-in, the cookie), [`origin`] (which
//!   origin may write with it), [`console`] (its embedded files).

pub mod admin;
pub mod audit;
pub mod auth;
pub mod cached;
pub mod config;
pub mod connections;
pub mod console;
pub mod db;
pub mod error;
pub mod extract;
pub mod feed;
pub mod health;
pub mod hygiene;
pub mod idempotency;
pub mod keyfile;
pub mod log;
pub mod members;
pub mod metrics;
pub mod mutation;
pub mod openapi;
pub mod origin;
pub mod paging;
pub mod role;
pub mod routes;
pub mod server;
pub mod session;
pub mod store;
pub mod tenant_admin;
pub mod token;

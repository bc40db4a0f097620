//! The team portal: an axum server over PostgreSQL that every developer's Appdesk
//! syncs with (SYNC.md). It stores what `appdesk_core`'s pure decisions return and
//! never re-implements a rule.
//!
//! - [`config`] holds the command line and environment settings.

pub mod config;

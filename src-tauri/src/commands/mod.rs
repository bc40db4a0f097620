//! The commands the window calls, one file per area. Each takes the shared
//! store, calls one core function on a blocking thread (see
//! [`Shared::run`](crate::state::Shared::run)) and returns its result or the
//! core's error body. Nothing here decides anything.

pub mod activity;
pub mod apps;
pub mod connections;
pub mod drafts;
pub mod exchange;
pub mod lifecycle;
pub mod scopes;
pub mod settings;
pub mod sync;
pub mod tenants;
pub mod updates;
pub mod window;

/// What every command returns.
pub type Reply<T> = Result<T, appdesk_core::ErrorBody>;

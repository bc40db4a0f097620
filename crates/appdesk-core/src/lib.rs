//! Appdesk's core: the rules of the ServiceTitan developer portal's **My Apps**
//! (DESIGN.md §1, R1–R10) over a local SQLite database.
//!
//! This crate has no GUI and no Tauri dependency: the `appdesk` CLI and the
//! desktop shell are thin layers that parse input, call one [`Store`] method and
//! render its result or its [`Error`].
//!
//! - [`decide`] holds the rules as pure decisions: loaded state and request
//!   in, the change to persist out; the SQLite store and the portal both call them.
//! - [`Store`] opens a database file and does every operation in one transaction.
//! - [`Catalog`] is the API scope catalog; [`ScopeSet`] a set of scopes with diff.
//! - [`validate`] holds the field rules, reporting every problem by field.
//! - [`paths`] knows where the database and its key file are by default.
//! - [`secrets`] generates keys and seals client secrets at rest.
//! - [`sync`] holds sync's pure parts: the three-way merge, intents, remote checks.
//! - [`updates`] holds the rule for an update endpoint (https, or http on loopback).

pub mod catalog;
pub mod decide;
pub mod error;
pub mod exchange;
pub mod model;
pub mod paths;
pub mod report;
pub mod scope;
pub mod secrets;
pub mod store;
pub mod sync;
pub mod updates;
mod user_file;
pub mod validate;

pub use catalog::{Catalog, RetiredResource};
pub use error::{Error, ErrorBody, ErrorCode, Problem, Result};
pub use model::*;
pub use scope::{Access, Scope, ScopeDiff, ScopeSet};
pub use store::{
    CatalogUpdate, ConnectionOutcome, DeletedApp, FieldChange, ImportMode, ImportPlan, ImportStage,
    PlanAction, PlannedApp, PortalTarget, Remote, RemoteAdded, RemoteRemoved, Resolution,
    ResolvedField, RetiredUse, ScopePreview, StaleSecret, Store, StoreOptions, StoredConflict,
    SyncStatus, TenantAdd,
};

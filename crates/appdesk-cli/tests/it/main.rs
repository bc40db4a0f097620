//! The integration tests of appdesk-cli, one module per area, linked as one binary.

mod apps;
mod catalog;
mod catalog_updates;
mod common;
mod conflicts;
mod connections;
mod drafts;
mod errors;
mod exchange;
mod hostile_text;
mod import_files;
mod keys;
mod ledger;
mod log;
mod notes;
mod remotes;
mod rotation;
mod scopes;
mod settings;
mod storage;
mod sync;
mod sync_conflicts;
mod sync_connections;
mod sync_faults;
mod sync_model;
mod tenants;

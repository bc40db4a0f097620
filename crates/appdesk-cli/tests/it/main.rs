//! The integration tests of appdesk-cli, one module per area, linked as one binary.

mod apps;
mod catalog;
mod common;
mod connections;
mod drafts;
mod errors;
mod exchange;
mod import_files;
mod log;
mod scopes;
mod settings;
mod tenants;

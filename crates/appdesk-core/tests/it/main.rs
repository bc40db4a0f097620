//! The integration tests of appdesk-core, one module per area, linked as one binary.

mod activity;
mod apps;
mod common;
mod connections;
mod corruption;
mod crash;
mod exchange;
mod import_files;
mod store;
mod tenants;
mod versions;

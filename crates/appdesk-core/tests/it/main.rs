//! The integration tests of appdesk-core, one module per area, linked as one binary.

mod activity;
mod apps;
mod catalog_words;
mod common;
mod connections;
mod corruption;
mod crash;
mod decide;
mod exchange;
mod export_files;
mod first_open;
mod hostile_text;
mod import_confirm;
mod import_files;
mod keys;
mod storage;
mod store;
mod tenants;
mod versions;

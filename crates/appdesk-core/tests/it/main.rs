//! The integration tests of appdesk-core, one module per area, linked as one binary.

mod activity;
mod activity_filters;
mod apps;
mod catalog_words;
mod common;
mod connections;
mod corruption;
mod crash;
mod decide;
mod equivalent_names;
mod exchange;
mod export_files;
mod first_open;
mod hostile_text;
mod import_confirm;
mod import_drafts;
mod import_files;
mod keys;
mod list_search;
mod storage;
mod store;
mod sync;
mod tenants;
mod update_settings;
mod versions;

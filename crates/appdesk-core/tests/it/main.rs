//! The integration tests of appdesk-core, one module per area, linked as one binary.

mod activity;
mod apps;
mod common;
mod connections;
mod crash;
mod decide;
mod exchange;
mod store;
mod tenants;
mod versions;

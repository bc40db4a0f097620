//! The integration tests of appdesk-portal: the real `appdesk-portal` binary on a
//! real PostgreSQL cluster, spoken to over HTTP on loopback, one module per area of
//! the protocol. The spec they check is the portal issue's, not the server's code.

mod auth;
mod availability;
mod bounds;
mod commands;
mod common;
mod concurrency;
mod console;
mod console_data;
mod errors;
mod faults;
mod feed;
mod hostile;
mod hygiene;
mod idempotency;
mod identity;
mod key_file;
mod metrics;
mod openapi;
mod paging;
mod paging_lists;
mod preconditions;
mod protocol;
mod restore;
mod rules;
mod secrets;
mod tenant_admin_actions;
mod tenant_admin_rotation;
mod tenant_admin_upgrade;
mod tenant_admins;
mod timeouts;

//! Rendering results for people. (`--json` needs no code here: the core's types
//! serialize themselves, see `commands::Context::render`.)
//!
//! Text is compact and aligned, with no colour, so that it reads well in a
//! terminal and in a log. It must never print a client secret unless the value
//! handed in carries one: the core puts a secret only where it is meant to be
//! shown (connect, regenerate, reveal).

pub mod activity;
pub mod apps;
pub mod catalog;
pub mod conflicts;
pub mod connections;
pub mod exchange;
pub mod ledger;
pub mod remotes;
mod text;

pub use text::{shown, shown_lines};

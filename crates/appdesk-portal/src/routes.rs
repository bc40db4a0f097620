//! The app and connection routes (filled in once `appdesk_core::decide` is in).

use axum::Router;

use crate::server::Shared;

pub fn apps() -> Router<Shared> {
    Router::new()
}

//! The app, connection and upgrade-request routes under `/v1`. Each handler takes its extractors
//! (caller, idempotency key, precondition, body), parses the request with the
//! core's parsers, and hands one write to [`crate::idempotency::run`], or reads.

mod apps;
mod audit;
mod connections;
mod me;
mod members;
mod requests;

use appdesk_core::Error as CoreError;
use axum::Router;
use axum::routing::{delete, get, post};

use crate::error::AppError;
use crate::server::Shared;

pub use apps::__path_create_app;
pub use apps::{
    __path_delete_app, __path_get_app, __path_list_apps, __path_patch_app, __path_versions,
};
pub use audit::__path_read_audit;
pub use connections::{__path_connect, __path_connection_action, __path_list_connections};
pub use me::{__path_catalog, __path_me, catalog, me};
pub use members::{
    __path_add_member, __path_change_member_role, __path_list_members, __path_remove_member,
};
pub use requests::{__path_create_upgrade_request, __path_list_upgrade_requests, __path_notes};

pub fn apps() -> Router<Shared> {
    Router::new()
        .route("/v1/apps", get(apps::list_apps).post(apps::create_app))
        .route(
            "/v1/apps/{id}",
            get(apps::get_app)
                .patch(apps::patch_app)
                .delete(apps::delete_app),
        )
        .route("/v1/apps/{id}/versions", get(apps::versions))
        .route(
            "/v1/apps/{id}/connections",
            get(connections::list_connections).post(connections::connect),
        )
        .route(
            "/v1/apps/{id}/connections/{tenant}/{environment}/{action}",
            post(connections::connection_action),
        )
        .route("/v1/apps/{id}/notes", get(requests::notes))
        .route(
            "/v1/apps/{id}/upgrade-requests",
            post(requests::create_upgrade_request),
        )
        .route("/v1/upgrade-requests", get(requests::list_upgrade_requests))
}

/// The owners' routes: the workspace's members and its audit log.
pub fn identity() -> Router<Shared> {
    Router::new()
        .route(
            "/v1/members",
            get(members::list_members).post(members::add_member),
        )
        .route(
            "/v1/members/{user}",
            delete(members::remove_member).patch(members::change_member_role),
        )
        .route("/v1/audit", get(audit::read_audit))
}

/// The core's problems about an add/remove list, renamed under the body field
/// they came from (`add[0]` of the scope edits is `scopes.add[0]` of the body).
fn under(prefix: &str, e: CoreError) -> AppError {
    match e {
        CoreError::Invalid(problems) => AppError::Core(CoreError::Invalid(
            problems
                .into_iter()
                .map(|mut p| {
                    if p.field.starts_with("add[") || p.field.starts_with("remove[") {
                        p.field = format!("{prefix}.{}", p.field);
                    }
                    p
                })
                .collect(),
        )),
        other => AppError::Core(other),
    }
}

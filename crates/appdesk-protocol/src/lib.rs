//! The portal's `/v1` wire types, declared once: the request bodies, the
//! answers, the change feed's page and entries, and the error body. The
//! portal serializes its answers from them and reads its request bodies into
//! them; the sync client (`appdesk-sync`) does the reverse with the same
//! structs, so a renamed or retyped field breaks the build, not a user's
//! sync. The OpenAPI document (`schema/portal.openapi.json`) is generated
//! from them too: with the `openapi` feature, which only the portal turns on,
//! each derives utoipa's `ToSchema`.
//!
//! **What must not go in here:** I/O of any kind (no SQL, no HTTP, no
//! async), and no rule R1–R10: a body is read here, never judged; the
//! portal checks it with the core's `decide`, and the client checks what it
//! pulls with the core's validation. Conversions to and from the core's
//! model ([`convert`]) are plain field moves.
//!
//! Reading is lenient where a newer portal may add something (unknown fields
//! in an answer are ignored; an unknown error code stays readable as
//! [`Code::Unknown`]), and strict where the portal must refuse (request
//! bodies deny unknown fields, so a typo never silently does nothing).

mod apps;
mod bodies;
mod connections;
pub mod convert;
mod error;
mod feed;
mod identity;
#[cfg(feature = "openapi")]
pub mod openapi;
mod requests;
mod session;

#[cfg(feature = "openapi")]
pub use apps::AppAsSeen;
pub use apps::{
    App, AppList, Deleted, HistoryEntry, Tenant, TenantAdminApp, TenantAdminTenant, VersionRecord,
};
pub use bodies::{Connect, CreateApp, PatchApp, ScopeEdits, TenantEdits, TenantInput};
pub use connections::{Action, Connection};
pub use error::{Code, ErrorBody, Problem};
pub use feed::{
    AppChange, Change, ChangesPage, ConnectionChange, ConnectionEnd, ConnectionState, Ended,
    Tombstone,
};
pub use identity::{AuditEntry, AuditPage, Member, MemberList, MemberRole, NewMember};
pub use requests::{NewUpgradeRequest, Notes, TenantAdminConnection, UpgradeRequest};
pub use session::{Me, SignIn};

#[cfg(test)]
mod tests;

//! The portal's JSON, as this client reads and writes it: the types of
//! `appdesk-protocol`, which the portal serializes too, under the names this
//! crate's code has always used. Unknown fields in an answer are ignored, so
//! a newer portal that adds some still syncs.

/// An app as the portal answers it (`App` in the document).
pub use appdesk_protocol::App as RemoteApp;
/// `GET /v1/apps`: every app, and the cursor the feed follows on from.
pub use appdesk_protocol::AppList;
/// One entry of the feed, told apart by its `type`.
pub use appdesk_protocol::Change;
/// `GET /v1/changes`.
pub use appdesk_protocol::ChangesPage;
/// `POST /v1/apps`: the app, proposing its id and key (`CreateBody::of`).
pub use appdesk_protocol::CreateApp as CreateBody;
/// `PATCH /v1/apps/{id}`: scalar fields, and explicit add/remove lists
/// (`PatchBody::of`).
pub use appdesk_protocol::PatchApp as PatchBody;
/// One version, as the feed carries it and a client keeps it.
pub use appdesk_protocol::VersionRecord as HistoryRecord;

//! The tenants an app is visible to (R7). Adding or removing one makes no
//! version and leaves the key alone. A removed tenant can no longer use the app,
//! so its connections end with it (R8: only a tenant in the list can connect).

use rusqlite::Connection;

use super::activity::Stamp;
use super::drafts::write_draft;
use super::rows::AppRow;
use super::{Store, rows, state};
use crate::decide::{self, TenantRequest};
use crate::error::Result;
use crate::model::App;

pub use crate::decide::TenantAdd;

impl Store {
    /// Adds (or re-notes) and removes tenants. Removals come after additions.
    /// A created app keeps 1 to 200 tenants (R1).
    pub fn change_tenants(&self, app: &str, add: &[TenantAdd], remove: &[String]) -> Result<App> {
        let request = TenantRequest::parse(add, remove)?;
        let stamp = self.stamp();
        self.write(|conn| {
            let row = rows::resolve(conn, app)?;
            if row.current_version.is_none() {
                let mut input = row.draft_input();
                input.tenants = request.apply(&input.tenants)?;
                write_draft(conn, &stamp, &row.id, &input)?;
            } else {
                let change = decide::change_tenants(&state::load(conn, &row)?, &request, &stamp)?;
                state::persist(conn, &change, None)?;
            }
            rows::to_app(conn, rows::app_row(conn, &row.id)?, self.catalog())
        })
    }
}

/// Writes tenant additions, note changes and removals of a created app (an
/// import's), as [`decide::change_tenants`] decides.
pub(super) fn apply_to_created(
    conn: &Connection,
    stamp: &Stamp,
    row: &AppRow,
    add: &[TenantAdd],
    remove: &[String],
) -> Result<()> {
    let request = TenantRequest::parse(add, remove)?;
    // Read again: the caller's row may predate its own earlier changes.
    let state = state::load(conn, &rows::app_row(conn, &row.id)?)?;
    let change = decide::change_tenants(&state, &request, stamp)?;
    state::persist(conn, &change, None)
}

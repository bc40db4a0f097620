//! The paged app listings: one page of a workspace's apps, or of a tenant
//! admin's, in the stable order `lower(name), id`, starting after a sort key
//! ([`crate::paging`]). Only reads; each row carries its own sort key so the
//! next cursor is the database's own value, not one recomputed here.

use deadpool_postgres::GenericClient;

use super::{Loaded, app_columns, app_from, decode};
use crate::cached;
use crate::error::AppError;
use crate::paging::Page;

/// The sort key of a row: the column after [`app_columns`].
const KEY_COLUMNS: &str = ", lower(a.name), a.id";
const ORDER: &str = " ORDER BY lower(a.name), a.id LIMIT ";

/// One page of `workspace`'s apps, each with its sort key, read one item
/// past the limit (for [`crate::paging::split`]).
pub async fn workspace_page(
    client: &impl GenericClient,
    workspace: &uuid::Uuid,
    page: &Page,
) -> Result<Vec<(Loaded, Vec<String>)>, AppError> {
    let (name, id) = after(page);
    let sql = format!(
        "{}{KEY_COLUMNS}{} WHERE a.workspace_id = $1 AND ($2::text IS NULL OR \
         (lower(a.name), a.id) > ($2::text, $3::text)){ORDER}$4",
        app_columns!(),
        app_from!(),
    );
    let rows = cached::query(client, &sql, &[workspace, &name, &id, &(page.limit + 1)]).await?;
    rows.iter().map(keyed).collect()
}

/// One page of the apps, in any workspace, that list one of `tenants`.
pub async fn tenants_page(
    client: &impl GenericClient,
    tenants: &[String],
    page: &Page,
) -> Result<Vec<(Loaded, Vec<String>)>, AppError> {
    let (name, id) = after(page);
    let sql = format!(
        "{}{KEY_COLUMNS}{} WHERE a.id IN (SELECT t.app_id FROM app_tenants t \
         WHERE t.tenant_id = ANY($1)) AND ($2::text IS NULL OR \
         (lower(a.name), a.id) > ($2::text, $3::text)){ORDER}$4",
        app_columns!(),
        app_from!(),
    );
    let rows = cached::query(client, &sql, &[&tenants, &name, &id, &(page.limit + 1)]).await?;
    rows.iter().map(keyed).collect()
}

fn after(page: &Page) -> (Option<String>, Option<String>) {
    match page.after.as_deref() {
        Some([name, id]) => (Some(name.clone()), Some(id.clone())),
        _ => (None, None),
    }
}

fn keyed(row: &tokio_postgres::Row) -> Result<(Loaded, Vec<String>), AppError> {
    let loaded = decode(row)?;
    let n = row.len();
    Ok((loaded, vec![row.get(n - 2), row.get(n - 1)]))
}

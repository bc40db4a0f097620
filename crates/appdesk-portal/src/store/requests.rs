//! Upgrade requests in PostgreSQL (issue 19 §2): insert one that
//! `appdesk_core::decide::receive_request` checked, and list them for a
//! workspace member (their workspace's) or a tenant admin (their tenants', in
//! every workspace, on apps that still list that tenant). Each listed request
//! carries where it stands, computed by `decide::request_status` from the
//! app's latest version and the connection's, read in the same query; never
//! stored, never decided here.

use appdesk_core::decide::{self, Stamp};
use appdesk_protocol::UpgradeRequest;
use deadpool_postgres::{GenericClient, Transaction};
use tokio_postgres::Row;

use super::persist::activity;
use crate::cached;
use crate::error::AppError;
use crate::paging::Page;

/// Every column of a listed request, and what its state is read from.
const SELECT_REQUEST: &str = "
    SELECT r.id, r.app_id, a.name AS app_name, r.tenant_id, r.environment, r.from_version,
           r.to_version, r.notes, r.requested_by, r.requested_at,
           a.current_version AS latest_version, c.version AS connection_version,
           r.requested_at AS page_at
      FROM upgrade_requests r
      JOIN apps a ON a.id = r.app_id
      LEFT JOIN connections c
        ON c.app_id = r.app_id AND c.tenant_id = r.tenant_id AND c.environment = r.environment";

const NEWEST_FIRST: &str = "ORDER BY r.requested_at DESC, r.id LIMIT $4";

/// After the page's last request (`$2` its time, `$3` its id), newest first.
const AFTER: &str = "($2::text IS NULL OR r.requested_at < $2::text \
     OR (r.requested_at = $2::text AND r.id > $3::text))";

/// Whom a list of requests is for.
#[derive(Debug, Clone, Copy)]
pub enum Reader<'a> {
    Workspace(&'a uuid::Uuid),
    Tenants(&'a [String]),
}

/// A page of the requests `reader` may see, newest first, each with its
/// sort key, read one past the page's limit ([`crate::paging::split`]).
pub async fn list(
    client: &impl GenericClient,
    reader: Reader<'_>,
    page: &Page,
) -> Result<Vec<(UpgradeRequest, Vec<String>)>, AppError> {
    let (at, id) = match page.after.as_deref() {
        Some([at, id]) => (Some(at.clone()), Some(id.clone())),
        _ => (None, None),
    };
    let limit = page.limit + 1;
    let rows = match reader {
        Reader::Workspace(workspace) => {
            let sql =
                format!("{SELECT_REQUEST} WHERE r.workspace_id = $1 AND {AFTER} {NEWEST_FIRST}");
            cached::query(client, &sql, &[workspace, &at, &id, &limit]).await?
        }
        // Only while the app lists the tenant: an app that dropped it is no
        // longer the admin's to see, nor are its requests.
        Reader::Tenants(tenants) => {
            let sql = format!(
                "{SELECT_REQUEST} WHERE r.tenant_id = ANY($1) AND EXISTS (SELECT 1 FROM \
                 app_tenants t WHERE t.app_id = r.app_id AND t.tenant_id = r.tenant_id) \
                 AND {AFTER} {NEWEST_FIRST}"
            );
            cached::query(client, &sql, &[&tenants, &at, &id, &limit]).await?
        }
    };
    rows.iter()
        .map(|row| {
            let key = vec![row.try_get("page_at")?, row.try_get("id")?];
            Ok((decode(row)?, key))
        })
        .collect()
}

/// Stores `request` (made in `workspace`) and logs it; a request whose id is
/// already stored is that one, answered again if it is the same request
/// (sent twice, the first answer lost), refused if the id names another.
pub async fn insert(
    tx: &Transaction<'_>,
    workspace: &uuid::Uuid,
    request: &decide::UpgradeRequest,
    stamp: &Stamp,
) -> Result<UpgradeRequest, AppError> {
    let inserted = cached::execute(
        tx,
        "INSERT INTO upgrade_requests (id, workspace_id, app_id, tenant_id, environment, \
         from_version, to_version, notes, requested_by, requested_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) ON CONFLICT (id) DO NOTHING",
        &[
            &request.id,
            workspace,
            &request.app_id,
            &request.tenant_id,
            &request.environment.as_str(),
            &request.from_version,
            &request.to_version,
            &request.notes,
            &request.requested_by,
            &request.requested_at,
        ],
    )
    .await?;
    if inserted == 1 {
        activity(tx, workspace, stamp, &[request.activity()]).await?;
    }
    let sql = format!("{SELECT_REQUEST} WHERE r.id = $1 AND r.workspace_id = $2");
    let stored = cached::query_opt(tx, &sql, &[&request.id, workspace])
        .await?
        .map(|row| decode(&row))
        .transpose()?;
    match stored {
        Some(s) if inserted == 1 || same_request(&s, request) => Ok(s),
        _ => Err(AppError::Core(appdesk_core::Error::conflict(
            "id",
            format!(
                "request id {} names another upgrade request; send a new id",
                request.id
            ),
        ))),
    }
}

fn same_request(stored: &UpgradeRequest, sent: &decide::UpgradeRequest) -> bool {
    stored.app_id == sent.app_id
        && stored.tenant_id == sent.tenant_id
        && stored.environment == sent.environment
        && stored.from_version == sent.from_version
        && stored.to_version == sent.to_version
}

fn decode(row: &Row) -> Result<UpgradeRequest, AppError> {
    let id: String = row.try_get("id")?;
    let environment: String = row.try_get("environment")?;
    let to_version: i64 = row.try_get("to_version")?;
    let state = decide::request_status(
        row.try_get("connection_version")?,
        to_version,
        row.try_get("latest_version")?,
    );
    Ok(UpgradeRequest {
        app_id: row.try_get("app_id")?,
        app_name: row.try_get("app_name")?,
        tenant_id: row.try_get("tenant_id")?,
        environment: environment.parse().map_err(|_| {
            AppError::Internal(format!(
                "upgrade request {id}: stored environment is damaged"
            ))
        })?,
        from_version: row.try_get("from_version")?,
        to_version,
        notes: row.try_get("notes")?,
        requested_by: row.try_get("requested_by")?,
        requested_at: row.try_get("requested_at")?,
        state,
        id,
    })
}

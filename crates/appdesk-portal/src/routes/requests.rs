//! What the console reads besides apps (issue 19 §2): an app's upgrade notes
//! (`/v1/apps/{id}/notes`, the core's notes, exactly what `appdesk notes`
//! prints), and upgrade requests: a member sends one
//! (`POST /v1/apps/{id}/upgrade-requests`), and `GET /v1/upgrade-requests`
//! lists a member their workspace's and a tenant admin their tenants'.
//! The checks and the notes are `appdesk_core::decide`'s; nothing is decided
//! here.

use std::collections::HashMap;

use appdesk_core::decide::{self, RequestInput};
use appdesk_core::{Environment, ScopeSet};
use appdesk_protocol::{NewUpgradeRequest, Notes, UpgradeRequest};
use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use deadpool_postgres::{GenericClient, Transaction};

use crate::auth::{Caller, Principal};
use crate::cached;
use crate::error::AppError;
use crate::extract::{JsonBody, QueryParams};
use crate::idempotency::{self, Fingerprint, IdempotencyKey, Reply, Write, Written};
use crate::openapi::{ReadErrors, WriteErrors};
use crate::paging::{self, PageQuery};
use crate::server::{Portal, Shared};
use crate::store::requests::{self, Reader};
use crate::store::{self, Loaded};
use crate::tenant_admin;

#[utoipa::path(get, path = "/v1/apps/{id}/notes", security(("bearer" = [])),
    params(("id" = String, Path, description = "The app's id"),
           ("from" = Option<i64>, Query, minimum = 1, description = "From this version (default: the oldest a connection is on)"),
           ("to" = Option<i64>, Query, minimum = 1, description = "To this version (default: the latest)")),
    responses(
        (status = 200, description = "What the upgrade means for a tenant's data, write access \
         and removals first: the text `appdesk notes` prints, and Markdown", body = Notes),
        (status = 422, description = "`from` or `to` is not a version of the app, or `from` is \
         after `to`", body = appdesk_protocol::ErrorBody),
        ReadErrors,
    ))]
pub async fn notes(
    State(portal): State<Shared>,
    principal: Principal,
    Path(id): Path<String>,
    Query(query): Query<HashMap<String, String>>,
) -> Result<Json<Notes>, AppError> {
    let (from, to) = (version_param(&query, "from")?, version_param(&query, "to")?);
    let client = portal.pool.get().await?;
    let loaded = visible(&client, &principal, &id).await?;
    let (from, to) = decide::notes_range(&loaded.state, from, to)?;
    let scopes = version_scopes(&client, &id, &[from, to]).await?;
    let set = |v: i64| ScopeSet::from_stored(scopes.get(&v).map_or(&[][..], Vec::as_slice));
    let notes = decide::upgrade_notes(
        &loaded.state.fields.name,
        (from, &set(from)),
        (to, &set(to)),
        &portal.catalog,
    );
    Ok(Json(Notes {
        from,
        to,
        text: notes.text(),
        markdown: notes.markdown(),
    }))
}

/// A whole version number from the query, if given; 422 naming it if not one.
fn version_param(query: &HashMap<String, String>, name: &str) -> Result<Option<i64>, AppError> {
    query
        .get(name)
        .map(|text| {
            text.trim()
                .parse::<i64>()
                .map_err(|_| AppError::invalid(name, format!("{text:?} is not a version number")))
        })
        .transpose()
}

/// App `id` as the principal may see it: a member's, in their workspace; a
/// tenant admin's, if it lists one of their tenants, with only their own
/// tenants' connections (so that the notes' default `from`, the oldest
/// version a connection is on, says nothing of another customer's). 404
/// otherwise.
async fn visible(
    client: &impl GenericClient,
    principal: &Principal,
    id: &str,
) -> Result<Loaded, AppError> {
    match principal {
        Principal::Member(caller) => store::load(client, &caller.workspace, id, false).await,
        Principal::TenantAdmin(admin) => {
            let mut loaded = tenant_admin::load(client, admin, id).await?;
            loaded
                .state
                .connections
                .retain(|c| admin.tenants.contains(&c.tenant_id));
            Ok(loaded)
        }
    }
}

/// The scope sets of some versions of app `id`, by version.
async fn version_scopes(
    client: &impl GenericClient,
    id: &str,
    versions: &[i64],
) -> Result<HashMap<i64, Vec<String>>, AppError> {
    let rows = cached::query(
        client,
        "SELECT version, scopes FROM versions WHERE app_id = $1 AND version = ANY($2)",
        &[&id, &versions],
    )
    .await?;
    let mut out = HashMap::new();
    for row in rows {
        let version: i64 = row.try_get("version")?;
        let scopes = serde_json::from_value(row.try_get("scopes")?).map_err(|_| {
            AppError::Internal(format!("app {id}: stored version {version} is damaged"))
        })?;
        out.insert(version, scopes);
    }
    Ok(out)
}

#[utoipa::path(get, path = "/v1/upgrade-requests", security(("bearer" = [])), params(PageQuery),
    responses(
        (status = 200, description = "A page of upgrade requests (100 unless `limit` says \
         otherwise), newest first: a workspace member's are \
         their workspace's; a tenant admin's are those for their tenants, in every workspace, \
         on apps that list that tenant. `state` is waiting, stale (a newer version appeared) \
         or done (the connection reached toVersion)", body = Vec<UpgradeRequest>,
         headers(("Next-Cursor" = String, description = "The `cursor` of the next page; absent on the last"))),
        (status = 400, description = "A malformed limit or cursor", body = appdesk_protocol::ErrorBody),
        (status = 401, description = "No valid token", body = appdesk_protocol::ErrorBody),
    ))]
pub async fn list_upgrade_requests(
    State(portal): State<Shared>,
    principal: Principal,
    QueryParams(query): QueryParams<PageQuery>,
) -> Result<Response, AppError> {
    let page = query.page(2)?;
    let client = portal.pool.get().await?;
    let reader = match &principal {
        Principal::Member(caller) => Reader::Workspace(&caller.workspace),
        Principal::TenantAdmin(admin) => Reader::Tenants(&admin.tenants),
    };
    let rows = requests::list(&client, reader, &page).await?;
    let (items, next) = paging::split(rows, &page);
    Ok(paging::array(items, next))
}

#[utoipa::path(post, path = "/v1/apps/{id}/upgrade-requests", security(("bearer" = [])),
    request_body = NewUpgradeRequest,
    params(("id" = String, Path, description = "The app's id"),
           ("Idempotency-Key" = String, Header, description = "A new key per intended write", pattern = "^[\\x21\\x23-\\x5b\\x5d-\\x7e]{1,255}$")),
    responses(
        (status = 201, description = "The request, as its tenant's admin will list it", body = UpgradeRequest),
        WriteErrors,
    ))]
pub async fn create_upgrade_request(
    State(portal): State<Shared>,
    caller: Caller,
    key: IdempotencyKey,
    Path(id): Path<String>,
    body: JsonBody<NewUpgradeRequest>,
) -> Result<Response, AppError> {
    let path = format!("/v1/apps/{id}/upgrade-requests");
    let fingerprint = Fingerprint::new("POST", &path, &caller, &body.raw);
    let environment: Environment = body
        .value
        .environment
        .parse()
        .map_err(|message: String| AppError::invalid("environment", message))?;
    let write = RequestWrite {
        id,
        body: body.value,
        environment,
    };
    idempotency::run(&portal, &caller, &key, fingerprint, write).await
}

struct RequestWrite {
    id: String,
    body: NewUpgradeRequest,
    environment: Environment,
}

impl Write for RequestWrite {
    async fn apply(
        self,
        tx: &Transaction<'_>,
        portal: &Portal,
        caller: &Caller,
    ) -> Result<Written, AppError> {
        let loaded = store::load(tx, &caller.workspace, &self.id, false).await?;
        let b = &self.body;
        let input = RequestInput {
            id: b.id.as_deref(),
            tenant_id: &b.tenant_id,
            environment: self.environment,
            from_version: b.from_version,
            to_version: b.to_version,
            notes: b.notes.as_deref(),
        };
        // Loaded before deciding (the decision is not async); used only when
        // no notes were sent and both versions are the app's.
        let scopes = match b.notes.as_deref().map(str::trim) {
            Some(n) if !n.is_empty() => HashMap::new(),
            _ => version_scopes(tx, &self.id, &[b.from_version, b.to_version]).await?,
        };
        let name = &loaded.state.fields.name;
        let notes = |from: i64, to: i64| -> appdesk_core::Result<String> {
            let set = |v: i64| ScopeSet::from_stored(scopes.get(&v).map_or(&[][..], Vec::as_slice));
            let notes =
                decide::upgrade_notes(name, (from, &set(from)), (to, &set(to)), &portal.catalog);
            Ok(notes.text())
        };
        let stamp = store::stamp(&caller.user);
        let request = decide::receive_request(&loaded.state, &input, &notes, &stamp)?;
        let stored = requests::insert(tx, &caller.workspace, &request, &stamp).await?;
        Ok(Written {
            reply: Reply::ok(StatusCode::CREATED, None, stored),
            app: None,
        })
    }
}

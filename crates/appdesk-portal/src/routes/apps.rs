//! `/v1/apps`: list, read, create, change, delete, and the version history.

use appdesk_core::decide::{self, Proposed, ScopeRequest, TenantRequest};
use appdesk_core::{AppInput, Catalog};
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use deadpool_postgres::Transaction;

use appdesk_protocol::{
    App, AppAsSeen, AppList, CreateApp, Deleted, HistoryEntry, PatchApp, TenantAdminApp,
};

use super::under;
use crate::auth::{Caller, Principal};
use crate::cached;
use crate::error::AppError;
use crate::extract::{IfMatch, JsonBody, QueryParams};
use crate::feed;
use crate::idempotency::{self, Fingerprint, IdempotencyKey, Reply, Write, Written};
use crate::mutation::{self, ClientId};
use crate::openapi::{ReadErrors, WriteErrors};
use crate::paging::{self, PageQuery};
use crate::server::{Portal, Shared};
use crate::store::{self, lifecycle, pages, persist, views};
use crate::tenant_admin;

/// A page of the workspace's apps, by name, with the feed cursor they are
/// current at: a client that got 410 lists again and follows the feed from
/// the first page's `cursor`. A tenant admin gets the apps that list one of
/// their tenants, in every workspace, each as a `TenantAdminApp`.
#[utoipa::path(get, path = "/v1/apps", security(("bearer" = [])), params(PageQuery),
    responses(
        (status = 200, description = "A page of apps (100 unless `limit` says otherwise, by \
         name), the feed cursor of this listing, and `nextCursor` unless this is the last \
         page. For a tenant admin: the apps of every workspace that list one of their \
         tenants, each as a TenantAdminApp (the feed cursor is of no use to them: they have \
         no feed)", body = AppList),
        ReadErrors,
    ))]
pub async fn list_apps(
    State(portal): State<Shared>,
    principal: Principal,
    requester: ClientId,
    QueryParams(query): QueryParams<PageQuery>,
) -> Result<Response, AppError> {
    let page = query.page(2)?;
    let mut client = portal.pool.get().await?;
    let tx = client
        .build_transaction()
        .isolation_level(tokio_postgres::IsolationLevel::RepeatableRead)
        .read_only(true)
        .start()
        .await?;
    let cursor = feed::snapshot_cursor(&tx).await?;
    let reply = match &principal {
        Principal::Member(caller) => {
            let applied = mutation::applied(&tx, &caller.workspace, &requester, None).await?;
            let rows = pages::workspace_page(&tx, &caller.workspace, &page).await?;
            let (loaded, next_cursor) = paging::split(rows, &page);
            let items = loaded
                .iter()
                .map(|loaded| with_mutation(views::app(loaded), &applied))
                .collect();
            Json(AppList {
                items,
                cursor,
                next_cursor,
            })
            .into_response()
        }
        // No mutationId: a tenant admin never writes to an app.
        Principal::TenantAdmin(admin) => {
            let rows = pages::tenants_page(&tx, &admin.tenants, &page).await?;
            let (loaded, next_cursor) = paging::split(rows, &page);
            let items = loaded
                .iter()
                .map(|loaded| tenant_admin::app(admin, loaded))
                .collect();
            Json(AppList::<TenantAdminApp> {
                items,
                cursor,
                next_cursor,
            })
            .into_response()
        }
    };
    tx.commit().await?;
    Ok(reply)
}

#[utoipa::path(get, path = "/v1/apps/{id}", security(("bearer" = [])),
    params(("id" = String, Path, description = "The app's id")),
    responses(
        (status = 200, description = "The app; for a tenant admin, a TenantAdminApp", body = AppAsSeen,
         headers(("ETag" = String, description = "\"<revision>\""))),
        ReadErrors,
    ))]
pub async fn get_app(
    State(portal): State<Shared>,
    principal: Principal,
    requester: ClientId,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let client = portal.pool.get().await?;
    let reply = match &principal {
        Principal::Member(caller) => {
            // The number first: the app read after it holds at least that write.
            let applied =
                mutation::applied(&client, &caller.workspace, &requester, Some(&id)).await?;
            let loaded = store::load(&client, &caller.workspace, &id, false).await?;
            let body = with_mutation(views::app(&loaded), &applied);
            Reply::ok(StatusCode::OK, Some(loaded.state.revision), body)
        }
        Principal::TenantAdmin(admin) => {
            let loaded = tenant_admin::load(&client, admin, &id).await?;
            let view = tenant_admin::app(admin, &loaded);
            Reply::ok(StatusCode::OK, Some(loaded.state.revision), view)
        }
    };
    Ok(reply.into_response())
}

/// An app's view with `mutationId`, the requester's last mutation applied
/// to it, where there is one ([`crate::mutation`]).
fn with_mutation(mut app: App, applied: &std::collections::HashMap<String, i64>) -> App {
    app.mutation_id = applied.get(&app.id).copied();
    app
}

#[utoipa::path(get, path = "/v1/apps/{id}/versions", security(("bearer" = [])),
    params(("id" = String, Path, description = "The app's id"), PageQuery),
    responses(
        (status = 200, description = "A page of versions (100 unless `limit` says otherwise), \
         oldest first", body = Vec<HistoryEntry>,
         headers(("Next-Cursor" = String, description = "The `cursor` of the next page; absent on the last"))),
        ReadErrors,
    ))]
pub async fn versions(
    State(portal): State<Shared>,
    principal: Principal,
    Path(id): Path<String>,
    QueryParams(query): QueryParams<PageQuery>,
) -> Result<Response, AppError> {
    let page = query.page(1)?;
    let after: i64 = match page.after.as_deref() {
        None => 0,
        Some([version]) => version.parse().map_err(|_| {
            AppError::malformed(
                Some("cursor"),
                "not a cursor of this listing: start again without one",
            )
        })?,
        Some(_) => {
            return Err(AppError::malformed(
                Some("cursor"),
                "not a cursor of this listing",
            ));
        }
    };
    let client = portal.pool.get().await?;
    // A tenant admin reads the history of an app that lists their tenant,
    // in whichever workspace it is.
    let workspace = match &principal {
        Principal::Member(caller) => caller.workspace,
        Principal::TenantAdmin(admin) => tenant_admin::workspace_of(&client, admin, &id).await?,
    };
    // From the version the last page ended at (when there is one): what
    // the first entry of this page added and removed is read against it.
    let rows = cached::query(
        &client,
        "SELECT v.version, v.scopes, v.created_at, v.created_by FROM versions v \
             JOIN apps a ON a.id = v.app_id WHERE a.id = $1 AND a.workspace_id = $2 \
             AND v.version >= $3 ORDER BY v.version LIMIT $4",
        &[&id, &workspace, &after, &(page.limit + 2)],
    )
    .await?;
    if rows.is_empty() {
        return Err(AppError::not_found(&id));
    }
    let mut versions = Vec::with_capacity(rows.len());
    for row in rows {
        let scopes: Vec<String> = serde_json::from_value(row.get(1))
            .map_err(|_| AppError::Internal(format!("app {id}: a stored version is damaged")))?;
        versions.push((row.get(0), scopes, row.get(2), row.get(3)));
    }
    let keyed: Vec<(HistoryEntry, Vec<String>)> = views::history(versions)
        .into_iter()
        .filter(|e| e.version > after)
        .map(|e| {
            let key = vec![e.version.to_string()];
            (e, key)
        })
        .collect();
    let (items, next) = paging::split(keyed, &page);
    Ok(paging::array(items, next))
}

#[utoipa::path(post, path = "/v1/apps", security(("bearer" = [])), request_body = CreateApp,
    params(("Idempotency-Key" = String, Header, description = "A new key per intended write", pattern = "^[\\x21\\x23-\\x5b\\x5d-\\x7e]{1,255}$")),
    responses(
        (status = 201, description = "Created: version 1 and its app key; `notices` name proposals not kept",
         body = App, headers(("ETag" = String, description = "\"<revision>\""))),
        WriteErrors,
    ))]
pub async fn create_app(
    State(portal): State<Shared>,
    caller: Caller,
    key: IdempotencyKey,
    body: JsonBody<CreateApp>,
) -> Result<Response, AppError> {
    let fingerprint = Fingerprint::new("POST", "/v1/apps", &caller, &body.raw);
    let write = CreateWrite {
        input: body.value.input(),
        proposed: Proposed {
            id: body.value.id,
            app_key: body.value.app_key,
            ..Proposed::default()
        },
    };
    idempotency::run(&portal, &caller, &key, fingerprint, write).await
}

struct CreateWrite {
    input: AppInput,
    proposed: Proposed,
}

impl Write for CreateWrite {
    async fn apply(
        mut self,
        tx: &Transaction<'_>,
        portal: &Portal,
        caller: &Caller,
    ) -> Result<Written, AppError> {
        if let Some(id) = &self.proposed.id {
            self.proposed.id_taken = lifecycle::taken(tx, "id", id).await?;
        }
        if let Some(key) = &self.proposed.app_key {
            self.proposed.key_taken = lifecycle::taken(tx, "app_key", key).await?;
        }
        let creation =
            decide_create(tx, &self.input, &portal.catalog, &self.proposed, caller).await?;
        let loaded = lifecycle::creation(tx, &caller.workspace, &creation).await?;
        let mut body = views::app(&loaded);
        body.notices = creation.notices.into_iter().map(Into::into).collect();
        let reply = Reply::ok(StatusCode::CREATED, Some(loaded.state.revision), body);
        Ok(Written {
            reply,
            app: Some(loaded),
        })
    }
}

/// Decides the creation; a key the portal drew itself is checked unused too
/// (the decision asks its caller to), and drawn again in that unseen case.
async fn decide_create(
    tx: &Transaction<'_>,
    input: &AppInput,
    catalog: &Catalog,
    proposed: &Proposed,
    caller: &Caller,
) -> Result<decide::Creation, AppError> {
    let stamp = store::stamp(&caller.user);
    for _ in 0..4 {
        let creation = decide::create(input, catalog, proposed, &stamp)?;
        let kept = proposed.app_key.as_deref() == Some(creation.app_key.as_str());
        let id_fresh = proposed.id.as_deref() == Some(creation.id.as_str())
            || !lifecycle::taken(tx, "id", &creation.id).await?;
        if id_fresh && (kept || !lifecycle::taken(tx, "app_key", &creation.app_key).await?) {
            return Ok(creation);
        }
    }
    Err(AppError::Internal(
        "could not draw an unused app key".into(),
    ))
}

#[utoipa::path(patch, path = "/v1/apps/{id}", security(("bearer" = [])), request_body = PatchApp,
    params(("id" = String, Path, description = "The app's id"),
           ("Idempotency-Key" = String, Header, description = "A new key per intended write", pattern = "^[\\x21\\x23-\\x5b\\x5d-\\x7e]{1,255}$"),
           ("If-Match" = String, Header, description = "\"<revision>\" as last read", pattern = "^(\\*|\"[0-9]{1,18}\")$")),
    responses(
        (status = 200, description = "The app after the change", body = App,
         headers(("ETag" = String, description = "\"<revision>\""))),
        WriteErrors,
    ))]
pub async fn patch_app(
    State(portal): State<Shared>,
    caller: Caller,
    key: IdempotencyKey,
    if_match: IfMatch,
    Path(id): Path<String>,
    body: JsonBody<PatchApp>,
) -> Result<Response, AppError> {
    let fingerprint = Fingerprint::new("PATCH", &format!("/v1/apps/{id}"), &caller, &body.raw);
    let patch = &body.value;
    let scopes = match &patch.scopes {
        Some(s) => Some(
            ScopeRequest::change(&s.add, &s.remove, &portal.catalog)
                .map_err(|e| under("scopes", e))?,
        ),
        None => None,
    };
    let tenants = match &patch.tenants {
        Some(t) => {
            Some(TenantRequest::parse(&t.adds(), &t.remove).map_err(|e| under("tenants", e))?)
        }
        None => None,
    };
    let write = PatchWrite {
        id,
        if_match,
        edit: patch.edit(),
        scopes,
        tenants,
    };
    idempotency::run(&portal, &caller, &key, fingerprint, write).await
}

struct PatchWrite {
    id: String,
    if_match: IfMatch,
    edit: appdesk_core::AppEdit,
    scopes: Option<ScopeRequest>,
    tenants: Option<TenantRequest>,
}

impl Write for PatchWrite {
    async fn apply(
        self,
        tx: &Transaction<'_>,
        portal: &Portal,
        caller: &Caller,
    ) -> Result<Written, AppError> {
        let ws = &caller.workspace;
        let mut loaded = store::load(tx, ws, &self.id, true).await?;
        self.if_match.check(loaded.state.revision)?;
        let stamp = store::stamp(&caller.user);
        let edited = decide::edit(&loaded.state, &self.edit, &stamp)?;
        persist::change(tx, ws, &mut loaded, &edited, &portal.key).await?;
        if let Some(request) = &self.scopes {
            let changed = decide::change_scopes(&loaded.state, request, &stamp)
                .map_err(|e| under("scopes", e))?;
            persist::change(tx, ws, &mut loaded, &changed, &portal.key).await?;
        }
        if let Some(request) = &self.tenants {
            let changed = decide::change_tenants(&loaded.state, request, &stamp)
                .map_err(|e| under("tenants", e))?;
            persist::change(tx, ws, &mut loaded, &changed, &portal.key).await?;
        }
        let reply = Reply::ok(
            StatusCode::OK,
            Some(loaded.state.revision),
            views::app(&loaded),
        );
        Ok(Written {
            reply,
            app: Some(loaded),
        })
    }
}

#[utoipa::path(delete, path = "/v1/apps/{id}", security(("bearer" = [])),
    params(("id" = String, Path, description = "The app's id"),
           ("Idempotency-Key" = String, Header, description = "A new key per intended write", pattern = "^[\\x21\\x23-\\x5b\\x5d-\\x7e]{1,255}$"),
           ("If-Match" = String, Header, description = "\"<revision>\" as last read", pattern = "^(\\*|\"[0-9]{1,18}\")$")),
    responses(
        (status = 200, description = "Deleted; its key is retired for good", body = Deleted),
        WriteErrors,
    ))]
pub async fn delete_app(
    State(portal): State<Shared>,
    caller: Caller,
    key: IdempotencyKey,
    if_match: IfMatch,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let fingerprint = Fingerprint::new("DELETE", &format!("/v1/apps/{id}"), &caller, b"");
    let write = DeleteWrite { id, if_match };
    idempotency::run(&portal, &caller, &key, fingerprint, write).await
}

struct DeleteWrite {
    id: String,
    if_match: IfMatch,
}

impl Write for DeleteWrite {
    async fn apply(
        self,
        tx: &Transaction<'_>,
        _: &Portal,
        caller: &Caller,
    ) -> Result<Written, AppError> {
        let loaded = store::load(tx, &caller.workspace, &self.id, true).await?;
        self.if_match.check(loaded.state.revision)?;
        let deletion = decide::delete(&loaded.state, &store::stamp(&caller.user));
        let connections = &loaded.state.connections;
        lifecycle::deletion(tx, &caller.workspace, &deletion, connections).await?;
        let body = Deleted {
            app_id: deletion.app_id.clone(),
            app_key: deletion.app_key.clone().unwrap_or_default(),
            revision: deletion.revision,
            connections_ended: deletion.connections_ended,
        };
        // The tombstone went to the feed with the deletion itself.
        Ok(Written {
            reply: Reply::ok(StatusCode::OK, None, body),
            app: None,
        })
    }
}

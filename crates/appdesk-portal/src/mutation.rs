//! Mutation ids (SYNC.md, "Lost acknowledgements"): a sync client sends its
//! id (`Appdesk-Client-Id`) on every request and, on a write, the number of
//! the intent it sends (`Appdesk-Mutation-Id`, increasing per client).
//!
//! In the write's own transaction the portal records, per client and app, the
//! last mutation applied ([`record`], called by the feed's append, the one
//! place every write that changes an app goes through), and marks the feed
//! entries the write appends. Reads answer the requesting client's number:
//! each feed entry its own mutation wrote carries `mutationId`, and a listed
//! or read app carries the last one applied to it. A client that lost the
//! answer to a write then knows, from what it pulls, that the write is in:
//! it never reads its own write as someone else's.
//!
//! Both headers are optional (a tool without them writes as before); sent,
//! they must be well formed (400 naming the header).

use axum::extract::FromRequestParts;
use axum::http::HeaderMap;
use axum::http::request::Parts;
use deadpool_postgres::{GenericClient, Transaction};

use crate::cached;
use crate::error::AppError;
use crate::extract::single_header;

pub const CLIENT_HEADER: &str = "appdesk-client-id";
pub const MUTATION_HEADER: &str = "appdesk-mutation-id";
const CLIENT_MAX: usize = 64;

/// The requesting sync client, if it said which it is.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ClientId(pub Option<String>);

/// A write's client and mutation number.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mutation {
    pub client: String,
    pub id: i64,
}

fn client_id(headers: &HeaderMap) -> Result<Option<String>, AppError> {
    let Some(value) = single_header(headers, CLIENT_HEADER, || {
        AppError::malformed(
            Some("Appdesk-Client-Id"),
            "send one Appdesk-Client-Id header",
        )
    })?
    else {
        return Ok(None);
    };
    let text = value.to_str().unwrap_or("");
    let ok = (1..=CLIENT_MAX).contains(&text.len())
        && text.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-');
    if !ok {
        return Err(AppError::malformed(
            Some("Appdesk-Client-Id"),
            format!("Appdesk-Client-Id must be 1 to {CLIENT_MAX} letters, digits or '-'"),
        ));
    }
    Ok(Some(text.to_owned()))
}

/// The mutation a write carries: both headers, or neither.
pub fn of_write(headers: &HeaderMap) -> Result<Option<Mutation>, AppError> {
    let client = client_id(headers)?;
    let number = single_header(headers, MUTATION_HEADER, || {
        AppError::malformed(
            Some("Appdesk-Mutation-Id"),
            "send one Appdesk-Mutation-Id header",
        )
    })?;
    match (client, number) {
        (None, None) => Ok(None),
        (Some(client), Some(value)) => {
            let text = value.to_str().unwrap_or("");
            let id = text
                .parse::<i64>()
                .ok()
                .filter(|n| *n > 0 && text.bytes().all(|b| b.is_ascii_digit()))
                .ok_or_else(|| {
                    AppError::malformed(
                        Some("Appdesk-Mutation-Id"),
                        "Appdesk-Mutation-Id must be a whole number from 1 to 2^63-1",
                    )
                })?;
            Ok(Some(Mutation { client, id }))
        }
        (None, Some(_)) => Err(AppError::malformed(
            Some("Appdesk-Client-Id"),
            "Appdesk-Mutation-Id needs an Appdesk-Client-Id",
        )),
        // A client id alone on a write is a client that numbers nothing:
        // read as a write without a mutation.
        (Some(_), None) => Ok(None),
    }
}

impl<S: Send + Sync> FromRequestParts<S> for ClientId {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, AppError> {
        client_id(&parts.headers).map(ClientId)
    }
}

/// Makes `mutation` the one the transaction's feed entries and records
/// carry (a transaction-local setting, gone with the transaction).
pub async fn begin(tx: &Transaction<'_>, mutation: &Option<Mutation>) -> Result<(), AppError> {
    if let Some(m) = mutation {
        cached::query_one(
            tx,
            "SELECT set_config('appdesk.client_id', $1, true), \
                    set_config('appdesk.mutation_id', $2, true)",
            &[&m.client, &m.id.to_string()],
        )
        .await?;
    }
    Ok(())
}

/// Records the transaction's mutation (if any) as the last its client
/// applied to `app_id`; called by the feed's append, in the same statement
/// order as the entries it marks.
pub async fn record(
    tx: &Transaction<'_>,
    workspace: &uuid::Uuid,
    app_id: &str,
) -> Result<(), AppError> {
    cached::execute(
        tx,
        "INSERT INTO client_mutations (workspace_id, client_id, app_id, last_mutation_id)
         SELECT $1, c, $2, m::bigint
         FROM (SELECT nullif(current_setting('appdesk.client_id', true), '') AS c,
                      nullif(current_setting('appdesk.mutation_id', true), '') AS m) s
         WHERE c IS NOT NULL AND m IS NOT NULL
         ON CONFLICT (workspace_id, client_id, app_id) DO UPDATE
             SET last_mutation_id = greatest(client_mutations.last_mutation_id,
                                             excluded.last_mutation_id),
                 updated_at = now()",
        &[workspace, &app_id],
    )
    .await?;
    Ok(())
}

/// The last mutation of `client` applied to each app of `workspace` (all
/// apps, or the one `app_id`). Read before (or in the same snapshot as) the
/// apps it describes, so an app read is never older than its number.
pub async fn applied(
    client: &impl GenericClient,
    workspace: &uuid::Uuid,
    requester: &ClientId,
    app_id: Option<&str>,
) -> Result<std::collections::HashMap<String, i64>, AppError> {
    let Some(id) = &requester.0 else {
        return Ok(Default::default());
    };
    let rows = cached::query(
        client,
        "SELECT app_id, last_mutation_id FROM client_mutations
         WHERE workspace_id = $1 AND client_id = $2 AND ($3::text IS NULL OR app_id = $3)",
        &[workspace, id, &app_id],
    )
    .await?;
    Ok(rows
        .iter()
        .map(|r| (r.get::<_, String>(0), r.get::<_, i64>(1)))
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.append(*k, HeaderValue::from_str(v).unwrap());
        }
        h
    }

    #[test]
    fn a_mutation_is_both_headers_well_formed_or_none() {
        assert_eq!(of_write(&headers(&[])).unwrap(), None);
        assert_eq!(
            of_write(&headers(&[(CLIENT_HEADER, "c-1"), (MUTATION_HEADER, "7")])).unwrap(),
            Some(Mutation {
                client: "c-1".into(),
                id: 7
            })
        );
        for bad in [
            vec![(MUTATION_HEADER, "7")],
            vec![(CLIENT_HEADER, "c 1"), (MUTATION_HEADER, "7")],
            vec![(CLIENT_HEADER, ""), (MUTATION_HEADER, "7")],
            vec![(CLIENT_HEADER, "c"), (MUTATION_HEADER, "0")],
            vec![(CLIENT_HEADER, "c"), (MUTATION_HEADER, "-3")],
            vec![(CLIENT_HEADER, "c"), (MUTATION_HEADER, "+3")],
            vec![
                (CLIENT_HEADER, "c"),
                (MUTATION_HEADER, "99999999999999999999"),
            ],
            vec![
                (CLIENT_HEADER, "c"),
                (MUTATION_HEADER, "1"),
                (MUTATION_HEADER, "2"),
            ],
        ] {
            assert!(of_write(&headers(&bad)).is_err(), "{bad:?}");
        }
        let long = "a".repeat(65);
        assert!(of_write(&headers(&[(CLIENT_HEADER, &long), (MUTATION_HEADER, "1")])).is_err());
    }
}

//! The portal's connection endpoints (issue 10 §5): the list any token of the
//! workspace may read (never a secret), and the tenant admin's actions. A
//! child of [`super`] so it sends through the same request frame (bearer
//! token, timeouts, `Idempotency-Key`, `If-Match`) as every other call.

use appdesk_core::Environment;
use appdesk_core::sync::PulledConnection;
use appdesk_protocol::{Code, Connect, Connection};
use reqwest::StatusCode;

use super::{Client, segment};
use crate::error::Result;

/// A tenant admin's action on a connection of an app.
pub use appdesk_protocol::Action as ConnectionAction;

/// What the portal answered an action.
#[derive(Debug)]
pub enum ActionAnswer {
    Done {
        connection: PulledConnection,
        /// The new client secret, shown once (connect, regenerate, rotate).
        secret: Option<String>,
        /// The app's revision after the action (`ETag`).
        revision: Option<i64>,
    },
    /// 412: the app changed on the portal since the revision sent.
    Stale,
    /// 404: no such app (or connection action) on the portal.
    Missing,
    /// 403: the token is not an admin of the tenant.
    Forbidden,
    /// Another refusal (409, 400, 422): the portal's code and message.
    Refused { code: Code, message: String },
}

impl Client {
    /// The app's connections as the portal lists them; `None`: no such app.
    pub fn connections(&self, id: &str) -> Result<Option<Vec<PulledConnection>>> {
        let list: Option<Vec<Connection>> =
            self.get_all_found(&format!("/v1/apps/{}/connections", segment(id)))?;
        Ok(list.map(|l| l.into_iter().map(Connection::into_pulled).collect()))
    }

    /// Sends a tenant admin's action with `key` and `If-Match: "if_match"`.
    pub fn connection_action(
        &self,
        id: &str,
        (tenant, env): (&str, Environment),
        action: ConnectionAction,
        key: &str,
        if_match: i64,
    ) -> Result<ActionAnswer> {
        let app = segment(id);
        let request = if action == ConnectionAction::Connect {
            let body = Connect {
                tenant_id: tenant.to_owned(),
                environment: env.as_str().to_owned(),
            };
            self.write(
                reqwest::Method::POST,
                &format!("/v1/apps/{app}/connections"),
                key,
                Some(if_match),
            )
            .json(&body)
        } else {
            let path = format!(
                "/v1/apps/{app}/connections/{}/{}/{}",
                segment(tenant),
                env.as_str(),
                action.as_str()
            );
            self.write(reqwest::Method::POST, &path, key, Some(if_match))
        };
        let answer = self.send(request)?;
        let status = answer.status();
        if status.is_success() {
            let revision = answer
                .headers()
                .get("etag")
                .and_then(|v| v.to_str().ok())
                .and_then(|t| t.trim_matches('"').parse().ok());
            let mut connection: Connection = self.read(answer)?;
            let secret = connection.client_secret.take();
            return Ok(ActionAnswer::Done {
                connection: connection.into_pulled(),
                secret,
                revision,
            });
        }
        Ok(match status {
            StatusCode::PRECONDITION_FAILED => ActionAnswer::Stale,
            StatusCode::NOT_FOUND => ActionAnswer::Missing,
            StatusCode::FORBIDDEN => ActionAnswer::Forbidden,
            StatusCode::CONFLICT | StatusCode::UNPROCESSABLE_ENTITY | StatusCode::BAD_REQUEST => {
                match super::error_body(answer) {
                    Some(body) => ActionAnswer::Refused {
                        code: body.code,
                        message: body.message,
                    },
                    None => ActionAnswer::Refused {
                        code: Code::Unknown(String::new()),
                        message: String::new(),
                    },
                }
            }
            _ => return Err(self.unexpected(answer)),
        })
    }
}

//! Secret lifecycle over SQLite (issue 12, part 3): rotate with overlap,
//! retire the previous secret, the rotation policy setting, and the list of
//! stale secrets. The rules are in [`decide::rotate`],
//! [`decide::retire_previous`] and [`decide::secret_ages`].

use rusqlite::{Connection, OptionalExtension, params};
use serde::Serialize;

use super::connections::ConnectionOutcome;
use super::keys::Purpose;
use super::{Store, rows};
use crate::decide::{self, SecretAge};
use crate::error::Result;
use crate::model::Environment;

const POLICY_KEY: &str = "rotate_secrets_after_days";

/// A live secret older than the policy allows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct StaleSecret {
    pub app_id: String,
    pub app_name: String,
    pub tenant_id: String,
    pub environment: Environment,
    #[serde(flatten)]
    pub secret: SecretAge,
}

/// The stored policy: "rotate secrets older than N days".
pub(super) fn secret_max_age(conn: &Connection) -> Result<i64> {
    let stored: Option<String> = conn
        .prepare_cached("SELECT value FROM settings WHERE key = ?1")?
        .query_row([POLICY_KEY], |r| r.get(0))
        .optional()?;
    decide::secret_max_age(stored.as_deref())
}

fn has_previous(conn: &Connection, app_id: &str, tenant: &str, env: Environment) -> Result<bool> {
    Ok(conn
        .prepare_cached(
            "SELECT previous_secret_sealed IS NOT NULL FROM connections
             WHERE app_id = ?1 AND tenant_id = ?2 AND environment = ?3",
        )?
        .query_row(params![app_id, tenant.trim(), env.as_str()], |r| r.get(0))
        .optional()?
        .unwrap_or(false))
}

impl Store {
    /// A new secret, shown once; the current one stays valid until retired.
    pub fn rotate_secret(
        &self,
        app: &str,
        tenant: &str,
        env: Environment,
    ) -> Result<ConnectionOutcome> {
        let key = self.secret_key(Purpose::Seal)?;
        self.connection_action(app, tenant, env, Some(key), |conn, a, stamp| {
            let previous = has_previous(conn, &a.id, tenant, env)?;
            decide::rotate(a, tenant, env, previous, stamp)
        })
    }

    /// Ends the previous secret of a rotation.
    pub fn retire_previous_secret(
        &self,
        app: &str,
        tenant: &str,
        env: Environment,
    ) -> Result<ConnectionOutcome> {
        self.connection_action(app, tenant, env, None, |conn, a, stamp| {
            let previous = has_previous(conn, &a.id, tenant, env)?;
            decide::retire_previous(a, tenant, env, previous, stamp)
        })
    }

    /// "Rotate secrets older than N days" (default 180).
    pub fn secret_policy(&self) -> Result<i64> {
        self.read(secret_max_age)
    }

    /// Sets the policy; a number of days from 1 to 36500.
    pub fn set_secret_policy(&self, days: i64) -> Result<i64> {
        let days = decide::secret_max_age(Some(&days.to_string()))?;
        self.write(|conn| {
            conn.execute(
                "INSERT INTO settings (key, value) VALUES (?1, ?2)
                 ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                params![POLICY_KEY, days.to_string()],
            )?;
            Ok(days)
        })
    }

    /// Every live secret older than the policy, oldest first; of one app or
    /// one tenant when given.
    pub fn stale_secrets(
        &self,
        app: Option<&str>,
        tenant: Option<&str>,
    ) -> Result<Vec<StaleSecret>> {
        let tenant = tenant.map(decide::tenant_id).transpose()?;
        let now = super::now();
        self.read(|conn| {
            let only = app.map(|a| rows::resolve(conn, a)).transpose()?;
            let max = secret_max_age(conn)?;
            let mut stmt = conn.prepare_cached(
                "SELECT a.id, a.name, c.tenant_id, c.environment, c.secret_created_at,
                        c.previous_secret_created_at
                 FROM connections c JOIN apps a ON a.id = c.app_id
                 WHERE (?1 IS NULL OR a.id = ?1) AND (?2 IS NULL OR c.tenant_id = ?2)",
            )?;
            let found: Vec<(String, String, String, Environment, String, Option<String>)> = stmt
                .query_map(params![only.as_ref().map(|r| &r.id), tenant], |r| {
                    Ok((
                        r.get(0)?,
                        r.get(1)?,
                        r.get(2)?,
                        rows::parse_col(r, 3)?,
                        r.get(4)?,
                        r.get(5)?,
                    ))
                })?
                .collect::<rusqlite::Result<_>>()?;
            let mut out = Vec::new();
            for (app_id, app_name, tenant_id, environment, current, previous) in found {
                for secret in decide::secret_ages(&current, previous.as_deref(), &now, max)? {
                    if secret.stale {
                        out.push(StaleSecret {
                            app_id: app_id.clone(),
                            app_name: app_name.clone(),
                            tenant_id: tenant_id.clone(),
                            environment,
                            secret,
                        });
                    }
                }
            }
            out.sort_by(|a, b| {
                (&a.secret.created_at, &a.app_name, &a.tenant_id).cmp(&(
                    &b.secret.created_at,
                    &b.app_name,
                    &b.tenant_id,
                ))
            });
            Ok(out)
        })
    }
}

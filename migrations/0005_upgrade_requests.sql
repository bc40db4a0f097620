-- Schema 5 (issue 12): upgrade requests. A developer records that a tenant's
-- admin was asked to upgrade a connection: when, by whom, to which version,
-- with which notes. A request is stale once the app has a newer version than
-- the one it asked for; it is kept (the ledger shows the latest per
-- connection). Numbered 4: schema 3 is another branch's.

CREATE TABLE upgrade_requests (
    id           TEXT PRIMARY KEY NOT NULL,
    app_id       TEXT NOT NULL REFERENCES apps (id) ON DELETE CASCADE,
    tenant_id    TEXT NOT NULL,
    environment  TEXT NOT NULL CHECK (environment IN ('integration', 'production')),
    from_version INTEGER NOT NULL,
    to_version   INTEGER NOT NULL,
    notes        TEXT NOT NULL,
    requested_at TEXT NOT NULL,
    requested_by TEXT NOT NULL
);
CREATE INDEX upgrade_requests_by_connection
    ON upgrade_requests (app_id, tenant_id, environment, requested_at);

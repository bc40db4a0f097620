-- Schema 2: per-database settings (the configured user stamp, R10), and the
-- connection look-up a tenant's upgrade notice needs.

CREATE TABLE settings (
    key   TEXT PRIMARY KEY NOT NULL,
    value TEXT NOT NULL
) WITHOUT ROWID;

CREATE INDEX connections_by_app_version ON connections (app_id, version);

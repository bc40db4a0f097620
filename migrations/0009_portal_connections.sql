-- Schema 9: in a linked database, connections are the portal's (issue 10 §5).
-- A pull replaces an app's rows here with the portal's list; nothing local
-- writes them, and there is no column for a client secret: secrets are never
-- pulled. The local `connections` table is left as it was (unlinking shows
-- those again).
CREATE TABLE portal_connections (
    remote           TEXT NOT NULL REFERENCES remotes (name) ON DELETE CASCADE,
    app_id           TEXT NOT NULL REFERENCES apps (id) ON DELETE CASCADE,
    tenant_id        TEXT NOT NULL,
    environment      TEXT NOT NULL CHECK (environment IN ('integration', 'production')),
    status           TEXT NOT NULL CHECK (status IN ('active', 'disabled')),
    version          INTEGER NOT NULL CHECK (version >= 1),
    latest_version   INTEGER NOT NULL CHECK (latest_version >= version),
    upgrade_available INTEGER NOT NULL CHECK (upgrade_available IN (0, 1)),
    -- JSON arrays of scope strings, as the portal listed them.
    scopes_in_play   TEXT NOT NULL,
    pending_added    TEXT NOT NULL,
    pending_removed  TEXT NOT NULL,
    client_id        TEXT NOT NULL,
    connected_at     TEXT NOT NULL,
    pulled_at        TEXT NOT NULL,
    PRIMARY KEY (app_id, tenant_id, environment)
) WITHOUT ROWID;

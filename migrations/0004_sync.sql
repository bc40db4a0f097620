-- Schema 4: what a database linked to a portal keeps for sync (SYNC.md). A
-- database that is never linked has no row in any of these tables.

-- The portal this database is linked to. The bearer token is sealed with the
-- store's key file (XChaCha20-Poly1305, bound to 'remote:' || name), never
-- stored in plaintext.
CREATE TABLE remotes (
    name         TEXT PRIMARY KEY NOT NULL,
    url          TEXT NOT NULL,
    token_sealed BLOB NOT NULL,
    created_at   TEXT NOT NULL
) WITHOUT ROWID;

-- Where the last pull of the change feed ended, per remote.
CREATE TABLE sync_state (
    remote         TEXT PRIMARY KEY NOT NULL REFERENCES remotes (name) ON DELETE CASCADE,
    -- The feed's cursor; NULL: pull from the beginning.
    cursor         TEXT,
    last_synced_at TEXT
) WITHOUT ROWID;

-- Local changes not yet acknowledged by the portal, in order: one intent each
-- (create, fields, scopes, tenants, delete), written in the same transaction
-- as the change. Replayed until acknowledged, always with the same key.
CREATE TABLE outbox (
    seq             INTEGER PRIMARY KEY AUTOINCREMENT,
    remote          TEXT NOT NULL REFERENCES remotes (name) ON DELETE CASCADE,
    -- A UUID v7, sent as Idempotency-Key.
    idempotency_key TEXT NOT NULL UNIQUE,
    app_id          TEXT NOT NULL,
    -- The portal's revision of the app this change was made on (the last
    -- synced base); NULL for an app the portal has never seen.
    base_revision   INTEGER,
    -- The app's local revision once this change was made.
    local_revision  INTEGER NOT NULL,
    -- The local version the change made (create, scopes), pending until the
    -- portal numbers it.
    version         INTEGER,
    -- JSON: {"kind": "create" | "fields" | "scopes" | "tenants" | "delete", ...}
    intent          TEXT NOT NULL,
    created_at      TEXT NOT NULL
);
CREATE INDEX outbox_by_app ON outbox (app_id, version);

-- Each app as last synced with the portal: the base of the three-way merge.
-- No row: never synced.
CREATE TABLE sync_bases (
    remote    TEXT NOT NULL REFERENCES remotes (name) ON DELETE CASCADE,
    app_id    TEXT NOT NULL,
    -- The portal's revision (ETag) of this snapshot.
    revision  INTEGER NOT NULL,
    -- JSON of appdesk_core::sync::Snapshot.
    snapshot  TEXT NOT NULL,
    synced_at TEXT NOT NULL,
    PRIMARY KEY (remote, app_id)
) WITHOUT ROWID;

-- Fields both sides changed differently, until resolved. NULL in mine,
-- theirs or base: absent (see appdesk_core::sync::Conflict).
CREATE TABLE conflicts (
    remote      TEXT NOT NULL REFERENCES remotes (name) ON DELETE CASCADE,
    app_id      TEXT NOT NULL,
    field       TEXT NOT NULL,
    mine        TEXT,
    theirs      TEXT,
    base        TEXT,
    detected_at TEXT NOT NULL,
    PRIMARY KEY (app_id, field)
) WITHOUT ROWID;

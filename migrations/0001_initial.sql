-- Appdesk schema 1: apps and drafts, scope versions, tenants, connections,
-- tombstones of deleted apps, and the activity log.
--
-- Ids are UUID v7 strings (globally unique, ready for sync). Times are RFC 3339
-- UTC strings with milliseconds, so they sort as text. Tenant ids are TEXT:
-- real ones can exceed 32 bits and leading digits matter.

CREATE TABLE apps (
    -- A stable integer key for the name search index (a rowid alias survives
    -- VACUUM); everything else refers to apps by `id`.
    seq             INTEGER PRIMARY KEY,
    id              TEXT NOT NULL UNIQUE,
    status          TEXT NOT NULL CHECK (status IN ('draft', 'created')),
    name            TEXT NOT NULL,
    -- The name lower-cased (Unicode) by Appdesk: what search and sorting use.
    name_folded     TEXT NOT NULL DEFAULT '',
    organization    TEXT NOT NULL,
    homepage_url    TEXT NOT NULL,
    audience        TEXT NOT NULL CHECK (audience IN ('private', 'public')),
    credentials     TEXT NOT NULL CHECK (credentials IN ('developer', 'tenant')),
    -- NULL for a draft; never changes once set (R4).
    app_key         TEXT UNIQUE,
    -- NULL for a draft; the latest version number (R5).
    current_version INTEGER,
    -- A draft's scope selection as typed (JSON array of strings). A created
    -- app's scopes are those of its current version.
    draft_scopes    TEXT NOT NULL DEFAULT '[]',
    -- A draft's tenants as typed (JSON array of {id, note}); a created app's
    -- tenants are rows of app_tenants.
    draft_tenants   TEXT NOT NULL DEFAULT '[]',
    -- Bumped by every change, for sync.
    revision        INTEGER NOT NULL DEFAULT 1,
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL,
    CHECK ((status = 'draft') = (app_key IS NULL)),
    CHECK ((status = 'draft') = (current_version IS NULL))
);
CREATE INDEX apps_by_name ON apps (name_folded, id);

-- Search by name fragment at 100k apps: a trigram index over the folded name
-- answers "how many names contain X" without scanning every name.
CREATE VIRTUAL TABLE app_name_search USING fts5 (
    name_folded, content = 'apps', content_rowid = 'seq', tokenize = 'trigram case_sensitive 1'
);
CREATE TRIGGER apps_search_insert AFTER INSERT ON apps BEGIN
    INSERT INTO app_name_search (rowid, name_folded) VALUES (new.seq, new.name_folded);
END;
CREATE TRIGGER apps_search_delete AFTER DELETE ON apps BEGIN
    INSERT INTO app_name_search (app_name_search, rowid, name_folded)
        VALUES ('delete', old.seq, old.name_folded);
END;
CREATE TRIGGER apps_search_update AFTER UPDATE OF name_folded ON apps BEGIN
    INSERT INTO app_name_search (app_name_search, rowid, name_folded)
        VALUES ('delete', old.seq, old.name_folded);
    INSERT INTO app_name_search (rowid, name_folded) VALUES (new.seq, new.name_folded);
END;

CREATE TABLE app_tenants (
    app_id    TEXT NOT NULL REFERENCES apps (id) ON DELETE CASCADE,
    tenant_id TEXT NOT NULL,
    note      TEXT NOT NULL DEFAULT '',
    added_at  TEXT NOT NULL,
    PRIMARY KEY (app_id, tenant_id)
) WITHOUT ROWID;

-- Immutable once written (R5).
CREATE TABLE versions (
    app_id     TEXT NOT NULL REFERENCES apps (id) ON DELETE CASCADE,
    version    INTEGER NOT NULL CHECK (version >= 1),
    -- Sorted JSON array of scope strings, e.g. ["tn.crm.customers:r"].
    scopes     TEXT NOT NULL,
    created_at TEXT NOT NULL,
    created_by TEXT NOT NULL,
    PRIMARY KEY (app_id, version)
) WITHOUT ROWID;

CREATE TABLE connections (
    id            TEXT PRIMARY KEY NOT NULL,
    app_id        TEXT NOT NULL REFERENCES apps (id) ON DELETE CASCADE,
    tenant_id     TEXT NOT NULL,
    environment   TEXT NOT NULL CHECK (environment IN ('integration', 'production')),
    version       INTEGER NOT NULL,
    status        TEXT NOT NULL CHECK (status IN ('active', 'disabled')),
    client_id     TEXT NOT NULL UNIQUE,
    -- XChaCha20-Poly1305: 24-byte nonce followed by the ciphertext. The key is
    -- in a key file outside this database; the plaintext is never stored.
    secret_sealed BLOB NOT NULL,
    connected_at  TEXT NOT NULL,
    updated_at    TEXT NOT NULL,
    UNIQUE (app_id, tenant_id, environment),
    FOREIGN KEY (app_id, version) REFERENCES versions (app_id, version)
);

-- A deleted app leaves a tombstone: its key is never resolved nor reused (R9),
-- and a later sync learns of the deletion.
CREATE TABLE tombstones (
    app_id     TEXT PRIMARY KEY NOT NULL,
    app_key    TEXT UNIQUE,
    name       TEXT NOT NULL,
    revision   INTEGER NOT NULL,
    deleted_at TEXT NOT NULL,
    deleted_by TEXT NOT NULL
);

-- Every change, with time and user stamp (R10). Not tied to apps by a foreign
-- key: the log outlives a deleted app.
CREATE TABLE activity (
    seq      INTEGER PRIMARY KEY AUTOINCREMENT,
    at       TEXT NOT NULL,
    user     TEXT NOT NULL,
    app_id   TEXT,
    app_name TEXT,
    action   TEXT NOT NULL,
    summary  TEXT NOT NULL
);
CREATE INDEX activity_by_app ON activity (app_id, seq);

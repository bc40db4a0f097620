-- Appdesk portal schema 1 (PostgreSQL): workspaces and their tokens, apps with
-- tenants, versions and connections, tombstones of deleted apps, the activity
-- log, the change feed and the idempotency keys.
--
-- Rules live in appdesk-core, not here: these tables only store what its
-- decisions return. Ids and times are text in the core's forms (UUID v7,
-- RFC 3339 UTC with milliseconds), so that the views match the desktop's.

CREATE TABLE workspaces (
    id         uuid PRIMARY KEY,
    name       text NOT NULL UNIQUE,
    -- Feed entries at or below this position (xid, seq) were pruned; older
    -- cursors get 410.
    feed_floor_xid xid8 NOT NULL DEFAULT '0',
    feed_floor_seq bigint NOT NULL DEFAULT 0,
    created_at timestamptz NOT NULL DEFAULT now()
);

-- A bearer token is `adp_<prefix>_<secret>`; only its SHA-256 is kept.
CREATE TABLE tokens (
    prefix       text PRIMARY KEY,
    hash         bytea NOT NULL,
    workspace_id uuid NOT NULL REFERENCES workspaces (id),
    user_name    text NOT NULL,
    tenant_admin text[] NOT NULL DEFAULT '{}',
    created_at   timestamptz NOT NULL DEFAULT now(),
    revoked_at   timestamptz
);

CREATE TABLE apps (
    id              text PRIMARY KEY,
    workspace_id    uuid NOT NULL REFERENCES workspaces (id),
    -- Never changes (R4); retired into deleted_apps on delete (R9).
    app_key         text NOT NULL UNIQUE,
    name            text NOT NULL,
    organization    text NOT NULL,
    homepage_url    text NOT NULL,
    audience        text NOT NULL,
    credentials     text NOT NULL,
    current_version bigint NOT NULL CHECK (current_version >= 1),
    revision        bigint NOT NULL,
    created_at      text NOT NULL,
    updated_at      text NOT NULL
);
CREATE INDEX apps_by_workspace ON apps (workspace_id, lower(name), id);

CREATE TABLE app_tenants (
    app_id    text NOT NULL REFERENCES apps (id) ON DELETE CASCADE,
    tenant_id text NOT NULL,
    note      text NOT NULL DEFAULT '',
    PRIMARY KEY (app_id, tenant_id)
);

-- Immutable once written (R5).
CREATE TABLE versions (
    app_id     text NOT NULL REFERENCES apps (id) ON DELETE CASCADE,
    version    bigint NOT NULL CHECK (version >= 1),
    scopes     jsonb NOT NULL,
    created_at text NOT NULL,
    created_by text NOT NULL,
    PRIMARY KEY (app_id, version)
);

CREATE TABLE connections (
    id           text PRIMARY KEY,
    app_id       text NOT NULL REFERENCES apps (id) ON DELETE CASCADE,
    tenant_id    text NOT NULL,
    environment  text NOT NULL,
    status       text NOT NULL,
    version      bigint NOT NULL,
    client_id    text NOT NULL UNIQUE,
    -- XChaCha20-Poly1305 under the portal's key file, bound to the id.
    secret       bytea NOT NULL,
    connected_at text NOT NULL,
    UNIQUE (app_id, tenant_id, environment)
);

-- Tombstones: a deleted app's id and key are never reissued (R9).
CREATE TABLE deleted_apps (
    id           text PRIMARY KEY,
    workspace_id uuid NOT NULL REFERENCES workspaces (id),
    app_key      text NOT NULL UNIQUE,
    name         text NOT NULL,
    deleted_at   text NOT NULL,
    deleted_by   text NOT NULL
);

CREATE TABLE activity (
    seq          bigserial PRIMARY KEY,
    workspace_id uuid NOT NULL REFERENCES workspaces (id),
    at           text NOT NULL,
    user_name    text NOT NULL,
    app_id       text,
    app_name     text,
    action       text NOT NULL,
    summary      text NOT NULL
);

-- The change feed: full snapshots and tombstones. A position is the writing
-- transaction's id, then the row's number; readers only go up to the oldest
-- transaction still running (see feed.rs), so no change can ever commit
-- behind a position a reader has passed, and writers never wait on each other.
CREATE TABLE changes (
    workspace_id uuid NOT NULL REFERENCES workspaces (id),
    xid          xid8 NOT NULL DEFAULT pg_current_xact_id(),
    seq          bigint GENERATED ALWAYS AS IDENTITY,
    app_id       text NOT NULL,
    body         jsonb NOT NULL,
    created_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (workspace_id, xid, seq)
);

-- Idempotency keys: the first answer of each write, sealed (a connect's answer
-- holds a client secret), kept at least 24 hours.
CREATE TABLE idempotency (
    workspace_id uuid NOT NULL REFERENCES workspaces (id),
    key          text NOT NULL,
    fingerprint  bytea NOT NULL,
    status       smallint NOT NULL,
    etag         text,
    body         bytea NOT NULL,
    created_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (workspace_id, key)
);
CREATE INDEX idempotency_by_age ON idempotency (created_at);

-- A value sealed with the key file when the database was first served, so that
-- starting with another key file is refused before any secret is written.
CREATE TABLE key_check (
    only_row boolean PRIMARY KEY DEFAULT true CHECK (only_row),
    sealed   bytea NOT NULL
);

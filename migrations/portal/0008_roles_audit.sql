-- Appdesk portal schema 8: roles and the audit log (issue 22 §2 and §3).
--
-- - A token now has a role: owner, editor or viewer. Tokens made before this
--   schema were able to do everything members do, which is an editor's part.
-- - members: a workspace's members by user (an email), each with a role, and
--   tenant_admin_users: a tenant's admins by user; both are what an identity
--   provider's sign-in will look users up in. A token's role is its own.
-- - audit: who did what, from where, with what outcome. It never holds a
--   token, a secret or a request body: only names, paths, ids and addresses.

ALTER TABLE tokens ADD COLUMN role text NOT NULL DEFAULT 'editor'
    CHECK (role IN ('owner', 'editor', 'viewer'));

CREATE TABLE members (
    workspace_id uuid NOT NULL REFERENCES workspaces (id),
    user_name    text NOT NULL,
    role         text NOT NULL CHECK (role IN ('owner', 'editor', 'viewer')),
    created_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (workspace_id, user_name)
);

CREATE TABLE tenant_admin_users (
    tenant_id  text NOT NULL,
    user_name  text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, user_name)
);

CREATE TABLE audit (
    seq          bigserial PRIMARY KEY,
    at           timestamptz NOT NULL DEFAULT now(),
    -- The workspace the event belongs to; NULL for a tenant admin's or an
    -- anonymous request's.
    workspace_id uuid REFERENCES workspaces (id),
    actor        text NOT NULL,
    action       text NOT NULL,
    target       text NOT NULL,
    outcome      text NOT NULL,
    ip           text NOT NULL
);
CREATE INDEX audit_by_time ON audit (at);
CREATE INDEX audit_by_workspace ON audit (workspace_id, seq);

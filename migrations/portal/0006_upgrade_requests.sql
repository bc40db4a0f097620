-- Appdesk portal schema 6: upgrade requests (issue 19 §2). A developer asks a
-- tenant's admin to upgrade one connection of an app; the request, with its
-- notes, waits in the admin's console. Where it stands (waiting, stale, done)
-- is never stored: it is read from the app's latest version and the
-- connection's, with appdesk_core::decide::request_status, each time it is
-- listed. (Schema 5 is the console sessions'; this file does not depend on it.)

CREATE TABLE upgrade_requests (
    -- The client's own id (a UUID): a request sent again is the same one.
    id           text PRIMARY KEY,
    workspace_id uuid NOT NULL REFERENCES workspaces (id),
    app_id       text NOT NULL REFERENCES apps (id) ON DELETE CASCADE,
    tenant_id    text NOT NULL,
    environment  text NOT NULL CHECK (environment IN ('integration', 'production')),
    from_version bigint NOT NULL CHECK (from_version >= 1),
    to_version   bigint NOT NULL CHECK (to_version > from_version),
    notes        text NOT NULL,
    requested_by text NOT NULL,
    requested_at text NOT NULL
);
-- A member lists their workspace's; an admin lists their tenants', in any
-- workspace.
CREATE INDEX upgrade_requests_by_workspace ON upgrade_requests (workspace_id, requested_at);
CREATE INDEX upgrade_requests_by_tenant ON upgrade_requests (tenant_id, requested_at);

-- Appdesk portal schema 4: tenant admins are not members of a workspace
-- (issue 19 §1; DESIGN.md, "Who may see and do what").
--
-- A token is now one of two principals, never both:
-- - a workspace member (a vendor's developer): workspace_id set, no tenants;
-- - a tenant admin (a customer's admin): tenant_admin lists one or more
--   tenant ids, and workspace_id is NULL: an admin sees the apps that list
--   one of their tenants in every workspace.
-- Tokens made before this schema with both a workspace and tenants were used
-- as admin tokens; they become tenant admins (the workspace no longer widened
-- what they see). (Schema 3 is the mutation ids'; this file does not depend
-- on it.)

ALTER TABLE tokens ALTER COLUMN workspace_id DROP NOT NULL;
UPDATE tokens SET workspace_id = NULL WHERE cardinality(tenant_admin) > 0;
ALTER TABLE tokens ADD CONSTRAINT tokens_member_or_tenant_admin
    CHECK ((workspace_id IS NULL) = (cardinality(tenant_admin) > 0));

-- An admin's apps are found by tenant, across workspaces.
CREATE INDEX app_tenants_by_tenant ON app_tenants (tenant_id, app_id);

-- Schema 8: the apps list searches more than names and sorts more than one way
-- (issue 11). Each part of a search is answered by an index, so a keystroke
-- stays quick at 100k apps:
--   organization  a trigram index (case-insensitive), like the name's;
--   tenant ID     app_tenants by tenant (created apps; a draft's tenants are
--                 JSON, read only for drafts, found by their partial index);
--   app key, client ID: their UNIQUE indexes already exist.
-- Sorting by last update walks apps_by_updated.

CREATE VIRTUAL TABLE app_org_search USING fts5 (
    organization, content = 'apps', content_rowid = 'seq', tokenize = 'trigram'
);
INSERT INTO app_org_search (app_org_search) VALUES ('rebuild');
CREATE TRIGGER apps_org_search_insert AFTER INSERT ON apps BEGIN
    INSERT INTO app_org_search (rowid, organization) VALUES (new.seq, new.organization);
END;
CREATE TRIGGER apps_org_search_delete AFTER DELETE ON apps BEGIN
    INSERT INTO app_org_search (app_org_search, rowid, organization)
        VALUES ('delete', old.seq, old.organization);
END;
CREATE TRIGGER apps_org_search_update AFTER UPDATE OF organization ON apps BEGIN
    INSERT INTO app_org_search (app_org_search, rowid, organization)
        VALUES ('delete', old.seq, old.organization);
    INSERT INTO app_org_search (rowid, organization) VALUES (new.seq, new.organization);
END;

CREATE INDEX app_tenants_by_tenant ON app_tenants (tenant_id, app_id);
CREATE INDEX apps_drafts ON apps (seq) WHERE status = 'draft';
CREATE INDEX apps_by_updated ON apps (updated_at, id);

-- Seeds a portal workspace with many apps in one transaction, as the portal
-- itself writes them (apps, tenants, version 1, an activity entry and a feed
-- entry each), for the sync benchmarks: 10k apps in about a second instead of
-- 10k HTTP requests. Run with psql on the portal's database:
--
--   psql -v ON_ERROR_STOP=1 -v workspace=team -v n=10000 -f seed_portal.sql "$DATABASE"
--
-- Ids are UUID-shaped, keys `ak1.` + 25 of [a-z0-9], all unique per run
-- (a run's prefix is random); each app has one tenant and two scopes. Ids
-- start with random digits, so a client inserts them in no order: harder on
-- its SQLite indexes than UUID v7 ids made over time (RESULTS.md).
BEGIN;
CREATE TEMP TABLE seed ON COMMIT DROP AS
SELECT i,
       substr(md5(random()::text), 1, 8) || '-0000-7000-8000-' || lpad(to_hex(i), 12, '0') AS id,
       'ak1.' || substr(md5(random()::text || i::text), 1, 25) AS app_key,
       'Seeded app ' || lpad(i::text, 6, '0') AS name,
       to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS at
FROM generate_series(1, :n) AS i;

INSERT INTO apps (id, workspace_id, app_key, name, organization, homepage_url, audience,
                  credentials, current_version, revision, created_at, updated_at)
SELECT s.id, w.id, s.app_key, s.name, 'Seed Org', 'https://seed.example/', 'private',
       'tenant', 1, 1, s.at, s.at
FROM seed s, workspaces w WHERE w.name = :'workspace';

INSERT INTO app_tenants (app_id, tenant_id, note)
SELECT id, (1000 + i % 5000)::text, '' FROM seed;

INSERT INTO versions (app_id, version, scopes, created_at, created_by)
SELECT id, 1, '["tn.crm.customers:r", "tn.jpm.jobs:r"]'::jsonb, at, 'seed' FROM seed;

INSERT INTO activity (workspace_id, at, user_name, app_id, app_name, action, summary)
SELECT w.id, s.at, 'seed', s.id, s.name, 'create', 'seeded'
FROM seed s, workspaces w WHERE w.name = :'workspace';

INSERT INTO changes (workspace_id, epoch, app_id, body)
SELECT w.id, (SELECT epoch FROM feed_epoch), s.id, jsonb_build_object(
    'type', 'app', 'appId', s.id, 'id', s.id, 'appKey', s.app_key, 'name', s.name,
    'organization', 'Seed Org', 'homepageUrl', 'https://seed.example/',
    'audience', 'private', 'credentials', 'tenant', 'status', 'created',
    'scopes', '["tn.crm.customers:r", "tn.jpm.jobs:r"]'::jsonb,
    'tenants', jsonb_build_array(jsonb_build_object('id', (1000 + s.i % 5000)::text, 'note', '')),
    'version', 1, 'revision', 1, 'createdAt', s.at, 'updatedAt', s.at,
    'versions', jsonb_build_array(jsonb_build_object('version', 1,
        'scopes', '["tn.crm.customers:r", "tn.jpm.jobs:r"]'::jsonb, 'createdAt', s.at,
        'createdBy', 'seed')))
FROM seed s, workspaces w WHERE w.name = :'workspace'
ORDER BY s.i;
COMMIT;

-- Schema 10: in a linked database the apps list, the scope preview and the
-- ledger read the portal's connections (issue 10 follow-up; which table is in
-- effect is decided once, in the store's `in_effect.rs`). They get the
-- indexes the local table has for the same queries:
--   app and version  the behind filter, sort and counts (a covering index,
--                    as `connections_by_app_version`, schema 2);
--   client ID        search by the start of a client ID (issue 11; the local
--                    table's UNIQUE index answers that there).
CREATE INDEX portal_connections_by_app_version ON portal_connections (app_id, version);
CREATE INDEX portal_connections_by_client ON portal_connections (client_id, app_id);

-- Schema 10: in a linked database the apps list reads the portal's
-- connections (issue 10 follow-up; which table is in effect is decided once,
-- in the store's `in_effect.rs`), so it finds an app by the start of a
-- client ID there too (issue 11). The local table's UNIQUE index answers that
-- search there; this one answers it here.
CREATE INDEX portal_connections_by_client ON portal_connections (client_id, app_id);

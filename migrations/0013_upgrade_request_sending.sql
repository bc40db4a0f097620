-- Schema 13 (issue 19 §2): upgrade requests reach the tenant's admin. In a
-- linked database a request is recorded at once (offline too) and sent to the
-- portal by the next sync, with its id as the Idempotency-Key and as the id
-- the portal keeps: a send whose answer was lost is sent again and stays one
-- request. A request made before the database was linked is not sent.

-- The remote a request is to be sent to; NULL: local only.
ALTER TABLE upgrade_requests ADD COLUMN send_remote TEXT;
-- NULL (local only), 'queued', 'sent', or 'refused' (the portal said why, in
-- send_error; not sent again).
ALTER TABLE upgrade_requests ADD COLUMN send_state TEXT
    CHECK (send_state IN ('queued', 'sent', 'refused'));
ALTER TABLE upgrade_requests ADD COLUMN send_error TEXT;
CREATE INDEX upgrade_requests_to_send ON upgrade_requests (send_remote, send_state);

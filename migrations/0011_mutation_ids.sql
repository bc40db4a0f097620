-- Schema 11: mutation ids (SYNC.md "Lost acknowledgements"). Each linked
-- database is one client of its portal, with an id; each intent gets the next
-- mutation number when it is first sent, committed before the request leaves.
-- The portal records the last mutation it applied per client and app, in the
-- write's own transaction, and says so in what a pull reads; the client then
-- folds its own applied intents into the base instead of reading them as
-- someone else's change (a lost acknowledgement can never revert an edit).

-- NULL until the first send; a new remote (remote remove, add) is a new client.
ALTER TABLE sync_state ADD COLUMN client_id TEXT;
ALTER TABLE sync_state ADD COLUMN next_mutation_id INTEGER NOT NULL DEFAULT 1;

-- The mutation number an intent was sent with (NULL: never sent, or its body
-- changed since). Kept, with its idempotency key, until the portal's answer
-- is stored or a pull shows the portal applied it.
ALTER TABLE outbox ADD COLUMN mutation_id INTEGER;

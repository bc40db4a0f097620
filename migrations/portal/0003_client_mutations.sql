-- Schema 3: mutation ids (SYNC.md "Lost acknowledgements"). A sync client (one
-- linked database) sends its id and an increasing mutation id with each write.
-- In the same transaction as the write, the portal records the last mutation
-- of that client applied to that app, and marks the feed entries the write
-- appends with it. A client then tells, from what it pulls, which of its own
-- intents the portal already applied, even when the answer to the write was
-- lost and its idempotency key has expired.

CREATE TABLE client_mutations (
    workspace_id     uuid NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
    client_id        text NOT NULL,
    app_id           text NOT NULL,
    last_mutation_id bigint NOT NULL CHECK (last_mutation_id > 0),
    updated_at       timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (workspace_id, client_id, app_id)
);

-- Which client's mutation wrote a feed entry (NULL: a write without one, such
-- as a tool's or the console's). Served only to that same client.
ALTER TABLE changes ADD COLUMN client_id text, ADD COLUMN mutation_id bigint;

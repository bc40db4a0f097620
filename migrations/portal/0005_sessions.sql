-- Appdesk portal schema 5: the web console's sessions (issue 19 §2).
--
-- Signing in to the console exchanges a bearer token for a session cookie of
-- 32 random bytes. Only the cookie value's SHA-256 is kept here, never the
-- value itself, and never the token: a copy of this table opens no session.
-- A session speaks for the token it came from, so a revoked token ends its
-- sessions (`token revoke` deletes them; a deleted token row takes them with
-- it; and a session is only honoured while its token is not revoked).
-- A session unused for 12 hours is over: the portal deletes it when it is
-- next presented (and refuses it).

CREATE TABLE sessions (
    hash         bytea PRIMARY KEY CHECK (length(hash) = 32),
    token_prefix text NOT NULL REFERENCES tokens (prefix) ON DELETE CASCADE,
    created_at   timestamptz NOT NULL DEFAULT now(),
    last_used_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX sessions_by_token ON sessions (token_prefix);

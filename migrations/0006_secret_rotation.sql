-- Schema 6 (issue 12): secret rotation with overlap. A connection keeps when
-- its secret was made (its age), and during a rotation the previous secret,
-- sealed like the current one (never plaintext), until it is retired.
-- Secrets stored before this schema are dated from the connection: the
-- database did not record a regeneration's time.

ALTER TABLE connections ADD COLUMN secret_created_at TEXT NOT NULL DEFAULT '';
UPDATE connections SET secret_created_at = connected_at;
ALTER TABLE connections ADD COLUMN previous_secret_sealed BLOB;
ALTER TABLE connections ADD COLUMN previous_secret_created_at TEXT;

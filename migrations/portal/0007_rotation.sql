-- Appdesk portal schema 7: secret rotation with overlap (issue 19 §1, the
-- core's rule of issue 12: appdesk_core::decide::rotate / retire_previous).
--
-- A connection keeps when its current secret was made, and during a rotation
-- the previous secret, sealed exactly as the current one (XChaCha20-Poly1305
-- under the portal's key file, bound to the connection id: never plaintext),
-- with its time, until the tenant's admin retires it. A regenerate ends both.
-- Secrets stored before this schema are dated from the connection: the
-- portal did not record a regeneration's time. (Schemas 5 and 6 are the
-- sessions' and the upgrade requests'; this file does not depend on them.)

ALTER TABLE connections ADD COLUMN secret_created_at text;
UPDATE connections SET secret_created_at = connected_at;
ALTER TABLE connections ALTER COLUMN secret_created_at SET NOT NULL;
ALTER TABLE connections ADD COLUMN previous_secret bytea;
ALTER TABLE connections ADD COLUMN previous_secret_created_at text;
-- A previous secret and its time come and go together.
ALTER TABLE connections ADD CONSTRAINT connections_previous_secret_whole
    CHECK ((previous_secret IS NULL) = (previous_secret_created_at IS NULL));

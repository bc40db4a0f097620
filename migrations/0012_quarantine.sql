-- Schema 12: apps pulled from a portal that fail this client's rules (R1, R2
-- against its catalog; version histories checked as an import checks them)
-- are kept aside here instead of aborting the sync (issue 18 §5). The local
-- app, if any, stays as it was; a later pull that brings the app valid (or its
-- deletion) removes its row. Nothing here is ever pushed.
CREATE TABLE sync_quarantine (
    remote         TEXT NOT NULL REFERENCES remotes (name) ON DELETE CASCADE,
    app_id         TEXT NOT NULL,
    -- The portal's name for it, only when it is text a list may show.
    app_name       TEXT,
    -- The portal's revision that was refused.
    revision       INTEGER NOT NULL,
    reason         TEXT NOT NULL,
    quarantined_at TEXT NOT NULL,
    PRIMARY KEY (remote, app_id)
) WITHOUT ROWID;

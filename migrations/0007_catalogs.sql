-- Schema 7 (issue 12): the scope catalog as versioned data. Each applied
-- catalog is kept whole (the built-in one is stored first, on the first
-- update); the newest row is the catalog in use. Resources a catalog dropped
-- are kept in retired_scopes with their last module and name, so that no
-- version or app ever loses a scope or its label.

CREATE TABLE catalogs (
    seq             INTEGER PRIMARY KEY AUTOINCREMENT,
    catalog_version TEXT NOT NULL,
    body            TEXT NOT NULL,
    applied_at      TEXT NOT NULL,
    applied_by      TEXT NOT NULL
);

CREATE TABLE retired_scopes (
    resource     TEXT PRIMARY KEY NOT NULL,
    module       TEXT NOT NULL,
    display_name TEXT NOT NULL,
    retired_in   TEXT NOT NULL
) WITHOUT ROWID;

-- Schema 3: an app's name_folded is NFKC-folded (trimmed, compatibility
-- composition, lower case), so that names which display alike ("Café" precomposed
-- or with a combining accent, full-width letters) are found by one search and
-- warned of as the same name. SQL cannot normalize Unicode: the store refolds
-- every name in Rust in the same transaction (store/migrate.rs, REFOLD_AT).
SELECT 1;

-- Appdesk portal schema 2: feed epochs, so that the change feed goes on after a
-- backup (pg_dump) is restored into another cluster.
--
-- A feed position was (xid, seq): the writing transaction's id. Transaction ids
-- belong to a cluster; restored elsewhere, the old ones may be ahead of the new
-- cluster's counter (readers would hold them back) and new ones would sort
-- before them. A position is now (epoch, xid, seq). The portal starts a new
-- epoch when it sees that the stored positions were not issued by this cluster
-- (feed.rs, adopt_cluster): every position of an older epoch sorts before every
-- new one, and readers hold back only the current epoch's running writers.

-- One row: the current epoch and the cluster whose transaction ids it uses.
CREATE TABLE feed_epoch (
    only_row          boolean PRIMARY KEY DEFAULT true CHECK (only_row),
    epoch             bigint NOT NULL CHECK (epoch >= 0),
    system_identifier bigint NOT NULL,
    started_at        timestamptz NOT NULL DEFAULT now()
);
INSERT INTO feed_epoch (epoch, system_identifier)
SELECT 0, system_identifier FROM pg_control_system();

-- Rows written so far are epoch 0. No default: every writer names the epoch
-- it read from feed_epoch.
ALTER TABLE changes ADD COLUMN epoch bigint NOT NULL DEFAULT 0;
ALTER TABLE changes ALTER COLUMN epoch DROP DEFAULT;
ALTER TABLE changes DROP CONSTRAINT changes_pkey;
ALTER TABLE changes ADD PRIMARY KEY (workspace_id, epoch, xid, seq);

ALTER TABLE workspaces ADD COLUMN feed_floor_epoch bigint NOT NULL DEFAULT 0;

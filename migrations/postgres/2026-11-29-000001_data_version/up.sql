-- A counter that every change to a workspace's orders or users moves forward: what in-memory
-- copies of its data (the order history of the analytics) are checked against.
ALTER TABLE settings ADD COLUMN data_version BIGINT NOT NULL DEFAULT 0;

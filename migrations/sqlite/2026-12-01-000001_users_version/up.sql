-- A counter that every change to a workspace's users moves forward (imports, deletions, users
-- written through the API, rescorings that changed a score): what the in-memory copy of its
-- users (the dashboard's user columns) is checked against.
ALTER TABLE settings ADD COLUMN users_version BIGINT NOT NULL DEFAULT 0;

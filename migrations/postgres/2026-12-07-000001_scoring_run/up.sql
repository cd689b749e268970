-- What is recorded of a workspace's scoring runs (domain::scoring_run): when the last one
-- succeeded, and the error, time and count in a row of failures since, so that a failed run is
-- shown and retried instead of leaving the workspace silently unscored.
ALTER TABLE settings ADD COLUMN scored_at TIMESTAMP;
ALTER TABLE settings ADD COLUMN scoring_error TEXT;
ALTER TABLE settings ADD COLUMN scoring_failed_at TIMESTAMP;
ALTER TABLE settings ADD COLUMN scoring_failures BIGINT NOT NULL DEFAULT 0;

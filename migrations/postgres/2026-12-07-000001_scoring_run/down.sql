ALTER TABLE settings DROP COLUMN scoring_failures;
ALTER TABLE settings DROP COLUMN scoring_failed_at;
ALTER TABLE settings DROP COLUMN scoring_error;
ALTER TABLE settings DROP COLUMN scored_at;

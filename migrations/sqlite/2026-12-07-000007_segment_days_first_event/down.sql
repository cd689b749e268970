CREATE INDEX segment_events_segment_at ON segment_events (workspace_id, segment_id, at);
ALTER TABLE segment_days DROP COLUMN first_event;

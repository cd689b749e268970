-- The id of the first event of each segment's day, so that reading a segment's events since an
-- instant starts at that day's first event (an exact bound: every event at or after the instant
-- belongs to that day or a later one) instead of keeping an index on (segment, time) that each
-- recorded event paid for. NULL on the days recorded before this column: such a day gives no
-- bound, and the read goes through the whole segment.
ALTER TABLE segment_days ADD COLUMN first_event BIGINT;
DROP INDEX segment_events_segment_at;

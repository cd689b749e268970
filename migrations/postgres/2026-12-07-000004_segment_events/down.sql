DROP TABLE segment_days;
DROP TABLE segment_events;

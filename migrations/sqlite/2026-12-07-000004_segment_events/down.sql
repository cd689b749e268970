DROP TABLE segment_events;

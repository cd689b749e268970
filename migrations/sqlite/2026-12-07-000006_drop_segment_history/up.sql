-- The enter/exit intervals per user and custom segment, written by every refresh since the first
-- release but never read by the product: segment_events (2026-12-07-000004) records each entry
-- and exit of every segment with its cause, and is what the API serves. Writing both cost a
-- second copy of every move in the refresh's transaction.
DROP TABLE segment_history;

-- Every change of segment membership, of custom segments and of the eight RFM segments (ids
-- -1 … -8, see domain::rfm::RfmSegment::id), written in the transaction that changes it: who
-- entered or exited which segment, when, and what caused it (domain::segment_events::Trigger).
-- No foreign key on segment_id (RFM ids) nor user_id (a deleted user's exits stay).
CREATE TABLE segment_events (
    id INTEGER PRIMARY KEY,
    workspace_id BIGINT NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
    segment_id BIGINT NOT NULL,
    user_id BIGINT NOT NULL,
    entered BOOLEAN NOT NULL,
    at TIMESTAMP NOT NULL,
    cause TEXT NOT NULL
);
CREATE INDEX segment_events_segment ON segment_events (workspace_id, segment_id, id);
CREATE INDEX segment_events_segment_at ON segment_events (workspace_id, segment_id, at);
CREATE INDEX segment_events_user ON segment_events (user_id, id);

-- Entries and exits per segment and UTC day (days since 1970-01-01), kept with the events in the
-- same transaction, so that a segment's history reads a row a day.
CREATE TABLE segment_days (
    workspace_id BIGINT NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
    segment_id BIGINT NOT NULL,
    day BIGINT NOT NULL,
    entered BIGINT NOT NULL,
    exited BIGINT NOT NULL,
    PRIMARY KEY (workspace_id, segment_id, day)
);

CREATE TABLE segment_history (
    id BIGSERIAL PRIMARY KEY,
    segment_id BIGINT NOT NULL REFERENCES segments(id) ON DELETE CASCADE,
    user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    entered_at TIMESTAMP NOT NULL,
    exited_at TIMESTAMP
);
CREATE INDEX segment_history_segment ON segment_history (segment_id, user_id);
INSERT INTO segment_history (segment_id, user_id, entered_at)
    SELECT segment_id, user_id, entered_at FROM segment_members;

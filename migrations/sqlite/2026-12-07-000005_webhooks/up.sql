-- Webhooks (docs/webhooks.md): endpoints that receive segment events, signed with their secret
-- (Standard Webhooks 1.0).
CREATE TABLE webhooks (
    id INTEGER PRIMARY KEY,
    workspace_id BIGINT NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
    url TEXT NOT NULL,
    description TEXT,
    -- 'segment.entered', 'segment.exited' or both, comma-separated
    events TEXT NOT NULL,
    -- segment ids, comma-separated; NULL: every segment
    segment_ids TEXT,
    secret TEXT NOT NULL,
    paused BOOLEAN NOT NULL DEFAULT FALSE,
    -- since when every delivery has failed; NULL once one succeeds
    failing_since TIMESTAMP,
    -- set when it has failed for three days: nothing is sent until it is resumed
    disabled_at TIMESTAMP,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX webhooks_workspace ON webhooks (workspace_id);

-- The outbox: one message per webhook and up to 1 000 users of one segment and type, written in
-- the transaction that records the events; delivered at least once by whichever replica claims
-- it (claimed_until), retried with backoff.
CREATE TABLE webhook_deliveries (
    id INTEGER PRIMARY KEY,
    webhook_id BIGINT NOT NULL REFERENCES webhooks(id) ON DELETE CASCADE,
    workspace_id BIGINT NOT NULL,
    msg_id TEXT NOT NULL,
    event_type TEXT NOT NULL,
    segment_id BIGINT,
    -- the segment_events (first..=last) of the message, read when the body is first built
    first_event_id BIGINT,
    last_event_id BIGINT,
    users BIGINT NOT NULL DEFAULT 0,
    payload TEXT,
    status TEXT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    last_status INTEGER,
    last_error TEXT,
    next_attempt_at TIMESTAMP NOT NULL,
    claimed_until TIMESTAMP,
    created_at TIMESTAMP NOT NULL,
    delivered_at TIMESTAMP
);
CREATE INDEX webhook_deliveries_due ON webhook_deliveries (status, next_attempt_at);
CREATE INDEX webhook_deliveries_webhook ON webhook_deliveries (webhook_id, id);

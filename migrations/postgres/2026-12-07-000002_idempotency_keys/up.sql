-- Answers to POST requests sent with an Idempotency-Key, kept 24 hours, so that a retry gets the
-- first answer instead of doing the work again (server::idempotency). `status` is NULL while the
-- first request is under way.
CREATE TABLE idempotency_keys (
    workspace_id BIGINT NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
    principal TEXT NOT NULL,
    idempotency_key TEXT NOT NULL,
    request_hash TEXT,
    status INTEGER,
    content_type TEXT,
    body TEXT,
    created_at TIMESTAMP NOT NULL,
    PRIMARY KEY (workspace_id, principal, idempotency_key)
);

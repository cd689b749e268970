-- segmenta schema (PostgreSQL). Money is BIGINT minor units; timestamps are UTC without zone;
-- custom properties are JSON text (cast to jsonb where a query needs it).

CREATE TABLE workspaces (
    id BIGSERIAL PRIMARY KEY,
    name TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL
);

-- One row per workspace: kind, activity window, RFM and score configuration (JSON documents
-- validated by the domain crate).
CREATE TABLE settings (
    workspace_id BIGINT PRIMARY KEY REFERENCES workspaces(id) ON DELETE CASCADE,
    kind TEXT NOT NULL DEFAULT 'orders',
    activity_window_days INTEGER NOT NULL DEFAULT 30,
    rfm_window_days INTEGER,
    rfm_scoring TEXT NOT NULL DEFAULT '"ranked"',
    scores TEXT NOT NULL DEFAULT '{}',
    updated_at TIMESTAMP NOT NULL
);

CREATE TABLE operators (
    id BIGSERIAL PRIMARY KEY,
    workspace_id BIGINT NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
    email TEXT NOT NULL,
    name TEXT,
    password_hash TEXT NOT NULL,
    role TEXT NOT NULL,
    active_segment_id BIGINT,
    created_at TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX operators_email ON operators (lower(email));

CREATE TABLE refresh_tokens (
    id BIGSERIAL PRIMARY KEY,
    operator_id BIGINT NOT NULL REFERENCES operators(id) ON DELETE CASCADE,
    token_hash TEXT NOT NULL UNIQUE,
    expires_at TIMESTAMP NOT NULL,
    revoked_at TIMESTAMP,
    created_at TIMESTAMP NOT NULL
);

CREATE TABLE api_keys (
    id BIGSERIAL PRIMARY KEY,
    workspace_id BIGINT NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    prefix TEXT NOT NULL,
    key_hash TEXT NOT NULL UNIQUE,
    role TEXT NOT NULL,
    created_by BIGINT REFERENCES operators(id) ON DELETE SET NULL,
    created_at TIMESTAMP NOT NULL,
    last_used_at TIMESTAMP,
    revoked_at TIMESTAMP
);
CREATE INDEX api_keys_workspace ON api_keys (workspace_id);

CREATE TABLE companies (
    id BIGSERIAL PRIMARY KEY,
    workspace_id BIGINT NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
    external_id TEXT NOT NULL,
    name TEXT,
    industry TEXT,
    plan TEXT,
    arr BIGINT,
    owner TEXT,
    created_at TIMESTAMP,
    properties TEXT NOT NULL DEFAULT '{}',
    updated_at TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX companies_external ON companies (workspace_id, external_id);

CREATE TABLE users (
    id BIGSERIAL PRIMARY KEY,
    workspace_id BIGINT NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
    external_id TEXT NOT NULL,
    email TEXT,
    name TEXT,
    company_id BIGINT REFERENCES companies(id) ON DELETE SET NULL,
    created_at TIMESTAMP,
    last_seen_at TIMESTAMP,
    churned_at TIMESTAMP,
    role TEXT,
    country TEXT,
    phone TEXT,
    acquisition_channel TEXT,
    client_type TEXT,
    payment_type TEXT,
    invoice_period TEXT,
    complaint_reason TEXT,
    email_consent BOOLEAN,
    sms_consent BOOLEAN,
    properties TEXT NOT NULL DEFAULT '{}',
    -- purchase aggregates over all orders, kept by every import
    first_purchase_at TIMESTAMP,
    last_purchase_at TIMESTAMP,
    purchases BIGINT NOT NULL DEFAULT 0,
    revenue BIGINT NOT NULL DEFAULT 0,
    -- scores as of `scored_at`, written by the scoring run after imports and settings changes
    r_score INTEGER,
    f_score INTEGER,
    m_score INTEGER,
    rfm_segment TEXT,
    health_score INTEGER,
    engagement_score INTEGER,
    fit_score INTEGER,
    preferred_day TEXT,
    scored_at TIMESTAMP,
    updated_at TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX users_external ON users (workspace_id, external_id);
CREATE INDEX users_company ON users (company_id);
CREATE INDEX users_workspace_segment ON users (workspace_id, rfm_segment);

CREATE TABLE orders (
    id BIGSERIAL PRIMARY KEY,
    workspace_id BIGINT NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
    order_id TEXT NOT NULL,
    user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    ordered_at TIMESTAMP NOT NULL,
    amount BIGINT NOT NULL,
    gross_amount BIGINT,
    quantity BIGINT,
    channel TEXT,
    store TEXT,
    product TEXT
);
CREATE UNIQUE INDEX orders_external ON orders (workspace_id, order_id);
-- Orders are read per user (aggregates, RFM as of a date, 360 view). No (workspace, date)
-- index: orders arrive in no date order, and that index made bulk imports 4x slower.
CREATE INDEX orders_user_date ON orders (user_id, ordered_at);

CREATE TABLE events (
    id BIGSERIAL PRIMARY KEY,
    workspace_id BIGINT NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
    user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    occurred_at TIMESTAMP NOT NULL
);
-- re-importing the same event changes nothing
CREATE UNIQUE INDEX events_identity ON events (user_id, occurred_at, name);
CREATE INDEX events_workspace_name ON events (workspace_id, name, occurred_at);

-- Custom property names seen in imports, for the filter catalog.
CREATE TABLE property_keys (
    workspace_id BIGINT NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
    entity TEXT NOT NULL,
    name TEXT NOT NULL,
    value_type TEXT NOT NULL,
    PRIMARY KEY (workspace_id, entity, name)
);

CREATE TABLE segments (
    id BIGSERIAL PRIMARY KEY,
    workspace_id BIGINT NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
    owner_id BIGINT REFERENCES operators(id) ON DELETE SET NULL,
    name TEXT NOT NULL,
    description TEXT,
    visibility TEXT NOT NULL DEFAULT 'public',
    show_on_user_page BOOLEAN NOT NULL DEFAULT FALSE,
    position BIGINT NOT NULL DEFAULT 0,
    conditions TEXT NOT NULL,
    size BIGINT NOT NULL DEFAULT 0,
    online BIGINT NOT NULL DEFAULT 0,
    offline BIGINT NOT NULL DEFAULT 0,
    refreshed_at TIMESTAMP,
    refresh_ms BIGINT,
    refresh_error TEXT,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX segments_name ON segments (workspace_id, lower(name));

CREATE TABLE segment_members (
    segment_id BIGINT NOT NULL REFERENCES segments(id) ON DELETE CASCADE,
    user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    entered_at TIMESTAMP NOT NULL,
    PRIMARY KEY (segment_id, user_id)
);
CREATE INDEX segment_members_user ON segment_members (user_id);

-- Enter/exit history of segment members.
CREATE TABLE segment_history (
    id BIGSERIAL PRIMARY KEY,
    segment_id BIGINT NOT NULL REFERENCES segments(id) ON DELETE CASCADE,
    user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    entered_at TIMESTAMP NOT NULL,
    exited_at TIMESTAMP
);
CREATE INDEX segment_history_segment ON segment_history (segment_id, user_id);

CREATE TABLE custom_filters (
    id BIGSERIAL PRIMARY KEY,
    workspace_id BIGINT NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
    owner_id BIGINT REFERENCES operators(id) ON DELETE SET NULL,
    name TEXT NOT NULL,
    conditions TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX custom_filters_name ON custom_filters (workspace_id, lower(name));

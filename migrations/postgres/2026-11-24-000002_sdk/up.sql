-- The SDK protocol's ledger (docs/sdk-protocol.md), usage analytics, alerts and webhooks.
-- Same portable types as the init migration: TEXT ids, BIGINT micro-dollars and unix-microsecond times.
ALTER TABLE ic_keys ADD COLUMN reserved_micros BIGINT NOT NULL DEFAULT 0;

CREATE TABLE sdk_sessions (
    id TEXT PRIMARY KEY NOT NULL,
    key_id TEXT NOT NULL REFERENCES ic_keys(id),
    project_id TEXT NOT NULL REFERENCES projects(id),
    client TEXT NOT NULL,
    hostname TEXT NOT NULL,
    ip TEXT,
    status TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    last_seen_at BIGINT NOT NULL,
    closed_at BIGINT
);
CREATE INDEX sdk_sessions_key ON sdk_sessions(key_id, status);

-- A lease is a pending debit with a timeout: amount = spent + returned + outstanding.
CREATE TABLE leases (
    id TEXT PRIMARY KEY NOT NULL,
    session_id TEXT NOT NULL REFERENCES sdk_sessions(id),
    project_id TEXT NOT NULL REFERENCES projects(id),
    key_id TEXT NOT NULL REFERENCES ic_keys(id),
    amount_micros BIGINT NOT NULL,
    spent_micros BIGINT NOT NULL DEFAULT 0,
    returned_micros BIGINT NOT NULL DEFAULT 0,
    -- open | settled | expired (charged in full until a late settle)
    status TEXT NOT NULL,
    -- Whether the key's own ledger columns were moved (the key has a limit).
    charges_key BOOLEAN NOT NULL,
    -- The project's budget period the lease was granted in.
    period_started_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
    settled_at BIGINT
);
CREATE INDEX leases_status_expiry ON leases(status, expires_at);
CREATE INDEX leases_project ON leases(project_id, status);

-- Stripe-style idempotency: one row per (scope, client key), written in the same transaction
-- as the effect. scope = 'grant:<session_id>' or 'settle:<lease_id>'; a replay with the same
-- request_hash gets the stored response, a different hash is a 409.
CREATE TABLE idempotency_keys (
    scope TEXT NOT NULL,
    idem_key TEXT NOT NULL,
    request_hash TEXT NOT NULL,
    response TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (scope, idem_key)
);

CREATE TABLE usage_records (
    id TEXT PRIMARY KEY NOT NULL,
    project_id TEXT NOT NULL REFERENCES projects(id),
    key_id TEXT NOT NULL REFERENCES ic_keys(id),
    user_id TEXT NOT NULL REFERENCES users(id),
    session_id TEXT NOT NULL,
    lease_id TEXT NOT NULL,
    model TEXT NOT NULL,
    input_tokens BIGINT NOT NULL,
    cached_input_tokens BIGINT NOT NULL,
    output_tokens BIGINT NOT NULL,
    cost_micros BIGINT NOT NULL,
    latency_ms BIGINT NOT NULL,
    outcome TEXT NOT NULL,
    at BIGINT NOT NULL,
    received_at BIGINT NOT NULL
);
CREATE INDEX usage_records_project_at ON usage_records(project_id, at);
CREATE INDEX usage_records_key_at ON usage_records(key_id, at);
CREATE INDEX usage_records_at ON usage_records(at);

CREATE TABLE sdk_events (
    id TEXT PRIMARY KEY NOT NULL,
    session_id TEXT NOT NULL,
    project_id TEXT NOT NULL REFERENCES projects(id),
    key_id TEXT NOT NULL REFERENCES ic_keys(id),
    kind TEXT NOT NULL,
    at BIGINT NOT NULL,
    data TEXT NOT NULL,
    received_at BIGINT NOT NULL
);
CREATE INDEX sdk_events_project_at ON sdk_events(project_id, at);

CREATE TABLE alerts (
    id TEXT PRIMARY KEY NOT NULL,
    project_id TEXT REFERENCES projects(id),
    key_id TEXT REFERENCES ic_keys(id),
    -- budget_soft | budget_hard | anomaly_multi_ip | anomaly_spend_rate | key_revoked | key_suspended
    kind TEXT NOT NULL,
    severity TEXT NOT NULL,
    message TEXT NOT NULL,
    data TEXT NOT NULL,
    status TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    acknowledged_at BIGINT,
    acknowledged_by TEXT REFERENCES users(id)
);
CREATE INDEX alerts_created ON alerts(created_at);

CREATE TABLE webhooks (
    id TEXT PRIMARY KEY NOT NULL,
    url TEXT NOT NULL,
    -- HMAC signing secret, encrypted under the master key like vault entries.
    secret_nonce TEXT NOT NULL,
    secret_ciphertext TEXT NOT NULL,
    -- JSON list of event kinds (alert kinds); empty = all.
    events TEXT NOT NULL,
    status TEXT NOT NULL,
    created_by TEXT NOT NULL REFERENCES users(id),
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);

CREATE TABLE webhook_deliveries (
    id TEXT PRIMARY KEY NOT NULL,
    webhook_id TEXT NOT NULL REFERENCES webhooks(id),
    event_kind TEXT NOT NULL,
    payload TEXT NOT NULL,
    -- pending | delivered | failed
    status TEXT NOT NULL,
    attempts BIGINT NOT NULL,
    next_attempt_at BIGINT NOT NULL,
    last_status_code BIGINT,
    last_error TEXT,
    created_at BIGINT NOT NULL,
    delivered_at BIGINT
);
CREATE INDEX webhook_deliveries_due ON webhook_deliveries(status, next_attempt_at);

-- Server-wide settings edited by admins (anomaly thresholds, lease defaults): name -> JSON value.
CREATE TABLE settings (
    name TEXT PRIMARY KEY NOT NULL,
    value TEXT NOT NULL,
    updated_by TEXT REFERENCES users(id),
    updated_at BIGINT NOT NULL
);

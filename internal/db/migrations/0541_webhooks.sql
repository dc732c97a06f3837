-- Webhooks (internal/webhook). An endpoint is a URL the owner entered,
-- the events it wants (space-separated), and its signing secrets: secret
-- signs every delivery; during a rotation old_secret signs too until
-- old_until, so receivers can switch without losing a delivery.
-- allow_private lets it reach loopback/private/link-local addresses (off
-- unless the owner ticks it for this endpoint).
CREATE TABLE webhook_endpoints (
    id            BIGSERIAL PRIMARY KEY,
    url           TEXT NOT NULL,
    description   TEXT NOT NULL DEFAULT '',
    events        TEXT NOT NULL,
    secret        TEXT NOT NULL,
    old_secret    TEXT NOT NULL DEFAULT '',
    old_until     TIMESTAMPTZ,
    allow_private BOOLEAN NOT NULL DEFAULT FALSE,
    active        BOOLEAN NOT NULL DEFAULT TRUE,
    -- failures counts deliveries that failed in a row; at the limit the
    -- endpoint is switched off and the owners are mailed.
    failures      INTEGER NOT NULL DEFAULT 0,
    disabled_at   TIMESTAMPTZ,
    disabled_why  TEXT NOT NULL DEFAULT '',
    created_at    TIMESTAMPTZ NOT NULL,
    updated_at    TIMESTAMPTZ NOT NULL
);

-- One row per event and endpoint, written in the transaction of the
-- change and delivered by a worker under a lease (internal/lease).
-- msg_id is the webhook-id header: the same for every attempt and replay.
CREATE TABLE webhook_deliveries (
    id              BIGSERIAL PRIMARY KEY,
    endpoint_id     BIGINT NOT NULL REFERENCES webhook_endpoints (id) ON DELETE CASCADE,
    msg_id          TEXT NOT NULL,
    event           TEXT NOT NULL,
    payload         TEXT NOT NULL,
    status          TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'delivered', 'dead')),
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TIMESTAMPTZ NOT NULL,
    locked_by       TEXT NOT NULL DEFAULT '',
    locked_until    TIMESTAMPTZ,
    last_error      TEXT NOT NULL DEFAULT '',
    last_status     INTEGER NOT NULL DEFAULT 0,
    created_at      TIMESTAMPTZ NOT NULL,
    delivered_at    TIMESTAMPTZ
);
CREATE INDEX webhook_deliveries_due ON webhook_deliveries (status, next_attempt_at);
CREATE INDEX webhook_deliveries_endpoint ON webhook_deliveries (endpoint_id, id);

-- Every attempt: the response code (0 when none came), a short error and
-- how long it took, for the delivery log.
CREATE TABLE webhook_attempts (
    id          BIGSERIAL PRIMARY KEY,
    delivery_id BIGINT NOT NULL REFERENCES webhook_deliveries (id) ON DELETE CASCADE,
    status_code INTEGER NOT NULL,
    error       TEXT NOT NULL DEFAULT '',
    duration_ms INTEGER NOT NULL,
    at          TIMESTAMPTZ NOT NULL
);
CREATE INDEX webhook_attempts_delivery ON webhook_attempts (delivery_id, id);

-- Admin API tokens (internal/api). The token itself is shown once and
-- never stored: hash is the hex SHA-256 of the whole token (256 random
-- bits, so a fast hash is enough — nothing to guess). prefix is its first
-- characters, shown in the admin to tell tokens apart. scopes is a space-
-- separated list such as "orders:read stock:write"; ip_allow a
-- space-separated list of addresses or prefixes ('' allows any).
CREATE TABLE api_tokens (
    id           BIGSERIAL PRIMARY KEY,
    name         TEXT NOT NULL,
    prefix       TEXT NOT NULL,
    hash         TEXT NOT NULL UNIQUE,
    scopes       TEXT NOT NULL,
    ip_allow     TEXT NOT NULL DEFAULT '',
    rate_per_min INTEGER NOT NULL DEFAULT 600 CHECK (rate_per_min > 0),
    expires_at   TIMESTAMPTZ NOT NULL,
    revoked_at   TIMESTAMPTZ,
    created_by   TEXT NOT NULL,
    created_at   TIMESTAMPTZ NOT NULL,
    last_used_at TIMESTAMPTZ,
    last_used_ip TEXT NOT NULL DEFAULT '',
    uses         BIGINT NOT NULL DEFAULT 0
);

-- Uses of a token per hour, method and outcome: every request is counted
-- here (writes are also in the hash-chained audit log). One row per hour
-- keeps the volume small under load; see docs/API.md.
CREATE TABLE api_token_uses (
    token_id BIGINT NOT NULL REFERENCES api_tokens (id) ON DELETE CASCADE,
    hour     TIMESTAMPTZ NOT NULL,
    method   TEXT NOT NULL,
    status   INTEGER NOT NULL,
    uses     BIGINT NOT NULL,
    PRIMARY KEY (token_id, hour, method, status)
);

-- Idempotency-Key: the first response to a write, replayed for a repeat
-- of the same key by the same token. state is 'pending' while the first
-- request runs (a concurrent repeat gets 409), 'done' after.
CREATE TABLE api_idempotency (
    token_id     BIGINT NOT NULL REFERENCES api_tokens (id) ON DELETE CASCADE,
    key          TEXT NOT NULL,
    request_hash TEXT NOT NULL,
    state        TEXT NOT NULL CHECK (state IN ('pending', 'done')),
    status       INTEGER NOT NULL DEFAULT 0,
    content_type TEXT NOT NULL DEFAULT '',
    etag         TEXT NOT NULL DEFAULT '',
    body         TEXT NOT NULL DEFAULT '',
    created_at   TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (token_id, key)
);
CREATE INDEX api_idempotency_created ON api_idempotency (created_at);

-- Card captures waiting to run: an order whose card payment was only
-- authorised gets one row here in the transaction that marks it shipped;
-- a worker holding a lease (locked_by, locked_until) calls the provider
-- outside any transaction and records the outcome, retrying with back-off
-- when the provider cannot be reached (the pattern of the mail outbox).
-- status: pending → done, or failed (declined, or out of attempts).
CREATE TABLE payment_captures (
    id              BIGSERIAL PRIMARY KEY,
    order_id        BIGINT NOT NULL UNIQUE REFERENCES orders (id) ON DELETE CASCADE,
    status          TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'done', 'failed')),
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TIMESTAMPTZ NOT NULL,
    locked_by       TEXT NOT NULL DEFAULT '',
    locked_until    TIMESTAMPTZ,
    last_error      TEXT NOT NULL DEFAULT '',
    created_at      TIMESTAMPTZ NOT NULL,
    done_at         TIMESTAMPTZ
);
CREATE INDEX payment_captures_due ON payment_captures (status, next_attempt_at);

-- Bulk actions on orders run as jobs on the lease protocol
-- (internal/lease): order_bulk_jobs is the job table, one row per action
-- an admin started; order_bulk_items holds the orders it covers, each
-- with its outcome, written in the transaction that changed the order, so
-- a job resumed after a crash never does an order twice and the summary
-- (changed / refused / failed, with the reason) is a GROUP BY away.
CREATE TABLE order_bulk_jobs (
    id              BIGSERIAL PRIMARY KEY,
    action          TEXT NOT NULL,
    param           TEXT NOT NULL DEFAULT '',
    note            TEXT NOT NULL DEFAULT '',
    actor_id        BIGINT NOT NULL DEFAULT 0,
    actor           TEXT NOT NULL DEFAULT '',
    address         TEXT NOT NULL DEFAULT '',
    -- draft: prepared by a dry run and waiting for the admin's go;
    -- pending while work is left; done; failed.
    status          TEXT NOT NULL DEFAULT 'pending',
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TIMESTAMPTZ NOT NULL,
    locked_by       TEXT NOT NULL DEFAULT '',
    locked_until    TIMESTAMPTZ,
    last_error      TEXT NOT NULL DEFAULT '',
    created_at      TIMESTAMPTZ NOT NULL,
    finished_at     TIMESTAMPTZ
);
CREATE INDEX order_bulk_jobs_due ON order_bulk_jobs (status, next_attempt_at);

CREATE TABLE order_bulk_items (
    job_id   BIGINT NOT NULL REFERENCES order_bulk_jobs (id) ON DELETE CASCADE,
    order_id BIGINT NOT NULL REFERENCES orders (id) ON DELETE CASCADE,
    -- what the action needs for this order (the tracking import: the
    -- parcels and their tracking numbers).
    param    TEXT NOT NULL DEFAULT '',
    -- '' while to do; changed, refused (the rules said no: message is an
    -- i18n key) or failed (an error: message is its text).
    outcome  TEXT NOT NULL DEFAULT '',
    message  TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (job_id, order_id)
);
CREATE INDEX order_bulk_items_todo ON order_bulk_items (job_id, outcome, order_id);

-- Saved filters of the order list: a name and the list's query string.
CREATE TABLE order_saved_filters (
    id         BIGSERIAL PRIMARY KEY,
    name       TEXT NOT NULL UNIQUE,
    query      TEXT NOT NULL,
    created_by TEXT NOT NULL DEFAULT '',
    created_at TIMESTAMPTZ NOT NULL
);

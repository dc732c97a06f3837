-- Mail magazine (メルマガ). A magazine is composed as a draft, then
-- scheduled: from then on its row is a job on the lease protocol
-- (internal/lease) — status 'pending' while work is left. The worker first
-- lists the segment's customers into magazine_recipients in slices
-- (list_cursor is the last customer ID listed, so a restart goes on where
-- it stopped and memory never holds the list), then sends each recipient
-- under the magazine's lease, throttled to rate_per_minute.
CREATE TABLE magazines (
    id              BIGSERIAL PRIMARY KEY,
    subject         TEXT NOT NULL,
    body_text       TEXT NOT NULL,
    body_html       TEXT NOT NULL DEFAULT '',
    -- segment is the recipients' filter as JSON (magazine.Segment).
    segment         TEXT NOT NULL DEFAULT '{}',
    rate_per_minute INTEGER NOT NULL DEFAULT 600 CHECK (rate_per_minute > 0),
    -- draft; pending (scheduled or sending); sent; cancelled; dead (failed for good).
    status          TEXT NOT NULL DEFAULT 'draft',
    scheduled_at    TIMESTAMPTZ,
    listed          BOOLEAN NOT NULL DEFAULT FALSE,
    list_cursor     BIGINT NOT NULL DEFAULT 0,
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TIMESTAMPTZ NOT NULL,
    locked_by       TEXT NOT NULL DEFAULT '',
    locked_until    TIMESTAMPTZ,
    last_error      TEXT NOT NULL DEFAULT '',
    created_by      TEXT NOT NULL DEFAULT '',
    created_at      TIMESTAMPTZ NOT NULL,
    updated_at      TIMESTAMPTZ NOT NULL,
    started_at      TIMESTAMPTZ,
    finished_at     TIMESTAMPTZ
);
CREATE INDEX magazines_due ON magazines (status, next_attempt_at);

-- One row per recipient of a send: its state is what makes a send
-- survive a crash. status: pending (to do), sent, failed (the server
-- refused it for good), skipped (unsubscribed or suppressed before its
-- turn). sending_at is set just before the SMTP transaction and cleared
-- with the outcome: a row found with it set was interrupted (see
-- docs/MAIL_MAGAZINE.md for what that means for duplicates).
CREATE TABLE magazine_recipients (
    id              BIGSERIAL PRIMARY KEY,
    magazine_id     BIGINT NOT NULL REFERENCES magazines (id) ON DELETE CASCADE,
    customer_id     BIGINT NOT NULL,
    email           TEXT NOT NULL,
    lang            TEXT NOT NULL DEFAULT 'ja',
    status          TEXT NOT NULL DEFAULT 'pending',
    message_id      TEXT NOT NULL DEFAULT '',
    sending_at      TIMESTAMPTZ,
    -- resumed: the send was interrupted once and made again.
    resumed         BOOLEAN NOT NULL DEFAULT FALSE,
    sent_at         TIMESTAMPTZ,
    error           TEXT NOT NULL DEFAULT '',
    unsubscribed_at TIMESTAMPTZ,
    bounced_at      TIMESTAMPTZ,
    UNIQUE (magazine_id, customer_id)
);
CREATE INDEX magazine_recipients_todo ON magazine_recipients (magazine_id, status, id);

-- Addresses the shop no longer mails with marketing: a hard bounce
-- (reason 'bounce') or a complaint. Keyed by the folded address.
CREATE TABLE mail_suppressions (
    email_key  TEXT PRIMARY KEY,
    reason     TEXT NOT NULL,
    detail     TEXT NOT NULL DEFAULT '',
    created_at TIMESTAMPTZ NOT NULL
);

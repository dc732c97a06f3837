-- The outbox: every mail is written here in the transaction of the event
-- that causes it and delivered later by a worker holding a lease, so a
-- crash between commit and send loses nothing and two instances never
-- send the same mail.
CREATE TABLE outbox (
    id              BIGSERIAL PRIMARY KEY,
    event           TEXT NOT NULL,
    lang            TEXT NOT NULL DEFAULT 'ja',
    from_addr       TEXT NOT NULL DEFAULT '',
    to_addr         TEXT NOT NULL,
    subject         TEXT NOT NULL,
    body_text       TEXT NOT NULL,
    body_html       TEXT NOT NULL DEFAULT '',
    -- headers holds extra headers as JSON, e.g. List-Unsubscribe.
    headers         TEXT NOT NULL DEFAULT '{}',
    charset         TEXT NOT NULL DEFAULT 'utf-8',
    marketing       BOOLEAN NOT NULL DEFAULT FALSE,
    status          TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sent', 'dead')),
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TIMESTAMPTZ NOT NULL,
    locked_by       TEXT NOT NULL DEFAULT '',
    locked_until    TIMESTAMPTZ,
    last_error      TEXT NOT NULL DEFAULT '',
    message_id      TEXT NOT NULL DEFAULT '',
    created_at      TIMESTAMPTZ NOT NULL,
    sent_at         TIMESTAMPTZ
);
CREATE INDEX outbox_due ON outbox (status, next_attempt_at);

-- Admin work on orders. version detects concurrent edits: every admin
-- write checks the version the form was loaded with and bumps it, so a
-- second save made from a stale page is refused instead of overwriting.
-- order_notes holds internal notes and the messages sent to the customer
-- from the order (kind 'message', with the subject).
ALTER TABLE orders ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
CREATE INDEX orders_created ON orders (created_at);

CREATE TABLE order_notes (
    id         BIGSERIAL PRIMARY KEY,
    order_id   BIGINT NOT NULL REFERENCES orders (id) ON DELETE CASCADE,
    kind       TEXT NOT NULL CHECK (kind IN ('note', 'message')),
    author     TEXT NOT NULL,
    subject    TEXT NOT NULL DEFAULT '',
    body       TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX order_notes_order ON order_notes (order_id);

-- What a mail is about, for the admin's mail log: the order it concerns
-- (its number, '' for none) and the customer account it was sent for (0
-- for none), written with the mail by the code that composes it, and the
-- outbox row a resent mail copies (0 for an original).
ALTER TABLE outbox ADD COLUMN order_number TEXT NOT NULL DEFAULT '';
ALTER TABLE outbox ADD COLUMN customer_id BIGINT NOT NULL DEFAULT 0;
ALTER TABLE outbox ADD COLUMN resent_from BIGINT NOT NULL DEFAULT 0;
CREATE INDEX outbox_order ON outbox (order_number, id);
CREATE INDEX outbox_customer ON outbox (customer_id, id);
CREATE INDEX outbox_created ON outbox (created_at, id);

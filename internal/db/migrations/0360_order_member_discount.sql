-- The member-rank discount of an order (会員割引): the percentage the
-- customer's rank took off the items' prices at checkout and the amount
-- it came to, kept apart from `discount` (points, coupons, an operator's
-- discount), which is spread over the rates while this one is taken off
-- each rate's items where they are.
ALTER TABLE orders ADD COLUMN member_discount BIGINT NOT NULL DEFAULT 0;
ALTER TABLE orders ADD COLUMN member_percent INTEGER NOT NULL DEFAULT 0;

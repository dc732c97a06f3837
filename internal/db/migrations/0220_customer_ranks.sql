-- Customer ranks (会員ランク): groups of customers such as ゴールド会員 or
-- 法人会員 that the shop treats differently. A rank can carry a discount
-- on item prices that checkout applies to its members; coupons and price
-- lists may be limited to a rank. A customer belongs to at most one rank.
CREATE TABLE customer_ranks (
    id               BIGSERIAL PRIMARY KEY,
    name_ja          TEXT NOT NULL,
    name_en          TEXT NOT NULL DEFAULT '',
    -- discount_percent is taken off every item's price (tax included)
    -- at checkout, 0 for none.
    discount_percent INTEGER NOT NULL DEFAULT 0 CHECK (discount_percent >= 0 AND discount_percent <= 100),
    sort_order       INTEGER NOT NULL DEFAULT 0,
    created_at       TIMESTAMPTZ NOT NULL,
    updated_at       TIMESTAMPTZ NOT NULL
);

ALTER TABLE customers ADD COLUMN rank_id BIGINT REFERENCES customer_ranks (id);
CREATE INDEX customers_rank ON customers (rank_id);

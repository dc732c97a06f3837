-- Recommendations (おすすめ商品): the operator's picks, in their order
-- and for a period, shown on the top page and the product pages.
CREATE TABLE recommended_products (
    id          BIGSERIAL PRIMARY KEY,
    product_id  BIGINT NOT NULL UNIQUE REFERENCES products (id) ON DELETE CASCADE,
    sort_order  INTEGER NOT NULL DEFAULT 0,
    starts_at   TIMESTAMPTZ,
    ends_at     TIMESTAMPTZ,
    created_at  TIMESTAMPTZ NOT NULL,
    updated_at  TIMESTAMPTZ NOT NULL
);

-- "Customers who bought this also bought": per product, the products
-- bought in the same orders, most often first. Written by the worker
-- from the orders changed since the watermark; pages only read it.
CREATE TABLE also_bought (
    product_id  BIGINT NOT NULL REFERENCES products (id) ON DELETE CASCADE,
    other_id    BIGINT NOT NULL REFERENCES products (id) ON DELETE CASCADE,
    orders      BIGINT NOT NULL,
    rank        INTEGER NOT NULL,
    PRIMARY KEY (product_id, other_id)
);
CREATE INDEX also_bought_rank ON also_bought (product_id, rank);

-- The worker's one row: the watermark and the lock that keeps a second
-- instance out while one refreshes (like report_state).
CREATE TABLE also_bought_state (
    id           INTEGER PRIMARY KEY CHECK (id = 1),
    watermark    TIMESTAMPTZ NOT NULL,
    lock_until   TIMESTAMPTZ NOT NULL,
    refreshed_at TIMESTAMPTZ
);
INSERT INTO also_bought_state (id, watermark, lock_until) VALUES (1, '1970-01-01 00:00:00+00:00', '1970-01-01 00:00:00+00:00')
ON CONFLICT (id) DO NOTHING;

-- Product reviews (商品レビュー) by customers who bought the product. A
-- review starts pending; the shop publishes or rejects it and may reply.
-- One review per customer and product; the address it came from is kept
-- for the abuse limits and the moderator, never shown.
CREATE TABLE reviews (
    id           BIGSERIAL PRIMARY KEY,
    product_id   BIGINT NOT NULL REFERENCES products (id) ON DELETE CASCADE,
    customer_id  BIGINT NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
    -- order_id is the purchase that made the review "verified".
    order_id     BIGINT REFERENCES orders (id) ON DELETE SET NULL,
    nickname     TEXT NOT NULL,
    stars        INTEGER NOT NULL CHECK (stars BETWEEN 1 AND 5),
    title        TEXT NOT NULL,
    body         TEXT NOT NULL,
    lang         TEXT NOT NULL DEFAULT 'ja',
    status       TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'published', 'rejected')),
    address      TEXT NOT NULL DEFAULT '',
    reply        TEXT NOT NULL DEFAULT '',
    replied_at   TIMESTAMPTZ,
    moderated_by TEXT NOT NULL DEFAULT '',
    moderated_at TIMESTAMPTZ,
    created_at   TIMESTAMPTZ NOT NULL,
    updated_at   TIMESTAMPTZ NOT NULL,
    UNIQUE (customer_id, product_id)
);
CREATE INDEX reviews_product_status ON reviews (product_id, status, created_at);
CREATE INDEX reviews_status_created ON reviews (status, created_at);

-- Whether a customer bought a product is read from the order lines.
CREATE INDEX order_lines_product_order ON order_lines (product_id, order_id);

-- Identifiers for the Merchant Center feed: the brand of a product and
-- the GTIN (JAN code) of a variant, empty when the product has none.
ALTER TABLE products ADD COLUMN brand TEXT NOT NULL DEFAULT '';
ALTER TABLE variants ADD COLUMN gtin TEXT NOT NULL DEFAULT '';

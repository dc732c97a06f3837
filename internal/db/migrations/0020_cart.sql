-- Carts live in the database so that they survive a restart and work on
-- every instance. The browser holds a random token; only its SHA-256 is
-- stored, so a leaked database does not let anyone take over a cart.
CREATE TABLE carts (
    id          BIGSERIAL PRIMARY KEY,
    token_hash  TEXT NOT NULL UNIQUE,
    -- customer_id is set once customer accounts exist (cart.Merge).
    customer_id BIGINT,
    created_at  TIMESTAMPTZ NOT NULL,
    updated_at  TIMESTAMPTZ NOT NULL
);
CREATE INDEX carts_customer ON carts (customer_id);
CREATE INDEX carts_updated ON carts (updated_at);

CREATE TABLE cart_items (
    cart_id    BIGINT NOT NULL REFERENCES carts (id) ON DELETE CASCADE,
    variant_id BIGINT NOT NULL REFERENCES variants (id) ON DELETE CASCADE,
    qty        INTEGER NOT NULL CHECK (qty > 0),
    added_at   TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (cart_id, variant_id)
);

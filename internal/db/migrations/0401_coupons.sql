-- Coupons (クーポン): a code worth a fixed amount or a percentage off the
-- order or off chosen products/categories. uses counts the orders that
-- used it and is raised by a conditional UPDATE inside the order's
-- transaction, so a coupon with max_uses 100 is never used 101 times.
CREATE TABLE coupons (
    id           BIGSERIAL PRIMARY KEY,
    code         TEXT NOT NULL UNIQUE,
    name         TEXT NOT NULL DEFAULT '',
    kind         TEXT NOT NULL CHECK (kind IN ('fixed', 'percent')),
    amount       BIGINT NOT NULL CHECK (amount > 0),
    -- scope: order (the whole order's items) or items (the targets only)
    scope        TEXT NOT NULL DEFAULT 'order' CHECK (scope IN ('order', 'items')),
    min_amount   BIGINT NOT NULL DEFAULT 0 CHECK (min_amount >= 0),
    starts_at    TIMESTAMPTZ,
    ends_at      TIMESTAMPTZ,
    max_uses     BIGINT CHECK (max_uses IS NULL OR max_uses > 0),
    uses         BIGINT NOT NULL DEFAULT 0 CHECK (uses >= 0),
    per_customer BIGINT CHECK (per_customer IS NULL OR per_customer > 0),
    members_only BOOLEAN NOT NULL DEFAULT FALSE,
    rank_id      BIGINT REFERENCES customer_ranks (id),
    with_points  BOOLEAN NOT NULL DEFAULT TRUE,
    active       BOOLEAN NOT NULL DEFAULT TRUE,
    batch        TEXT NOT NULL DEFAULT '',
    created_at   TIMESTAMPTZ NOT NULL,
    updated_at   TIMESTAMPTZ NOT NULL,
    CHECK (max_uses IS NULL OR uses <= max_uses)
);
CREATE INDEX coupons_batch ON coupons (batch);

CREATE TABLE coupon_targets (
    coupon_id   BIGINT NOT NULL REFERENCES coupons (id) ON DELETE CASCADE,
    product_id  BIGINT REFERENCES products (id) ON DELETE CASCADE,
    category_id BIGINT REFERENCES categories (id) ON DELETE CASCADE
);
CREATE INDEX coupon_targets_coupon ON coupon_targets (coupon_id);

-- One row per order that used a coupon.
CREATE TABLE coupon_uses (
    id         BIGSERIAL PRIMARY KEY,
    coupon_id  BIGINT NOT NULL REFERENCES coupons (id),
    order_id   BIGINT NOT NULL UNIQUE REFERENCES orders (id),
    who        TEXT NOT NULL,
    code       TEXT NOT NULL,
    discount   BIGINT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX coupon_uses_coupon ON coupon_uses (coupon_id, id);

-- Uses per customer ("c:<id>", or "e:<email>" for a guest), raised by a
-- conditional upsert in the order's transaction.
CREATE TABLE coupon_customer_uses (
    coupon_id BIGINT NOT NULL REFERENCES coupons (id) ON DELETE CASCADE,
    who       TEXT NOT NULL,
    uses      BIGINT NOT NULL,
    PRIMARY KEY (coupon_id, who)
);

-- Points (ポイント). The settings (earn rate, grant status, minimum and
-- maximum per order, expiry) are run-time settings under "points.*".
-- A customer's balance is one row, changed only by conditional UPDATEs
-- (balance never below zero), and every change is a ledger row with the
-- balance after it.
CREATE TABLE point_accounts (
    customer_id      BIGINT PRIMARY KEY REFERENCES customers (id) ON DELETE CASCADE,
    balance          BIGINT NOT NULL DEFAULT 0 CHECK (balance >= 0),
    -- last_purchase_at starts the expiry clock: points expire N months
    -- after the customer's last order.
    last_purchase_at TIMESTAMPTZ,
    updated_at       TIMESTAMPTZ NOT NULL
);
CREATE INDEX point_accounts_expiry ON point_accounts (last_purchase_at);

-- kind: earned, spent, expired, adjusted (by an admin, with a reason),
-- revoked (earned points taken back on cancellation or return),
-- refunded (spent points given back on cancellation).
CREATE TABLE point_ledger (
    id          BIGSERIAL PRIMARY KEY,
    customer_id BIGINT NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
    kind        TEXT NOT NULL,
    points      BIGINT NOT NULL,
    balance     BIGINT NOT NULL,
    order_id    BIGINT REFERENCES orders (id),
    reason      TEXT NOT NULL DEFAULT '',
    actor       TEXT NOT NULL DEFAULT '',
    created_at  TIMESTAMPTZ NOT NULL
);
CREATE INDEX point_ledger_customer ON point_ledger (customer_id, id);

-- A product's own earn rate in percent (0: the product earns nothing);
-- products without a row earn the shop's rate.
CREATE TABLE product_points (
    product_id BIGINT PRIMARY KEY REFERENCES products (id) ON DELETE CASCADE,
    rate       INTEGER NOT NULL CHECK (rate >= 0 AND rate <= 100)
);

-- What a member's order spent and will earn. state: pending (earn not
-- granted yet), granted, closed (cancelled or returned: earned points
-- taken back, spent points given back).
CREATE TABLE order_points (
    order_id    BIGINT PRIMARY KEY REFERENCES orders (id),
    customer_id BIGINT NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
    spent       BIGINT NOT NULL DEFAULT 0 CHECK (spent >= 0),
    earn        BIGINT NOT NULL DEFAULT 0 CHECK (earn >= 0),
    state       TEXT NOT NULL DEFAULT 'pending',
    updated_at  TIMESTAMPTZ NOT NULL
);
CREATE INDEX order_points_state ON order_points (state);

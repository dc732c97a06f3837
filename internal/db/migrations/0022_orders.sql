-- Orders. Every amount is tax-included yen; lines keep a snapshot of the
-- product as sold (name, variant, SKU, unit price, rate) so that later
-- catalogue edits never change an order. Per-rate totals are stored as
-- computed at checkout (rounded once per rate), so the order detail and
-- the mail show what the confirmation page showed.
CREATE TABLE orders (
    id                 BIGSERIAL PRIMARY KEY,
    number             TEXT NOT NULL UNIQUE,
    -- idempotency_key comes from the confirmation form: a double click or
    -- a retry finds the order the first submit created.
    idempotency_key    TEXT NOT NULL UNIQUE,
    customer_id        BIGINT,
    status             TEXT NOT NULL CHECK (status IN ('new', 'awaiting_payment', 'paid', 'preparing', 'shipped', 'cancelled', 'returned')),
    lang               TEXT NOT NULL DEFAULT 'ja',
    email              TEXT NOT NULL,
    family_name        TEXT NOT NULL,
    given_name         TEXT NOT NULL,
    family_kana        TEXT NOT NULL,
    given_kana         TEXT NOT NULL,
    phone              TEXT NOT NULL,
    postal_code        TEXT NOT NULL,
    pref               INTEGER NOT NULL CHECK (pref BETWEEN 1 AND 47),
    city               TEXT NOT NULL,
    address1           TEXT NOT NULL,
    address2           TEXT NOT NULL DEFAULT '',
    ship_family_name   TEXT NOT NULL,
    ship_given_name    TEXT NOT NULL,
    ship_family_kana   TEXT NOT NULL,
    ship_given_kana    TEXT NOT NULL,
    ship_phone         TEXT NOT NULL,
    ship_postal_code   TEXT NOT NULL,
    ship_pref          INTEGER NOT NULL CHECK (ship_pref BETWEEN 1 AND 47),
    ship_city          TEXT NOT NULL,
    ship_address1      TEXT NOT NULL,
    ship_address2      TEXT NOT NULL DEFAULT '',
    delivery_method_id BIGINT NOT NULL REFERENCES delivery_methods (id),
    -- delivery_date is YYYY-MM-DD or '' for 指定なし.
    delivery_date      TEXT NOT NULL DEFAULT '',
    delivery_slot      TEXT NOT NULL DEFAULT '',
    payment_method     TEXT NOT NULL CHECK (payment_method IN ('bank_transfer', 'cod', 'card')),
    subtotal           BIGINT NOT NULL,
    delivery_fee       BIGINT NOT NULL,
    cod_fee            BIGINT NOT NULL,
    discount           BIGINT NOT NULL DEFAULT 0,
    total              BIGINT NOT NULL,
    -- rates holds the per-rate totals as JSON: [{"rate":1000,"total":…,"tax":…,"reduced":false}].
    rates              TEXT NOT NULL,
    invoice_number     TEXT NOT NULL DEFAULT '',
    note               TEXT NOT NULL DEFAULT '',
    created_at         TIMESTAMPTZ NOT NULL,
    updated_at         TIMESTAMPTZ NOT NULL
);
CREATE INDEX orders_status_created ON orders (status, created_at);
CREATE INDEX orders_customer ON orders (customer_id);

CREATE TABLE order_lines (
    id          BIGSERIAL PRIMARY KEY,
    order_id    BIGINT NOT NULL REFERENCES orders (id) ON DELETE CASCADE,
    variant_id  BIGINT REFERENCES variants (id) ON DELETE SET NULL,
    product_id  BIGINT,
    name_ja     TEXT NOT NULL,
    name_en     TEXT NOT NULL DEFAULT '',
    variant_ja  TEXT NOT NULL DEFAULT '',
    variant_en  TEXT NOT NULL DEFAULT '',
    sku         TEXT NOT NULL,
    unit_price  BIGINT NOT NULL CHECK (unit_price >= 0),
    tax_rate_bp INTEGER NOT NULL,
    reduced     BOOLEAN NOT NULL DEFAULT FALSE,
    qty         INTEGER NOT NULL CHECK (qty > 0),
    line_total  BIGINT NOT NULL
);
CREATE INDEX order_lines_order ON order_lines (order_id);

CREATE TABLE order_events (
    id          BIGSERIAL PRIMARY KEY,
    order_id    BIGINT NOT NULL REFERENCES orders (id) ON DELETE CASCADE,
    from_status TEXT NOT NULL,
    to_status   TEXT NOT NULL,
    note        TEXT NOT NULL DEFAULT '',
    created_at  TIMESTAMPTZ NOT NULL
);
CREATE INDEX order_events_order ON order_events (order_id);

CREATE TABLE shipments (
    id              BIGSERIAL PRIMARY KEY,
    order_id        BIGINT NOT NULL REFERENCES orders (id) ON DELETE CASCADE,
    carrier         TEXT NOT NULL,
    tracking_number TEXT NOT NULL DEFAULT '',
    shipped_at      TIMESTAMPTZ,
    created_at      TIMESTAMPTZ NOT NULL
);
CREATE INDEX shipments_order ON shipments (order_id);

CREATE TABLE payments (
    id         BIGSERIAL PRIMARY KEY,
    order_id   BIGINT NOT NULL REFERENCES orders (id) ON DELETE CASCADE,
    provider   TEXT NOT NULL,
    method     TEXT NOT NULL,
    -- reference is the provider's ID (a Stripe PaymentIntent), never card data.
    reference  TEXT NOT NULL DEFAULT '',
    amount     BIGINT NOT NULL,
    status     TEXT NOT NULL CHECK (status IN ('pending', 'authorized', 'succeeded', 'failed', 'refunded')),
    error      TEXT NOT NULL DEFAULT '',
    created_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX payments_order ON payments (order_id);

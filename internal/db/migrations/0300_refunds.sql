-- Refunds (返金) and the returns and cancellations behind them. A refund
-- is one credit note (適格返還請求書): its amount per tax rate and the tax
-- in it (rates, JSON as orders.rates), the lines returned, and how the
-- money goes back. A card refund is a job the refund worker runs against
-- the provider after the commit (status pending → succeeded, or failed
-- after its attempts, columns as in payment_captures for internal/lease);
-- a bank transfer or COD refund is a record the shop pays out by hand
-- (status recorded). kind: 'return' (goods came back), 'cancel' (the
-- whole order cancelled), 'adjust' (an edit lowered a paid order's total).
CREATE TABLE refunds (
    id              BIGSERIAL PRIMARY KEY,
    order_id        BIGINT NOT NULL REFERENCES orders (id) ON DELETE CASCADE,
    kind            TEXT NOT NULL CHECK (kind IN ('return', 'cancel', 'adjust')),
    method          TEXT NOT NULL,
    amount          BIGINT NOT NULL CHECK (amount > 0),
    delivery_fee    BIGINT NOT NULL DEFAULT 0 CHECK (delivery_fee >= 0),
    cod_fee         BIGINT NOT NULL DEFAULT 0 CHECK (cod_fee >= 0),
    rates           TEXT NOT NULL,
    reason          TEXT NOT NULL DEFAULT '',
    actor           TEXT NOT NULL DEFAULT '',
    -- reference is the provider's refund ID (re_…) and payment_ref the
    -- PaymentIntent it returns money from.
    payment_ref     TEXT NOT NULL DEFAULT '',
    reference       TEXT NOT NULL DEFAULT '',
    status          TEXT NOT NULL CHECK (status IN ('pending', 'succeeded', 'failed', 'recorded')),
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TIMESTAMPTZ NOT NULL,
    locked_by       TEXT NOT NULL DEFAULT '',
    locked_until    TIMESTAMPTZ,
    last_error      TEXT NOT NULL DEFAULT '',
    created_at      TIMESTAMPTZ NOT NULL,
    done_at         TIMESTAMPTZ
);
CREATE INDEX refunds_order ON refunds (order_id);
CREATE INDEX refunds_due ON refunds (status, next_attempt_at);

-- The lines of a return: a snapshot of the order line (it may be edited
-- later), the quantity that came back, the amount refunded for each unit
-- (at most the unit price: less for a damaged item), and whether the
-- units went back into stock (the operator's choice per line).
CREATE TABLE refund_lines (
    id            BIGSERIAL PRIMARY KEY,
    refund_id     BIGINT NOT NULL REFERENCES refunds (id) ON DELETE CASCADE,
    order_line_id BIGINT REFERENCES order_lines (id) ON DELETE SET NULL,
    name          TEXT NOT NULL,
    sku           TEXT NOT NULL,
    tax_rate_bp   INTEGER NOT NULL,
    reduced       BOOLEAN NOT NULL DEFAULT FALSE,
    qty           INTEGER NOT NULL CHECK (qty > 0),
    unit_amount   BIGINT NOT NULL CHECK (unit_amount >= 0),
    restock       BOOLEAN NOT NULL DEFAULT FALSE
);
CREATE INDEX refund_lines_refund ON refund_lines (refund_id);
CREATE INDEX refund_lines_line ON refund_lines (order_line_id);

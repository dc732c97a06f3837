-- Payment and delivery methods become the operator's (issue 12, item 6).
--
-- Payment methods: an operator may add methods of their own ("manual":
-- paid outside the shop, like 郵便振替 or 現金書留) and the shop gains
-- convenience-store payment (konbini, through the card provider). The
-- CHECK constraints that listed the three original codes on
-- payment_methods.code and orders.payment_method are relaxed to "not
-- empty": PostgreSQL drops them by their default names; SQLite, which
-- cannot drop a constraint, has its stored table definitions rewritten
-- (the documented writable_schema procedure for removing a CHECK;
-- writable_schema = RESET makes this connection re-read them, and the
-- schema cookie the later DDL changes makes every other connection do so).
ALTER TABLE orders DROP CONSTRAINT IF EXISTS orders_payment_method_check; -- postgres only
ALTER TABLE orders ADD CONSTRAINT orders_payment_method_check CHECK (payment_method <> ''); -- postgres only
ALTER TABLE payment_methods DROP CONSTRAINT IF EXISTS payment_methods_code_check; -- postgres only
ALTER TABLE payment_methods ADD CONSTRAINT payment_methods_code_check CHECK (code <> ''); -- postgres only
PRAGMA writable_schema = ON; -- sqlite only
UPDATE sqlite_master SET sql = replace(sql, 'CHECK (payment_method IN (''bank_transfer'', ''cod'', ''card''))', 'CHECK (payment_method <> '''')') WHERE type = 'table' AND name = 'orders'; -- sqlite only
UPDATE sqlite_master SET sql = replace(sql, 'CHECK (code IN (''bank_transfer'', ''cod'', ''card''))', 'CHECK (code <> '''')') WHERE type = 'table' AND name = 'payment_methods'; -- sqlite only
PRAGMA writable_schema = RESET; -- sqlite only

-- kind is what the shop does with a method: 'card' and 'konbini' go
-- through the provider, 'cod' is collected by the carrier,
-- 'bank_transfer' and 'manual' are paid to the shop and marked paid by
-- the operator. The four built-in methods have code = kind.
ALTER TABLE payment_methods ADD COLUMN kind TEXT NOT NULL DEFAULT 'manual' CHECK (kind IN ('bank_transfer', 'cod', 'card', 'konbini', 'manual'));
UPDATE payment_methods SET kind = code;
-- fee_type: 'flat' (fee), 'tiers' (payment_fee_tiers by the amount),
-- 'pref' (payment_fee_prefs by the delivery prefecture, fee where none).
-- free_over > 0: no fee when the amount is at least free_over.
ALTER TABLE payment_methods ADD COLUMN fee_type TEXT NOT NULL DEFAULT 'flat' CHECK (fee_type IN ('flat', 'tiers', 'pref'));
ALTER TABLE payment_methods ADD COLUMN free_over BIGINT NOT NULL DEFAULT 0 CHECK (free_over >= 0);
-- expires_days: how long konbini payment instructions stay valid.
ALTER TABLE payment_methods ADD COLUMN expires_days INTEGER NOT NULL DEFAULT 3 CHECK (expires_days BETWEEN 1 AND 60);
ALTER TABLE payment_methods ADD COLUMN description_ja TEXT NOT NULL DEFAULT '';
ALTER TABLE payment_methods ADD COLUMN description_en TEXT NOT NULL DEFAULT '';

-- A fee by the amount: up to and including up_to, fee. An amount above
-- the last tier cannot be paid with the method.
CREATE TABLE payment_fee_tiers (
    method_code TEXT NOT NULL REFERENCES payment_methods (code) ON DELETE CASCADE,
    up_to       BIGINT NOT NULL CHECK (up_to > 0),
    fee         BIGINT NOT NULL CHECK (fee >= 0),
    PRIMARY KEY (method_code, up_to)
);

CREATE TABLE payment_fee_prefs (
    method_code TEXT NOT NULL REFERENCES payment_methods (code) ON DELETE CASCADE,
    pref        INTEGER NOT NULL CHECK (pref BETWEEN 1 AND 47),
    fee         BIGINT NOT NULL CHECK (fee >= 0),
    PRIMARY KEY (method_code, pref)
);

-- The delivery methods a payment method combines with; none listed: all.
CREATE TABLE payment_delivery (
    method_code        TEXT NOT NULL REFERENCES payment_methods (code) ON DELETE CASCADE,
    delivery_method_id BIGINT NOT NULL REFERENCES delivery_methods (id) ON DELETE CASCADE,
    PRIMARY KEY (method_code, delivery_method_id)
);

-- COD's "fee 0 = the carrier's tiers" (0056) becomes explicit tiers the
-- operator can edit.
INSERT INTO payment_fee_tiers (method_code, up_to, fee)
SELECT code, v.column1, v.column2 FROM payment_methods JOIN (VALUES
    (10000, 330), (30000, 440), (100000, 660), (300000, 1100)
) AS v ON TRUE WHERE code = 'cod' AND fee = 0;
UPDATE payment_methods SET fee_type = 'tiers' WHERE code = 'cod' AND fee = 0;

-- Stripe's konbini accepts ¥120 to ¥300,000; off until the operator
-- turns it on (it needs the card provider's key and a webhook secret).
INSERT INTO payment_methods (code, name_ja, name_en, fee, min_amount, max_amount, active, sort_order, kind)
VALUES ('konbini', 'コンビニ決済', 'Convenience store payment', 0, 120, 300000, FALSE, 4, 'konbini');

-- The payment instructions of a konbini order, as the provider gave
-- them; paid_at or cancelled_at is set when the order is settled.
CREATE TABLE konbini_payments (
    order_id      BIGINT PRIMARY KEY REFERENCES orders (id) ON DELETE CASCADE,
    intent_id     TEXT NOT NULL UNIQUE,
    expires_at    TIMESTAMPTZ NOT NULL,
    voucher_url   TEXT NOT NULL DEFAULT '',
    -- stores: JSON [{"store":"lawson","confirmation_number":"…","payment_code":"…"}]
    stores        TEXT NOT NULL DEFAULT '[]',
    paid_at       TIMESTAMPTZ,
    cancelled_at  TIMESTAMPTZ
);
CREATE INDEX konbini_payments_open ON konbini_payments (expires_at);

-- Delivery methods: days the shop needs before handing a parcel to this
-- carrier (added to the products' lead days).
ALTER TABLE delivery_methods ADD COLUMN lead_days INTEGER NOT NULL DEFAULT 0 CHECK (lead_days BETWEEN 0 AND 60);

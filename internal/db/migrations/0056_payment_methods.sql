-- Payment methods the operator enables, with their fee and the order
-- amounts they accept (tax-included yen; max_amount 0 = no upper limit).
-- The COD fee, when fee is 0, follows the carrier's tiers
-- (delivery.CODFee). The card provider's secret key is not here: it is
-- sealed in the settings table (settings.PaymentCardKeySealed).
CREATE TABLE payment_methods (
    code       TEXT PRIMARY KEY CHECK (code IN ('bank_transfer', 'cod', 'card')),
    name_ja    TEXT NOT NULL,
    name_en    TEXT NOT NULL,
    fee        BIGINT NOT NULL DEFAULT 0 CHECK (fee >= 0),
    min_amount BIGINT NOT NULL DEFAULT 0 CHECK (min_amount >= 0),
    max_amount BIGINT NOT NULL DEFAULT 0 CHECK (max_amount >= 0),
    active     BOOLEAN NOT NULL DEFAULT TRUE,
    sort_order INTEGER NOT NULL DEFAULT 0
);
INSERT INTO payment_methods (code, name_ja, name_en, fee, min_amount, max_amount, active, sort_order) VALUES
    ('card', 'クレジットカード', 'Credit card', 0, 0, 0, TRUE, 1),
    ('bank_transfer', '銀行振込', 'Bank transfer', 0, 0, 0, TRUE, 2),
    ('cod', '代金引換', 'Cash on delivery', 0, 0, 300000, TRUE, 3);

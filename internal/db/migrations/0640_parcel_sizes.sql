-- Delivery fees by parcel size (issue 12): a product's size class, the
-- carriers' 60/80/100/120/140/160 サイズ (sum of the box's three sides in
-- cm); NULL for a product without one, which counts as the smallest.
ALTER TABLE products ADD COLUMN parcel_size INTEGER CHECK (parcel_size IN (60, 80, 100, 120, 140, 160));

-- A method with fee_by_size charges from delivery_size_fees (size ×
-- prefecture) instead of delivery_fees (prefecture only). A size and
-- prefecture without a row is not delivered by the method.
ALTER TABLE delivery_methods ADD COLUMN fee_by_size BOOLEAN NOT NULL DEFAULT FALSE;

CREATE TABLE delivery_size_fees (
    method_id BIGINT NOT NULL REFERENCES delivery_methods (id) ON DELETE CASCADE,
    size      INTEGER NOT NULL CHECK (size IN (60, 80, 100, 120, 140, 160)),
    pref      INTEGER NOT NULL CHECK (pref BETWEEN 1 AND 47),
    fee       BIGINT NOT NULL CHECK (fee >= 0),
    PRIMARY KEY (method_id, size, pref)
);

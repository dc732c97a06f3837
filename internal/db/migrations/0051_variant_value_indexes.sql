-- Deleting an axis value checks the variants that point at it (ON DELETE
-- RESTRICT); without these indexes that is a scan of every variant.
CREATE INDEX variants_value1 ON variants (value1_id);
CREATE INDEX variants_value2 ON variants (value2_id);

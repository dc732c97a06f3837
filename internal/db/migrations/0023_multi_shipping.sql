-- Multiple shipping: an order's goods may go to several addresses, each a
-- shipment with its own recipient, delivery method, date, time slot and
-- fee, and later its own tracking number. Every order placed from now on
-- has at least one shipment row from the start (shipped_at NULL until it
-- leaves); orders.ship_* and delivery_* keep the first destination so
-- lists and older readers need no join.
ALTER TABLE shipments ADD COLUMN seq INTEGER NOT NULL DEFAULT 1;
ALTER TABLE shipments ADD COLUMN family_name TEXT NOT NULL DEFAULT '';
ALTER TABLE shipments ADD COLUMN given_name TEXT NOT NULL DEFAULT '';
ALTER TABLE shipments ADD COLUMN family_kana TEXT NOT NULL DEFAULT '';
ALTER TABLE shipments ADD COLUMN given_kana TEXT NOT NULL DEFAULT '';
ALTER TABLE shipments ADD COLUMN phone TEXT NOT NULL DEFAULT '';
ALTER TABLE shipments ADD COLUMN postal_code TEXT NOT NULL DEFAULT '';
-- pref 0: a shipment recorded without an address (order.AddShipment).
ALTER TABLE shipments ADD COLUMN pref INTEGER NOT NULL DEFAULT 0;
ALTER TABLE shipments ADD COLUMN city TEXT NOT NULL DEFAULT '';
ALTER TABLE shipments ADD COLUMN address1 TEXT NOT NULL DEFAULT '';
ALTER TABLE shipments ADD COLUMN address2 TEXT NOT NULL DEFAULT '';
ALTER TABLE shipments ADD COLUMN delivery_method_id BIGINT REFERENCES delivery_methods (id);
ALTER TABLE shipments ADD COLUMN delivery_date TEXT NOT NULL DEFAULT '';
ALTER TABLE shipments ADD COLUMN delivery_slot TEXT NOT NULL DEFAULT '';
ALTER TABLE shipments ADD COLUMN fee BIGINT NOT NULL DEFAULT 0;

-- Which quantities of which order lines go in a shipment.
CREATE TABLE shipment_items (
    shipment_id   BIGINT NOT NULL REFERENCES shipments (id) ON DELETE CASCADE,
    order_line_id BIGINT NOT NULL REFERENCES order_lines (id) ON DELETE CASCADE,
    qty           INTEGER NOT NULL CHECK (qty > 0),
    PRIMARY KEY (shipment_id, order_line_id)
);
CREATE INDEX shipment_items_line ON shipment_items (order_line_id);

-- The admin's product list filters by stock state ("in stock", "few
-- left", "sold out": a product is in a state when one of its active
-- variants is). Probing every product's variants made those filters
-- answer in seconds at 100,000 products, so each product carries how
-- many of its active variants are in each state, kept by triggers on
-- variants: every writer of stock (checkout, cancellations, order edits,
-- refunds, the admin's saves, the CSV import, deletes) moves the counts
-- in its own transaction, and no writer can forget to. The thresholds
-- are catalog.FewLeft (5): in = unlimited or more than 5, low = 1..5,
-- out = 0. These are derived counts, not rules: nothing else reads them.
ALTER TABLE products ADD COLUMN stock_in INTEGER NOT NULL DEFAULT 0;
ALTER TABLE products ADD COLUMN stock_low INTEGER NOT NULL DEFAULT 0;
ALTER TABLE products ADD COLUMN stock_out INTEGER NOT NULL DEFAULT 0;

UPDATE products SET
    stock_in = (SELECT COUNT(*) FROM variants v WHERE v.product_id = products.id AND v.active AND (v.stock IS NULL OR v.stock > 5)),
    stock_low = (SELECT COUNT(*) FROM variants v WHERE v.product_id = products.id AND v.active AND v.stock > 0 AND v.stock <= 5),
    stock_out = (SELECT COUNT(*) FROM variants v WHERE v.product_id = products.id AND v.active AND v.stock = 0);

-- A stock filter, alone or with the status, walks a partial index that
-- holds only the products in that state, in ID order: the page's 30 IDs
-- come without a sort and the count without reading a product row. The
-- status pair names the ID so that it covers the query: otherwise
-- SQLite (no statistics) ties it with products_status and may walk every
-- product of the status instead.
CREATE INDEX products_stock_in ON products (id) WHERE stock_in > 0;
CREATE INDEX products_stock_low ON products (id) WHERE stock_low > 0;
CREATE INDEX products_stock_out ON products (id) WHERE stock_out > 0;
CREATE INDEX products_status_stock_in ON products (status, id) WHERE stock_in > 0;
CREATE INDEX products_status_stock_low ON products (status, id) WHERE stock_low > 0;
CREATE INDEX products_status_stock_out ON products (status, id) WHERE stock_out > 0;
-- A status filter's page in ID order (status, then the row ID).
CREATE INDEX products_status ON products (status);
-- SQLite walks the whole table's rows (descriptions and all) to skip an
-- offset in ID order; this narrow index has the IDs alone. PostgreSQL's
-- primary key index already is that.
CREATE INDEX products_id ON products (id); -- sqlite only

-- SQLite: one trigger per event; an update fires only when a variant
-- changes state (a sale from 40 to 39 left does not touch products).
CREATE TRIGGER variants_stock_counts_insert AFTER INSERT ON variants BEGIN UPDATE products SET stock_in = stock_in + (CASE WHEN NEW.active AND (NEW.stock IS NULL OR NEW.stock > 5) THEN 1 ELSE 0 END), stock_low = stock_low + (CASE WHEN NEW.active AND NEW.stock > 0 AND NEW.stock <= 5 THEN 1 ELSE 0 END), stock_out = stock_out + (CASE WHEN NEW.active AND NEW.stock = 0 THEN 1 ELSE 0 END) WHERE id = NEW.product_id; END; -- sqlite only
CREATE TRIGGER variants_stock_counts_delete AFTER DELETE ON variants BEGIN UPDATE products SET stock_in = stock_in - (CASE WHEN OLD.active AND (OLD.stock IS NULL OR OLD.stock > 5) THEN 1 ELSE 0 END), stock_low = stock_low - (CASE WHEN OLD.active AND OLD.stock > 0 AND OLD.stock <= 5 THEN 1 ELSE 0 END), stock_out = stock_out - (CASE WHEN OLD.active AND OLD.stock = 0 THEN 1 ELSE 0 END) WHERE id = OLD.product_id; END; -- sqlite only
CREATE TRIGGER variants_stock_counts_update AFTER UPDATE OF stock, active, product_id ON variants WHEN OLD.product_id <> NEW.product_id OR OLD.active <> NEW.active OR (CASE WHEN OLD.stock IS NULL OR OLD.stock > 5 THEN 1 WHEN OLD.stock > 0 THEN 2 ELSE 3 END) <> (CASE WHEN NEW.stock IS NULL OR NEW.stock > 5 THEN 1 WHEN NEW.stock > 0 THEN 2 ELSE 3 END) BEGIN UPDATE products SET stock_in = stock_in - (CASE WHEN OLD.active AND (OLD.stock IS NULL OR OLD.stock > 5) THEN 1 ELSE 0 END), stock_low = stock_low - (CASE WHEN OLD.active AND OLD.stock > 0 AND OLD.stock <= 5 THEN 1 ELSE 0 END), stock_out = stock_out - (CASE WHEN OLD.active AND OLD.stock = 0 THEN 1 ELSE 0 END) WHERE id = OLD.product_id; UPDATE products SET stock_in = stock_in + (CASE WHEN NEW.active AND (NEW.stock IS NULL OR NEW.stock > 5) THEN 1 ELSE 0 END), stock_low = stock_low + (CASE WHEN NEW.active AND NEW.stock > 0 AND NEW.stock <= 5 THEN 1 ELSE 0 END), stock_out = stock_out + (CASE WHEN NEW.active AND NEW.stock = 0 THEN 1 ELSE 0 END) WHERE id = NEW.product_id; END; -- sqlite only

-- PostgreSQL: one function, the same three triggers.
CREATE FUNCTION variants_stock_counts() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN IF TG_OP <> 'INSERT' THEN UPDATE products SET stock_in = stock_in - (CASE WHEN OLD.active AND (OLD.stock IS NULL OR OLD.stock > 5) THEN 1 ELSE 0 END), stock_low = stock_low - (CASE WHEN OLD.active AND OLD.stock > 0 AND OLD.stock <= 5 THEN 1 ELSE 0 END), stock_out = stock_out - (CASE WHEN OLD.active AND OLD.stock = 0 THEN 1 ELSE 0 END) WHERE id = OLD.product_id; END IF; IF TG_OP <> 'DELETE' THEN UPDATE products SET stock_in = stock_in + (CASE WHEN NEW.active AND (NEW.stock IS NULL OR NEW.stock > 5) THEN 1 ELSE 0 END), stock_low = stock_low + (CASE WHEN NEW.active AND NEW.stock > 0 AND NEW.stock <= 5 THEN 1 ELSE 0 END), stock_out = stock_out + (CASE WHEN NEW.active AND NEW.stock = 0 THEN 1 ELSE 0 END) WHERE id = NEW.product_id; END IF; RETURN NULL; END $$; -- postgres only
CREATE TRIGGER variants_stock_counts_insert AFTER INSERT ON variants FOR EACH ROW EXECUTE FUNCTION variants_stock_counts(); -- postgres only
CREATE TRIGGER variants_stock_counts_delete AFTER DELETE ON variants FOR EACH ROW EXECUTE FUNCTION variants_stock_counts(); -- postgres only
CREATE TRIGGER variants_stock_counts_update AFTER UPDATE OF stock, active, product_id ON variants FOR EACH ROW WHEN (OLD.product_id <> NEW.product_id OR OLD.active <> NEW.active OR (CASE WHEN OLD.stock IS NULL OR OLD.stock > 5 THEN 1 WHEN OLD.stock > 0 THEN 2 ELSE 3 END) <> (CASE WHEN NEW.stock IS NULL OR NEW.stock > 5 THEN 1 WHEN NEW.stock > 0 THEN 2 ELSE 3 END)) EXECUTE FUNCTION variants_stock_counts(); -- postgres only

-- Class masters (規格管理): reusable class names with their values, e.g.
-- サイズ S/M/L or 色, that a product's variant axes are made from. An
-- axis and its values remember the master they were made from, so a
-- master value in use is not deleted from under a product.
CREATE TABLE class_names (
    id         BIGSERIAL PRIMARY KEY,
    name_ja    TEXT NOT NULL UNIQUE,
    name_en    TEXT NOT NULL DEFAULT '',
    sort_order INTEGER NOT NULL DEFAULT 0,
    created_at TIMESTAMPTZ NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL
);

CREATE TABLE class_values (
    id         BIGSERIAL PRIMARY KEY,
    class_id   BIGINT NOT NULL REFERENCES class_names (id) ON DELETE CASCADE,
    name_ja    TEXT NOT NULL,
    name_en    TEXT NOT NULL DEFAULT '',
    sort_order INTEGER NOT NULL DEFAULT 0,
    UNIQUE (class_id, name_ja)
);

ALTER TABLE variant_axes ADD COLUMN class_id BIGINT REFERENCES class_names (id) ON DELETE SET NULL;
ALTER TABLE axis_values ADD COLUMN class_value_id BIGINT REFERENCES class_values (id);
CREATE INDEX axis_values_class_value ON axis_values (class_value_id);

-- Scheduled publishing: a public product is shown and sold only from
-- publish_from (inclusive) until publish_until (exclusive); NULL is
-- open-ended. Stored in UTC; the admin shows JST.
ALTER TABLE products ADD COLUMN publish_from TIMESTAMPTZ;
ALTER TABLE products ADD COLUMN publish_until TIMESTAMPTZ;
CREATE INDEX products_publish_from ON products (publish_from);
CREATE INDEX products_publish_until ON products (publish_until);

-- Sale price (セール価格) per variant, excluding tax, charged during the
-- product's sale period only [sale_from, sale_until).
ALTER TABLE variants ADD COLUMN sale_price BIGINT CHECK (sale_price IS NULL OR sale_price >= 0);
ALTER TABLE products ADD COLUMN sale_from TIMESTAMPTZ;
ALTER TABLE products ADD COLUMN sale_until TIMESTAMPTZ;
CREATE INDEX products_sale_from ON products (sale_from);
CREATE INDEX products_sale_until ON products (sale_until);

-- Related products (関連商品), chosen on the product form, in order.
CREATE TABLE related_products (
    product_id BIGINT NOT NULL REFERENCES products (id) ON DELETE CASCADE,
    related_id BIGINT NOT NULL REFERENCES products (id) ON DELETE CASCADE,
    sort_order INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (product_id, related_id)
);
CREATE INDEX related_products_related ON related_products (related_id);

-- The admin list's low-stock and sold-out filters read the few variants
-- in that stock range instead of every product's variants.
CREATE INDEX variants_stock ON variants (stock, product_id);

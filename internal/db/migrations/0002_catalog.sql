-- The catalogue. Prices are stored excluding tax, in whole yen; the
-- tax-included price a customer sees is computed with the rate in force
-- (tax_rules) and the shop's rounding mode, so a scheduled rate change
-- needs no price edits.

CREATE TABLE tax_rules (
    id             BIGSERIAL PRIMARY KEY,
    tax_class      TEXT NOT NULL CHECK (tax_class IN ('standard', 'reduced')),
    rate_bp        INTEGER NOT NULL CHECK (rate_bp >= 0 AND rate_bp <= 10000),
    effective_from TIMESTAMPTZ NOT NULL,
    UNIQUE (tax_class, effective_from)
);

CREATE TABLE categories (
    id         BIGSERIAL PRIMARY KEY,
    parent_id  BIGINT REFERENCES categories (id) ON DELETE RESTRICT,
    slug       TEXT NOT NULL UNIQUE,
    name_ja    TEXT NOT NULL,
    name_en    TEXT NOT NULL DEFAULT '',
    sort_order INTEGER NOT NULL DEFAULT 0,
    created_at TIMESTAMPTZ NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX categories_parent ON categories (parent_id, sort_order);

CREATE TABLE products (
    id             BIGSERIAL PRIMARY KEY,
    slug           TEXT NOT NULL UNIQUE,
    status         TEXT NOT NULL CHECK (status IN ('public', 'private', 'archived')),
    name_ja        TEXT NOT NULL,
    name_en        TEXT NOT NULL DEFAULT '',
    description_ja TEXT NOT NULL DEFAULT '',
    description_en TEXT NOT NULL DEFAULT '',
    free_area_ja   TEXT NOT NULL DEFAULT '',
    free_area_en   TEXT NOT NULL DEFAULT '',
    search_words   TEXT NOT NULL DEFAULT '',
    -- search_text is the folded (NFKC, katakana, lower-case) text that
    -- keyword search matches with LIKE: names, search words and SKUs.
    search_text    TEXT NOT NULL DEFAULT '',
    tax_class      TEXT NOT NULL DEFAULT 'standard' CHECK (tax_class IN ('standard', 'reduced')),
    featured       BOOLEAN NOT NULL DEFAULT FALSE,
    -- price_min/price_max (excluding tax) over active variants, kept by the
    -- store so listings sort by price without a join.
    price_min      BIGINT NOT NULL DEFAULT 0,
    price_max      BIGINT NOT NULL DEFAULT 0,
    version        INTEGER NOT NULL DEFAULT 1,
    created_at     TIMESTAMPTZ NOT NULL,
    updated_at     TIMESTAMPTZ NOT NULL
);
CREATE INDEX products_status_created ON products (status, created_at);
CREATE INDEX products_status_price ON products (status, price_min);

CREATE TABLE product_categories (
    product_id  BIGINT NOT NULL REFERENCES products (id) ON DELETE CASCADE,
    category_id BIGINT NOT NULL REFERENCES categories (id) ON DELETE CASCADE,
    PRIMARY KEY (product_id, category_id)
);
CREATE INDEX product_categories_category ON product_categories (category_id, product_id);

CREATE TABLE tags (
    id      BIGSERIAL PRIMARY KEY,
    slug    TEXT NOT NULL UNIQUE,
    name_ja TEXT NOT NULL,
    name_en TEXT NOT NULL DEFAULT ''
);

CREATE TABLE product_tags (
    product_id BIGINT NOT NULL REFERENCES products (id) ON DELETE CASCADE,
    tag_id     BIGINT NOT NULL REFERENCES tags (id) ON DELETE CASCADE,
    PRIMARY KEY (product_id, tag_id)
);

-- Up to two variant axes per product (規格1, 規格2), e.g. colour × size.
CREATE TABLE variant_axes (
    id         BIGSERIAL PRIMARY KEY,
    product_id BIGINT NOT NULL REFERENCES products (id) ON DELETE CASCADE,
    position   INTEGER NOT NULL CHECK (position IN (1, 2)),
    name_ja    TEXT NOT NULL,
    name_en    TEXT NOT NULL DEFAULT '',
    UNIQUE (product_id, position)
);

CREATE TABLE axis_values (
    id         BIGSERIAL PRIMARY KEY,
    axis_id    BIGINT NOT NULL REFERENCES variant_axes (id) ON DELETE CASCADE,
    name_ja    TEXT NOT NULL,
    name_en    TEXT NOT NULL DEFAULT '',
    sort_order INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX axis_values_axis ON axis_values (axis_id, sort_order);

-- A variant is a SKU: one combination of axis values (or none).
CREATE TABLE variants (
    id         BIGSERIAL PRIMARY KEY,
    product_id BIGINT NOT NULL REFERENCES products (id) ON DELETE CASCADE,
    sku        TEXT NOT NULL UNIQUE,
    value1_id  BIGINT REFERENCES axis_values (id) ON DELETE RESTRICT,
    value2_id  BIGINT REFERENCES axis_values (id) ON DELETE RESTRICT,
    price      BIGINT NOT NULL CHECK (price >= 0),
    list_price BIGINT CHECK (list_price IS NULL OR list_price >= 0),
    -- stock NULL means unlimited.
    stock      INTEGER CHECK (stock IS NULL OR stock >= 0),
    sale_limit INTEGER CHECK (sale_limit IS NULL OR sale_limit > 0),
    lead_days  INTEGER NOT NULL DEFAULT 1 CHECK (lead_days >= 0),
    sort_order INTEGER NOT NULL DEFAULT 0,
    active     BOOLEAN NOT NULL DEFAULT TRUE,
    version    INTEGER NOT NULL DEFAULT 1,
    created_at TIMESTAMPTZ NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX variants_product ON variants (product_id, sort_order);

CREATE TABLE product_images (
    id         BIGSERIAL PRIMARY KEY,
    product_id BIGINT NOT NULL REFERENCES products (id) ON DELETE CASCADE,
    -- key names the file in the image store (local disk or S3).
    key        TEXT NOT NULL,
    alt_ja     TEXT NOT NULL DEFAULT '',
    alt_en     TEXT NOT NULL DEFAULT '',
    width      INTEGER NOT NULL DEFAULT 0,
    height     INTEGER NOT NULL DEFAULT 0,
    sort_order INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX product_images_product ON product_images (product_id, sort_order);

-- Stored image bytes, for the default store and for generated demo images,
-- so one database file holds a whole shop.
CREATE TABLE image_blobs (
    key          TEXT PRIMARY KEY,
    content_type TEXT NOT NULL,
    data         BYTEA NOT NULL,
    created_at   TIMESTAMPTZ NOT NULL
);

-- Dated tax rates for one product or one category (EC-CUBE's 商品別税率
-- and a category-wide rate). catalog.TaxRules.RateFor resolves a line's
-- rate: the product's own rule in force, else the rule in force of one
-- of its categories, else the shop's rule for the product's tax class.
CREATE TABLE product_tax_rules (
    product_id     BIGINT NOT NULL REFERENCES products (id) ON DELETE CASCADE,
    rate_bp        INTEGER NOT NULL CHECK (rate_bp >= 0 AND rate_bp <= 10000),
    effective_from TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (product_id, effective_from)
);

CREATE TABLE category_tax_rules (
    category_id    BIGINT NOT NULL REFERENCES categories (id) ON DELETE CASCADE,
    rate_bp        INTEGER NOT NULL CHECK (rate_bp >= 0 AND rate_bp <= 10000),
    effective_from TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (category_id, effective_from)
);

-- The storefront's keyword index (docs/PERFORMANCE.md, "Search index"):
-- one row per distinct term of a public product, written by
-- catalog.RefreshProducts in the transaction that changes the product.
-- Terms are the folded text's single characters and character pairs
-- (so 茶, 緑茶 and 急須 are found without a morphological analyser) and
-- ASCII words with their prefixes of three letters or more. weight is 2
-- when the term is in the product's name, 1 when only elsewhere (search
-- words, SKUs); sort_new (created_at in microseconds) and price_key
-- (tax-included price × 10,000) let a page of hits be read in index
-- order without touching products.
CREATE TABLE search_postings (
    term       TEXT     NOT NULL,
    weight     SMALLINT NOT NULL,
    sort_new   BIGINT   NOT NULL,
    product_id BIGINT   NOT NULL REFERENCES products (id) ON DELETE CASCADE,
    price_key  BIGINT   NOT NULL,
    PRIMARY KEY (term, weight, sort_new, product_id, price_key)
);
CREATE INDEX search_postings_product ON search_postings (product_id);

-- The index version a product was last indexed with; akinai serve indexes
-- products below catalog.SearchIndexVersion at start (existing shops).
ALTER TABLE products ADD COLUMN search_indexed INTEGER NOT NULL DEFAULT 0;

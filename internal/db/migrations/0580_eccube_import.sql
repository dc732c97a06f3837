-- The EC-CUBE importer (akinai import eccube, internal/eccube) remembers
-- what it brought over: one row per source row and kind ("product",
-- "product_class", "customer", "order", …) naming the Akinai row it
-- became. A second run updates what is mapped and adds what is not, so
-- an interrupted import resumes and a repeated one never duplicates; the
-- old-URL redirects (/products/detail/{id}, /products/list?category_id=)
-- read the same table.
CREATE TABLE eccube_map (
    kind        TEXT NOT NULL,
    old_id      TEXT NOT NULL,
    new_id      BIGINT NOT NULL,
    imported_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (kind, old_id)
);
CREATE INDEX eccube_map_new ON eccube_map (kind, new_id);

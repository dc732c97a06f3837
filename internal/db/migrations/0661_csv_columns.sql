-- The operator's columns for every CSV export the admin offers (EC-CUBE's
-- CSV出力項目設定), one table for all export types (internal/csvcols):
-- which columns, in which order, under which heading ('' = the column's
-- own heading). No rows for an export type means every column in its
-- default order. The order exports' choices move over from
-- order_csv_columns (migration 0172) under the same type names.
CREATE TABLE csv_columns (
    export_type TEXT NOT NULL,
    position    INTEGER NOT NULL,
    column_key  TEXT NOT NULL,
    heading     TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (export_type, position)
);

INSERT INTO csv_columns (export_type, position, column_key, heading)
SELECT export_type, position, column_key, heading FROM order_csv_columns;

DROP TABLE order_csv_columns;

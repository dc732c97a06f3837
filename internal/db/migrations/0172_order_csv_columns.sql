-- The operator's choice of columns for each order CSV export (EC-CUBE's
-- CSV出力項目設定): which columns, in which order, under which heading
-- ('' = the column's own name in the reader's language). No rows for an
-- export type means every column in its default order.
CREATE TABLE order_csv_columns (
    export_type TEXT NOT NULL,
    position    INTEGER NOT NULL,
    column_key  TEXT NOT NULL,
    heading     TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (export_type, position)
);

-- Settings an operator edits at run time: shop information, the secret
-- admin path, rounding mode, invoice registration number, …
CREATE TABLE settings (
    key        TEXT PRIMARY KEY,
    value      TEXT NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL
);

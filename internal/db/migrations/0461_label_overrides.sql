-- The operator's own names for master labels (EC-CUBE's マスタデータ管理):
-- gender choices, customer statuses. A row replaces the built-in name of
-- one message key in one language; the codes stored on customers never
-- change, so renaming is always safe.
CREATE TABLE label_overrides (
    key        TEXT NOT NULL,
    lang       TEXT NOT NULL CHECK (lang IN ('ja', 'en')),
    value      TEXT NOT NULL,
    updated_by TEXT NOT NULL DEFAULT '',
    updated_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (key, lang)
);

-- CSV imports of the catalogue in progress: the uploaded file is kept
-- here, in chunks, between the dry run and the confirmed import, so any
-- instance can show the result and nothing is held in memory.
CREATE TABLE catalog_imports (
    token       TEXT PRIMARY KEY,
    kind        TEXT NOT NULL CHECK (kind IN ('products', 'categories')),
    admin_id    BIGINT NOT NULL,
    filename    TEXT NOT NULL DEFAULT '',
    -- checking → checked → importing → done | failed
    status      TEXT NOT NULL,
    total_rows  INTEGER NOT NULL DEFAULT 0,
    items       INTEGER NOT NULL DEFAULT 0,
    error_count INTEGER NOT NULL DEFAULT 0,
    -- errors holds the first errors as JSON: [{"Row":…,"Column":…,"Key":…,"Arg":…}]
    errors      TEXT NOT NULL DEFAULT '[]',
    created_at  TIMESTAMPTZ NOT NULL,
    updated_at  TIMESTAMPTZ NOT NULL
);

CREATE TABLE catalog_import_chunks (
    token TEXT NOT NULL REFERENCES catalog_imports (token) ON DELETE CASCADE,
    seq   INTEGER NOT NULL,
    data  BYTEA NOT NULL,
    PRIMARY KEY (token, seq)
);

-- Customer CSV imports (会員CSV登録): the uploaded file is kept between
-- the dry run and the import, by and for the admin who uploaded it. It
-- holds personal data, so it is emptied when the import is done and the
-- row is deleted a day after upload in any case.
CREATE TABLE customer_imports (
    id          BIGSERIAL PRIMARY KEY,
    admin_id    BIGINT NOT NULL,
    filename    TEXT NOT NULL DEFAULT '',
    data        BYTEA NOT NULL,
    -- checked → importing → done | failed
    status      TEXT NOT NULL CHECK (status IN ('checked', 'importing', 'done', 'failed')),
    send_links  BOOLEAN NOT NULL DEFAULT FALSE,
    created     INTEGER NOT NULL DEFAULT 0,
    failed_line INTEGER NOT NULL DEFAULT 0,
    created_at  TIMESTAMPTZ NOT NULL,
    updated_at  TIMESTAMPTZ NOT NULL
);
CREATE INDEX customer_imports_created ON customer_imports (created_at);

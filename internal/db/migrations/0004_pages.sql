-- Shop pages (特定商取引法に基づく表記, privacy policy, company, and any
-- page the operator adds). Bodies are in Akinai's small safe markup
-- (catalog.Markup), never raw HTML, so an edited page cannot carry script.
CREATE TABLE pages (
    id         BIGSERIAL PRIMARY KEY,
    slug       TEXT NOT NULL UNIQUE,
    title_ja   TEXT NOT NULL,
    title_en   TEXT NOT NULL DEFAULT '',
    body_ja    TEXT NOT NULL DEFAULT '',
    body_en    TEXT NOT NULL DEFAULT '',
    published  BOOLEAN NOT NULL DEFAULT TRUE,
    sort_order INTEGER NOT NULL DEFAULT 0,
    created_at TIMESTAMPTZ NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL
);


-- Inquiries from the contact form, kept (EC-CUBE only mails them), with
-- their thread: the operators' internal notes and the replies mailed to
-- the customer.
CREATE TABLE inquiries (
    id          BIGSERIAL PRIMARY KEY,
    lang        TEXT NOT NULL,
    name        TEXT NOT NULL,
    kana        TEXT NOT NULL DEFAULT '',
    email       TEXT NOT NULL,
    phone       TEXT NOT NULL DEFAULT '',
    category    TEXT NOT NULL,
    message     TEXT NOT NULL,
    status      TEXT NOT NULL DEFAULT 'new' CHECK (status IN ('new', 'open', 'closed')),
    assignee_id BIGINT REFERENCES admins (id) ON DELETE SET NULL,
    address     TEXT NOT NULL DEFAULT '',
    created_at  TIMESTAMPTZ NOT NULL,
    updated_at  TIMESTAMPTZ NOT NULL
);
CREATE INDEX inquiries_status_created ON inquiries (status, created_at);

CREATE TABLE inquiry_messages (
    id         BIGSERIAL PRIMARY KEY,
    inquiry_id BIGINT NOT NULL REFERENCES inquiries (id) ON DELETE CASCADE,
    kind       TEXT NOT NULL CHECK (kind IN ('note', 'reply')),
    author     TEXT NOT NULL,
    subject    TEXT NOT NULL DEFAULT '',
    body       TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX inquiry_messages_inquiry ON inquiry_messages (inquiry_id, id);

-- News items for the top page, the news page and the Atom feed. Bodies
-- are in the pages' safe markup (catalog.Markup).
CREATE TABLE news (
    id           BIGSERIAL PRIMARY KEY,
    title_ja     TEXT NOT NULL,
    title_en     TEXT NOT NULL DEFAULT '',
    body_ja      TEXT NOT NULL DEFAULT '',
    body_en      TEXT NOT NULL DEFAULT '',
    url          TEXT NOT NULL DEFAULT '',
    published_at TIMESTAMPTZ NOT NULL,
    visible      BOOLEAN NOT NULL DEFAULT TRUE,
    created_at   TIMESTAMPTZ NOT NULL,
    updated_at   TIMESTAMPTZ NOT NULL
);
CREATE INDEX news_visible_published ON news (visible, published_at);

-- The shop's closed dates: one day or a range (12/29–1/3), as
-- YYYY-MM-DD in Japan. Closed weekdays are a setting.
CREATE TABLE holidays (
    id         BIGSERIAL PRIMARY KEY,
    first_day  TEXT NOT NULL,
    last_day   TEXT NOT NULL,
    name       TEXT NOT NULL DEFAULT '',
    created_at TIMESTAMPTZ NOT NULL
);

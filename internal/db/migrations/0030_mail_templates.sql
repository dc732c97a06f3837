-- Operator overrides of the embedded mail templates, one per event and
-- language. A missing row means the default template applies. version
-- counts saves so that two admins editing at once cannot overwrite each
-- other silently.
CREATE TABLE mail_templates (
    event       TEXT NOT NULL,
    lang        TEXT NOT NULL,
    source      TEXT NOT NULL,
    version     INTEGER NOT NULL,
    updated_by  TEXT NOT NULL DEFAULT '',
    updated_at  TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (event, lang)
);

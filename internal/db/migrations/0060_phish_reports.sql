-- Cases an admin saved from the phishing checker ("report"): what was
-- checked (the raw mail, up to 1 MiB, or the URL), its SHA-256 over the
-- whole input, the verdict and reasons as the checker gave them, who and
-- when. Kept so the shop can forward the evidence and see what hit it.
CREATE TABLE phish_reports (
    id           BIGSERIAL PRIMARY KEY,
    kind         TEXT NOT NULL CHECK (kind IN ('mail', 'url')),
    sha256       TEXT NOT NULL,
    size         BIGINT NOT NULL,
    raw          BYTEA NOT NULL,
    truncated    BOOLEAN NOT NULL,
    verdict      TEXT NOT NULL,
    score        INTEGER NOT NULL,
    reasons      TEXT NOT NULL,
    subject      TEXT NOT NULL DEFAULT '',
    from_addr    TEXT NOT NULL DEFAULT '',
    admin_id     BIGINT NOT NULL,
    admin_email  TEXT NOT NULL,
    created_at   TIMESTAMPTZ NOT NULL
);
CREATE INDEX phish_reports_created ON phish_reports (created_at);

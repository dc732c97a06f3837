-- One row that /readyz rewrites, while the database is known not to
-- write (a full disk, a held lock), to find out when it writes again.
CREATE TABLE write_probe (
    id        INTEGER PRIMARY KEY,
    probed_at TIMESTAMPTZ NOT NULL
);

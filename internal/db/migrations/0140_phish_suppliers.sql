-- The shop's suppliers and other companies it deals with, added by the
-- operator to the phishing checker's built-in list of services: mail that
-- claims one of them but asks to sign in elsewhere is phishing, and a
-- request for money from a look-alike of their domains is fraud.
-- domains is a comma-separated list of registrable domains (ASCII).
CREATE TABLE phish_suppliers (
    id          BIGSERIAL PRIMARY KEY,
    name        TEXT NOT NULL UNIQUE,
    domains     TEXT NOT NULL,
    created_by  TEXT NOT NULL,
    created_at  TIMESTAMPTZ NOT NULL
);

-- Optional passkeys for customers. webauthn_id is the random user handle
-- the authenticator stores (never the customer ID or address); '' until
-- the first passkey. credential holds the library's credential as JSON
-- (public key, sign count, flags, transports); no secret is stored.
ALTER TABLE customers ADD COLUMN webauthn_id TEXT NOT NULL DEFAULT '';

CREATE TABLE customer_passkeys (
    id            BIGSERIAL PRIMARY KEY,
    customer_id   BIGINT NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
    credential_id TEXT NOT NULL UNIQUE,
    name          TEXT NOT NULL,
    credential    TEXT NOT NULL,
    created_at    TIMESTAMPTZ NOT NULL,
    last_used_at  TIMESTAMPTZ
);
CREATE INDEX customer_passkeys_customer ON customer_passkeys (customer_id);

-- One WebAuthn ceremony in progress: the browser holds a random ID in a
-- short-lived cookie, the challenge stays here. Used once, then deleted.
CREATE TABLE customer_ceremonies (
    id_hash     TEXT PRIMARY KEY,
    kind        TEXT NOT NULL CHECK (kind IN ('register', 'login')),
    customer_id BIGINT,
    data        TEXT NOT NULL,
    expires_at  TIMESTAMPTZ NOT NULL
);

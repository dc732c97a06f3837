-- DKIM signing keys. The private key is sealed (AES-256-GCM under a key
-- derived from the master secret, the selector as associated data), never
-- stored in clear. A key is 'pending' from generation until the operator
-- has published its TXT record and activates it; activating retires the
-- previous key, which stays listed (to be kept in DNS) for a grace period
-- so that mail signed with it shortly before still verifies.
CREATE TABLE dkim_keys (
    id            BIGSERIAL PRIMARY KEY,
    selector      TEXT NOT NULL UNIQUE,
    algorithm     TEXT NOT NULL CHECK (algorithm IN ('ed25519', 'rsa')),
    private_key   BYTEA NOT NULL,
    public_txt    TEXT NOT NULL,
    status        TEXT NOT NULL CHECK (status IN ('pending', 'active', 'retired')),
    created_at    TIMESTAMPTZ NOT NULL,
    activated_at  TIMESTAMPTZ,
    retired_at    TIMESTAMPTZ
);
CREATE INDEX dkim_keys_status ON dkim_keys (status);

-- Admin accounts and their sign-in factors. Secrets are never stored in
-- the clear: passwords as argon2id hashes, the TOTP secret sealed with
-- AES-GCM under a key derived from the master secret, recovery codes,
-- session IDs and setup tokens as SHA-256 hashes.

CREATE TABLE admins (
    id             BIGSERIAL PRIMARY KEY,
    email          TEXT NOT NULL UNIQUE,
    name           TEXT NOT NULL,
    password_hash  TEXT NOT NULL,
    role           TEXT NOT NULL CHECK (role IN ('owner', 'manager', 'staff')),
    status         TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'disabled')),
    lang           TEXT NOT NULL DEFAULT 'ja',
    anti_phishing  TEXT NOT NULL DEFAULT '',
    -- webauthn_id is the random user handle passkeys carry (not the row id).
    webauthn_id    BYTEA NOT NULL,
    totp_sealed    BYTEA,
    totp_last_step BIGINT NOT NULL DEFAULT 0,
    created_at     TIMESTAMPTZ NOT NULL,
    updated_at     TIMESTAMPTZ NOT NULL
);
CREATE UNIQUE INDEX admins_webauthn_id ON admins (webauthn_id);

CREATE TABLE admin_passkeys (
    id               BIGSERIAL PRIMARY KEY,
    admin_id         BIGINT NOT NULL REFERENCES admins (id) ON DELETE CASCADE,
    credential_id    BYTEA NOT NULL UNIQUE,
    name             TEXT NOT NULL,
    public_key       BYTEA NOT NULL,
    attestation_type TEXT NOT NULL DEFAULT '',
    sign_count       BIGINT NOT NULL DEFAULT 0,
    transports       TEXT NOT NULL DEFAULT '',
    aaguid           BYTEA,
    user_verified    BOOLEAN NOT NULL DEFAULT FALSE,
    backup_eligible  BOOLEAN NOT NULL DEFAULT FALSE,
    backup_state     BOOLEAN NOT NULL DEFAULT FALSE,
    created_at       TIMESTAMPTZ NOT NULL,
    last_used_at     TIMESTAMPTZ
);
CREATE INDEX admin_passkeys_admin ON admin_passkeys (admin_id);

CREATE TABLE admin_recovery_codes (
    id        BIGSERIAL PRIMARY KEY,
    admin_id  BIGINT NOT NULL REFERENCES admins (id) ON DELETE CASCADE,
    code_hash TEXT NOT NULL,
    used_at   TIMESTAMPTZ
);
CREATE INDEX admin_recovery_codes_admin ON admin_recovery_codes (admin_id);

-- A session row exists from the password step on. stage says how far the
-- sign-in got: 'mfa' (password checked, second factor due), 'enrol' (no
-- factor yet: only enrolment pages open) or 'active'.
CREATE TABLE admin_sessions (
    id_hash      TEXT PRIMARY KEY,
    admin_id     BIGINT NOT NULL REFERENCES admins (id) ON DELETE CASCADE,
    stage        TEXT NOT NULL CHECK (stage IN ('mfa', 'enrol', 'active')),
    factor       TEXT NOT NULL DEFAULT '',
    created_at   TIMESTAMPTZ NOT NULL,
    last_seen_at TIMESTAMPTZ NOT NULL,
    expires_at   TIMESTAMPTZ NOT NULL,
    idle_until   TIMESTAMPTZ NOT NULL,
    sudo_until   TIMESTAMPTZ NOT NULL,
    address      TEXT NOT NULL DEFAULT '',
    user_agent   TEXT NOT NULL DEFAULT ''
);
CREATE INDEX admin_sessions_admin ON admin_sessions (admin_id);

-- WebAuthn ceremony state (challenge, user, UV requirement), keyed by the
-- hash of a random ID in a short-lived cookie: the browser holds only the
-- ID, never the state.
CREATE TABLE admin_ceremonies (
    id_hash    TEXT PRIMARY KEY,
    kind       TEXT NOT NULL,
    admin_id   BIGINT,
    data       TEXT NOT NULL,
    expires_at TIMESTAMPTZ NOT NULL
);

CREATE TABLE admin_setup_tokens (
    token_hash TEXT PRIMARY KEY,
    created_at TIMESTAMPTZ NOT NULL,
    expires_at TIMESTAMPTZ NOT NULL,
    used_at    TIMESTAMPTZ
);

CREATE TABLE admin_ip_rules (
    id         BIGSERIAL PRIMARY KEY,
    kind       TEXT NOT NULL CHECK (kind IN ('allow', 'deny')),
    cidr       TEXT NOT NULL,
    note       TEXT NOT NULL DEFAULT '',
    created_at TIMESTAMPTZ NOT NULL
);

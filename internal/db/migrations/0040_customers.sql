-- Customer accounts. An account is 'pending' until its owner follows the
-- confirmation link; only 'active' accounts can sign in. Withdrawal keeps
-- the row (orders point at it) but scrubs every personal field.
CREATE TABLE customers (
    id            BIGSERIAL PRIMARY KEY,
    -- email_key is the address folded for lookups (jp.Email, lower case);
    -- on withdrawal it becomes "withdrawn-<id>" so the address can be
    -- registered again.
    email         TEXT NOT NULL,
    email_key     TEXT NOT NULL UNIQUE,
    status        TEXT NOT NULL CHECK (status IN ('pending', 'active', 'suspended', 'withdrawn')),
    password_hash TEXT NOT NULL DEFAULT '',
    family_name   TEXT NOT NULL DEFAULT '',
    given_name    TEXT NOT NULL DEFAULT '',
    family_kana   TEXT NOT NULL DEFAULT '',
    given_kana    TEXT NOT NULL DEFAULT '',
    company       TEXT NOT NULL DEFAULT '',
    phone         TEXT NOT NULL DEFAULT '',
    postal_code   TEXT NOT NULL DEFAULT '',
    pref          INTEGER NOT NULL DEFAULT 0,
    city          TEXT NOT NULL DEFAULT '',
    address1      TEXT NOT NULL DEFAULT '',
    address2      TEXT NOT NULL DEFAULT '',
    -- birthday is YYYY-MM-DD or ''.
    birthday      TEXT NOT NULL DEFAULT '',
    gender        TEXT NOT NULL DEFAULT '' CHECK (gender IN ('', 'female', 'male', 'other')),
    newsletter    BOOLEAN NOT NULL DEFAULT FALSE,
    -- newsletter_at is when the customer consented (特定電子メール法 asks
    -- the sender to keep a record of consent).
    newsletter_at TIMESTAMPTZ,
    terms_at      TIMESTAMPTZ NOT NULL,
    anti_phishing TEXT NOT NULL DEFAULT '',
    lang          TEXT NOT NULL DEFAULT 'ja',
    note          TEXT NOT NULL DEFAULT '',
    version       INTEGER NOT NULL DEFAULT 1,
    created_at    TIMESTAMPTZ NOT NULL,
    updated_at    TIMESTAMPTZ NOT NULL,
    confirmed_at  TIMESTAMPTZ,
    last_login_at TIMESTAMPTZ,
    withdrawn_at  TIMESTAMPTZ
);
CREATE INDEX customers_status ON customers (status, created_at);

-- Single-use links (registration confirmation, password reset, new email
-- address). Only the SHA-256 of the token is stored; a used link is
-- deleted in the transaction that uses it.
CREATE TABLE customer_tokens (
    token_hash  TEXT PRIMARY KEY,
    customer_id BIGINT NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
    purpose     TEXT NOT NULL CHECK (purpose IN ('confirm', 'reset', 'email')),
    new_email   TEXT NOT NULL DEFAULT '',
    expires_at  TIMESTAMPTZ NOT NULL,
    created_at  TIMESTAMPTZ NOT NULL
);
CREATE INDEX customer_tokens_customer ON customer_tokens (customer_id, purpose);

-- Sign-in sessions and "keep me signed in" tokens, by the SHA-256 of the
-- cookie value.
CREATE TABLE customer_sessions (
    id_hash      TEXT PRIMARY KEY,
    customer_id  BIGINT NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
    kind         TEXT NOT NULL CHECK (kind IN ('session', 'remember')),
    created_at   TIMESTAMPTZ NOT NULL,
    last_seen_at TIMESTAMPTZ NOT NULL,
    expires_at   TIMESTAMPTZ NOT NULL
);
CREATE INDEX customer_sessions_customer ON customer_sessions (customer_id);

-- Saved delivery addresses (at most 20 per customer, checked on insert).
CREATE TABLE customer_addresses (
    id          BIGSERIAL PRIMARY KEY,
    customer_id BIGINT NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
    family_name TEXT NOT NULL,
    given_name  TEXT NOT NULL,
    family_kana TEXT NOT NULL,
    given_kana  TEXT NOT NULL,
    phone       TEXT NOT NULL,
    postal_code TEXT NOT NULL,
    pref        INTEGER NOT NULL CHECK (pref BETWEEN 1 AND 47),
    city        TEXT NOT NULL,
    address1    TEXT NOT NULL,
    address2    TEXT NOT NULL DEFAULT '',
    created_at  TIMESTAMPTZ NOT NULL
);
CREATE INDEX customer_addresses_customer ON customer_addresses (customer_id);

CREATE TABLE customer_favorites (
    customer_id BIGINT NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
    product_id  BIGINT NOT NULL REFERENCES products (id) ON DELETE CASCADE,
    created_at  TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (customer_id, product_id)
);

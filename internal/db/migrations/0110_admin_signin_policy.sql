-- Issue 11: no phishable way into an admin that has a passkey, and no
-- lock-out of the owner by a guesser.
--
-- typed_codes_allowed: an admin with a passkey signs in only with a
-- passkey unless they allowed typed codes (authenticator app, recovery
-- codes) again, a phishable choice made in sudo mode and audited.
ALTER TABLE admins ADD COLUMN typed_codes_allowed BOOLEAN NOT NULL DEFAULT FALSE;

-- Networks (IPv4 /24, IPv6 /64) each admin completed a sign-in from: a
-- password lock-out caused from elsewhere does not block these.
CREATE TABLE admin_known_networks (
    admin_id BIGINT NOT NULL REFERENCES admins (id) ON DELETE CASCADE,
    network  TEXT NOT NULL,
    first_at TIMESTAMPTZ NOT NULL,
    last_at  TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (admin_id, network)
);

-- What the "signed-in devices" list on My Page shows for each session:
-- the browser (User-Agent, cut to 200 characters) and the client address
-- at sign-in. Deleted with the session (and so on withdrawal).
ALTER TABLE customer_sessions ADD COLUMN user_agent TEXT NOT NULL DEFAULT '';
ALTER TABLE customer_sessions ADD COLUMN client_ip TEXT NOT NULL DEFAULT '';

-- Mails still pending in the outbox when an account was withdrawn (the
-- goodbye notice at least): the address cannot be scrubbed before the
-- mail is sent, so the sweep scrubs these rows once they are sent or dead.
CREATE TABLE customer_outbox_scrub (
    outbox_id   BIGINT PRIMARY KEY,
    customer_id BIGINT NOT NULL,
    created_at  TIMESTAMPTZ NOT NULL
);

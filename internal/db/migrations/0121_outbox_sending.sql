-- When the worker began the SMTP transaction of an outbox row whose
-- outcome it has not recorded yet: set just before the send, cleared when
-- the server's acceptance (or a failure the server certainly did not
-- accept) is recorded. A row claimed again with it set is a send that a
-- crash or a lost reply interrupted: the server may already have the mail.
ALTER TABLE outbox ADD COLUMN sending_at TIMESTAMPTZ;

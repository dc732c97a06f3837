-- Plugins (internal/plugin): signed WebAssembly modules with their
-- manifests, the state of each (enabled or disabled, settings, failure
-- count), kept in the database so every instance sharing it runs the same
-- plugin set, and each plugin's key-value store, deleted at uninstall.
CREATE TABLE plugins (
    name            TEXT PRIMARY KEY,
    version         TEXT NOT NULL,
    manifest        TEXT NOT NULL,  -- as signed
    signature       TEXT NOT NULL,
    module          BYTEA NOT NULL,
    wasm_sha256     TEXT NOT NULL,
    status          TEXT NOT NULL CHECK (status IN ('enabled', 'disabled')),
    -- '' while enabled; 'owner' when an admin disabled it; 'failures' when
    -- the host did after repeated failures.
    disabled_reason TEXT NOT NULL DEFAULT '',
    settings        TEXT NOT NULL DEFAULT '{}',
    -- api_token is the plugin's bearer token for the Admin API (its
    -- scopes are the manifest's api: capabilities); it only ever travels
    -- in process, from the host function api_call to the API handler.
    api_token       TEXT NOT NULL UNIQUE,
    failures        INTEGER NOT NULL DEFAULT 0, -- in a row
    failures_total  BIGINT NOT NULL DEFAULT 0,
    last_error      TEXT NOT NULL DEFAULT '',
    last_failed_at  TIMESTAMPTZ,
    installed_at    TIMESTAMPTZ NOT NULL,
    updated_at      TIMESTAMPTZ NOT NULL
);

-- The publisher keys the owner trusts (base64 Ed25519 public keys).
CREATE TABLE plugin_keys (
    pub_key    TEXT PRIMARY KEY,
    key_id     TEXT NOT NULL,
    publisher  TEXT NOT NULL,
    added_by   BIGINT NOT NULL,
    added_at   TIMESTAMPTZ NOT NULL
);

-- An uploaded package waiting for the admin who uploaded it to confirm
-- the install or update after reading its publisher and capabilities.
CREATE TABLE plugin_uploads (
    id         BIGSERIAL PRIMARY KEY,
    admin_id   BIGINT NOT NULL,
    data       BYTEA NOT NULL,
    created_at TIMESTAMPTZ NOT NULL
);

CREATE TABLE plugin_kv (
    plugin     TEXT NOT NULL,
    k          TEXT NOT NULL,
    value      BYTEA NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (plugin, k)
);

-- order.placed reactions, run after the order's commit on the lease
-- (internal/lease).
CREATE TABLE plugin_jobs (
    id              BIGSERIAL PRIMARY KEY,
    plugin          TEXT NOT NULL,
    hook            TEXT NOT NULL,
    payload         TEXT NOT NULL,
    status          TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'done', 'dead')),
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TIMESTAMPTZ NOT NULL,
    locked_by       TEXT,
    locked_until    TIMESTAMPTZ,
    last_error      TEXT NOT NULL DEFAULT '',
    done_at         TIMESTAMPTZ,
    created_at      TIMESTAMPTZ NOT NULL
);
CREATE INDEX plugin_jobs_due ON plugin_jobs (status, next_attempt_at);

-- The plugin catalogue: the last signed index the owner loaded.
CREATE TABLE plugin_catalogue (
    id         INTEGER PRIMARY KEY CHECK (id = 1),
    source     TEXT NOT NULL,
    data       BYTEA NOT NULL,
    loaded_at  TIMESTAMPTZ NOT NULL
);

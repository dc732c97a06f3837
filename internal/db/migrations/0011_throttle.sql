-- Rate limits and failure back-off shared by every instance. A row is one
-- key (an account, an address) in one bucket (what is being limited).
-- Times are Unix microseconds so both engines compare them as integers.
CREATE TABLE throttle (
    bucket           TEXT NOT NULL,
    key              TEXT NOT NULL,
    hits             INTEGER NOT NULL DEFAULT 0,
    window_start_us  BIGINT NOT NULL DEFAULT 0,
    failures         INTEGER NOT NULL DEFAULT 0,
    blocked_until_us BIGINT NOT NULL DEFAULT 0,
    updated_us       BIGINT NOT NULL,
    PRIMARY KEY (bucket, key)
);

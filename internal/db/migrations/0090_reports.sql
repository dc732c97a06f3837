-- Sales reports (売上集計) read a daily summary instead of scanning every
-- order line: one row per JST day, dimension and key (a product, a
-- category, a payment method, an age band …). The summary is rebuilt day
-- by day from the orders changed since the watermark in report_state, so
-- an edit or a cancellation of an old order corrects its day.
CREATE TABLE report_daily (
    dim      TEXT NOT NULL,
    day      TEXT NOT NULL,
    key      TEXT NOT NULL,
    label_ja TEXT NOT NULL DEFAULT '',
    label_en TEXT NOT NULL DEFAULT '',
    orders   BIGINT NOT NULL,
    qty      BIGINT NOT NULL,
    amount   BIGINT NOT NULL,
    PRIMARY KEY (dim, day, key)
);

-- report_state's one row is written by migration 0211.
CREATE TABLE report_state (
    id          INTEGER PRIMARY KEY CHECK (id = 1),
    watermark   TIMESTAMPTZ NOT NULL,
    lock_until  TIMESTAMPTZ NOT NULL,
    refreshed_at TIMESTAMPTZ
);

CREATE INDEX orders_updated ON orders (updated_at);

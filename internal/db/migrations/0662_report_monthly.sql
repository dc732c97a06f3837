-- A monthly level over report_daily: one row per JST month, dimension and
-- key, the sum of that month's daily rows. A year's report reads twelve
-- months (plus the days of a partial first or last month) instead of 365
-- days: a year by product is 200 × 12 rows rather than 200 × 365. The
-- refresh rewrites a month in the same transaction as its changed days,
-- so the two levels always agree. Filled here from the days already
-- summed.
CREATE TABLE report_monthly (
    dim      TEXT NOT NULL,
    month    TEXT NOT NULL,
    key      TEXT NOT NULL,
    label_ja TEXT NOT NULL DEFAULT '',
    label_en TEXT NOT NULL DEFAULT '',
    orders   BIGINT NOT NULL,
    qty      BIGINT NOT NULL,
    amount   BIGINT NOT NULL,
    PRIMARY KEY (dim, month, key)
);

INSERT INTO report_monthly (dim, month, key, label_ja, label_en, orders, qty, amount)
SELECT dim, SUBSTR(day, 1, 7), key, MAX(label_ja), MAX(label_en), SUM(orders), SUM(qty), SUM(amount)
FROM report_daily GROUP BY dim, SUBSTR(day, 1, 7), key;

-- The operator's names and colours of the order statuses, per language
-- (EC-CUBE's 受注ステータス設定). The statuses themselves and the moves
-- between them stay in code (internal/order/status.go); a status without
-- a row here shows its built-in name and colour.
CREATE TABLE order_status_labels (
    status     TEXT PRIMARY KEY,
    name_ja    TEXT NOT NULL,
    name_en    TEXT NOT NULL,
    colour     TEXT NOT NULL,
    updated_by TEXT NOT NULL DEFAULT '',
    updated_at TIMESTAMPTZ NOT NULL
);

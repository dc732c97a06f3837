#!/usr/bin/env bash
# Load test of the Admin API (issue #15, docs/PERFORMANCE.md): GET
# /api/v1/orders?limit=100 (100 orders with their lines and shipments, 3
# queries) on a demo shop on SQLite with $ORDERS orders, against a bare
# net/http hello server and the API's own smallest answer (limit=1) in the
# same run. The token is written straight into the database (its SHA-256,
# as the admin stores it). Ports PORT_BASE..PORT_BASE+1 (default 8610).
#   ORDERS=2000 ROUNDS=3 scripts/load/api_orders.sh [seconds (10)] [connections (8)]
set -euo pipefail
cd "$(dirname "$0")/../.."
DUR="${1:-10}s"; CONNS="${2:-8}"; ORDERS="${ORDERS:-2000}"; ROUNDS="${ROUNDS:-3}"
P="${PORT_BASE:-8610}"
. scripts/load/lib.sh
load_init
go build -o "$WORK/akinai" ./cmd/akinai
go build -o "$WORK/load" ./scripts/load
echo "machine: $(nproc) cores, $(go version | cut -d' ' -f3), load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "wrk -t2 -c$CONNS -d$DUR, $ROUNDS round(s), $ORDERS orders of 2 lines"

"$WORK/akinai" serve --demo --addr "127.0.0.1:$((P+1))" --data "$WORK/shop" --log-level warn 2>"$WORK/shop.log" & PIDS+=($!)
wait_up "http://127.0.0.1:$((P+1))"
TOKEN="akn_loadtest_$(head -c 24 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=')"
HASH="$(printf '%s' "$TOKEN" | sha256sum | cut -d' ' -f1)"
sqlite3 "$WORK/shop/akinai.db" <<SQL
.timeout 10000
INSERT INTO api_tokens (name, prefix, hash, scopes, rate_per_min, expires_at, created_by, created_at)
  VALUES ('load', 'akn_lo', '$HASH', 'orders:read', 100000000, '2099-01-01 00:00:00+00:00', 'load', '2026-01-01 00:00:00+00:00');
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < $ORDERS)
INSERT INTO orders (number, idempotency_key, status, email, family_name, given_name, family_kana, given_kana, phone, postal_code, pref, city, address1,
  ship_family_name, ship_given_name, ship_family_kana, ship_given_kana, ship_phone, ship_postal_code, ship_pref, ship_city, ship_address1,
  delivery_method_id, payment_method, subtotal, delivery_fee, cod_fee, total, rates, created_at, updated_at)
  SELECT 'LOAD-' || i, 'load-' || i, 'paid', 'buyer' || i || '@example.jp', '山田', '花子', 'ヤマダ', 'ハナコ', '0312345678', '1000001', 13, '千代田区', '1-1',
  '山田', '花子', 'ヤマダ', 'ハナコ', '0312345678', '1000001', 13, '千代田区', '1-1', (SELECT MIN(id) FROM delivery_methods), 'cod', 2200, 0, 0, 2200,
  '[{"rate":1000,"total":2200,"tax":200,"reduced":false}]', '2026-11-01 00:00:00+00:00', '2026-11-01 00:00:00+00:00' FROM n;
INSERT INTO order_lines (order_id, name_ja, sku, unit_price, tax_rate_bp, qty, line_total)
  SELECT o.id, '商品 ' || k.k, 'SKU-' || k.k, 1100, 1000, 1, 1100 FROM orders o, (SELECT 1 AS k UNION ALL SELECT 2) k WHERE o.number LIKE 'LOAD-%';
INSERT INTO shipments (order_id, carrier, created_at) SELECT id, '', '2026-11-01 00:00:00+00:00' FROM orders WHERE number LIKE 'LOAD-%';
SQL
"$WORK/load" -hello 127.0.0.1:$P & PIDS+=($!)
for _ in $(seq 1 50); do curl -fs http://127.0.0.1:$P/ >/dev/null 2>&1 && break; sleep 0.1; done
B="http://127.0.0.1:$((P+1))/api/v1"
curl -fs -H "Authorization: Bearer $TOKEN" "$B/orders?limit=100" -o "$WORK/first.json"; head -c 120 "$WORK/first.json"; echo
for r in $(seq 1 "$ROUNDS"); do
  echo "round $r"
  wrk_run "bare net/http hello (reference)" "http://127.0.0.1:$P/"
  wrk_run "API orders, limit=1" "$B/orders?limit=1" -H "Authorization: Bearer $TOKEN"
  wrk_run "API orders, limit=100" "$B/orders?limit=100" -H "Authorization: Bearer $TOKEN"
  wrk_run "API orders, limit=100, deep cursor" "$B/orders?limit=100&cursor=$(printf 'id:%d' $((ORDERS / 2)) | base64 | tr '+/' '-_' | tr -d '=')" -H "Authorization: Bearer $TOKEN"
done
echo "medians over $ROUNDS round(s):"
medians

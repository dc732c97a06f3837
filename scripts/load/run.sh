#!/usr/bin/env bash
# Load test of the storefront (docs/PERFORMANCE.md), measured with wrk
# (Debian's package), every figure against a bare net/http hello server
# measured in the same run: akinai serve --demo with a $PRODUCTS-product
# catalogue on SQLite and on a throwaway PostgreSQL cluster. Pages are
# loaded by an anonymous visitor and by a shopper who carries a cart and
# CSRF cookie (a real cart with one item); uncached searches use a wrk Lua
# script that asks a different query or page every time. Everything
# listens on 127.0.0.1 (ports PORT_BASE to PORT_BASE+3, default 18160) and
# stops when the script ends.
#   scripts/load/run.sh [seconds-per-run (default 10)] [connections (default 32)]
#   PRODUCTS=100000 ROUNDS=3 scripts/load/run.sh 5 32
set -euo pipefail
cd "$(dirname "$0")/../.."
DUR="${1:-10}s"; CONNS="${2:-32}"; PRODUCTS="${PRODUCTS:-10000}"; ROUNDS="${ROUNDS:-1}"
P="${PORT_BASE:-18160}"; HELLO=127.0.0.1:$P; SQ=127.0.0.1:$((P+1)); PGPORT=$((P+2)); PGA=127.0.0.1:$((P+3))
. scripts/load/lib.sh
load_init

go build -o "$WORK/akinai" ./cmd/akinai
go build -o "$WORK/load" ./scripts/load

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(go version | cut -d' ' -f3), load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "wrk -t2 -c$CONNS -d$DUR, $ROUNDS round(s); req/s and p99 per URL"


# shopper BASE: a cookie header of a visitor with one item in the cart
# (the first variant that is in stock) and the badge to prove it.
shopper() {
  local base="$1" jar="$WORK/jar.$RANDOM" page token variant code
  page="$(curl -fs -c "$jar" -b "$jar" "$base/products/canvas-apron")"
  for variant in $(echo "$page" | grep -o 'data-variant="[0-9]*"' | grep -o '[0-9]*'); do
    token="$(curl -fs -c "$jar" -b "$jar" "$base/products/canvas-apron" | grep -o 'name="csrf" value="[^"]*"' | head -1 | sed 's/.*value="//; s/"$//')"
    code="$(curl -s -o /dev/null -w '%{http_code}' -c "$jar" -b "$jar" -H "Origin: $base" -H "Referer: $base/products/canvas-apron" \
      --data "csrf=$token&variant_id=$variant&qty=1" "$base/cart/add")"
    [ "$code" = 303 ] && break
  done
  curl -fs -o /dev/null -c "$jar" -b "$jar" "$base/cart" # as a browser does after adding: shows (and ends) the flash
  local cookie; cookie="$(awk '!/^#/ || /^#HttpOnly_/ {sub(/^#HttpOnly_/, ""); if (NF >= 7) printf "%s=%s; ", $6, $7}' "$jar" | sed 's/; $//')"
  curl -fs -H "Cookie: $cookie" "$base/categories/tea" | grep -q 'class="badge">[0-9]' || { echo "the shopper's cart badge is missing" >&2; return 1; }
  echo "$cookie"
}

cat > "$WORK/search.lua" <<'LUA'
-- A different query or page every request, so no cache helps: hits (one-,
-- two- and longer Japanese keywords, English) and queries that find nothing.
local hits = {"%E8%8C%B6", "%E7%B7%91%E8%8C%B6", "%E6%80%A5%E9%A0%88", "%E3%83%8F%E3%83%BC%E3%83%96%E3%83%86%E3%82%A3%E3%83%BC", "tea", "teapot"}
local sorts = {"", "&sort=price_asc", "&sort=price_desc"}
math.randomseed(os.time())
request = function()
  local q
  if math.random() < 0.5 then
    q = hits[math.random(#hits)] .. "&page=" .. math.random(1, 40) .. sorts[math.random(#sorts)]
  else
    q = "zq" .. math.random(1, 1000000000)
  end
  return wrk.format("GET", "/products?q=" .. q)
end
LUA

run_urls() { # base label
  local base="$1" label="$2" cookie
  cookie="$(shopper "$base")"
  [ -n "$cookie" ] || { echo "could not make a shopper's cart" >&2; return 1; }
  wrk_run "$label / (anonymous)" "$base/"
  wrk_run "$label /categories/tea (anonymous)" "$base/categories/tea"
  wrk_run "$label /categories/tea (cart cookie)" "$base/categories/tea" -H "Cookie: $cookie"
  wrk_run "$label /products/canvas-apron (anonymous)" "$base/products/canvas-apron"
  wrk_run "$label /products/canvas-apron (cart cookie)" "$base/products/canvas-apron" -H "Cookie: $cookie"
  wrk_run "$label uncached search (Lua)" "$base/" -s "$WORK/search.lua"
}

"$WORK/load" -hello $HELLO & PIDS+=($!)
for _ in $(seq 1 50); do curl -fs http://$HELLO/ >/dev/null 2>&1 && break; sleep 0.1; done

echo "== akinai on SQLite, $PRODUCTS products"
start=$(date +%s.%N)
"$WORK/akinai" serve --demo --demo-products "$PRODUCTS" --addr $SQ --data "$WORK/sqlite" --log-level warn 2>"$WORK/sqlite.log" & PIDS+=($!)
wait_up http://$SQ
echo "  started and loaded in $(echo "$(date +%s.%N) - $start" | bc | cut -c1-5) s"

PGBIN="$(dirname "$(ls /usr/lib/postgresql/*/bin/initdb 2>/dev/null | tail -1 || command -v initdb)")"
PG=""
if [ -x "$PGBIN/initdb" ]; then
  echo "== akinai on PostgreSQL, $PRODUCTS products"
  PGDATA="$WORK/pg"; [ "$(id -u)" = 0 ] && RUNAS=(runuser -u postgres --)
  mkdir -p "$PGDATA"; [ "$(id -u)" = 0 ] && chown postgres "$WORK" "$PGDATA"
  "${RUNAS[@]}" "$PGBIN/initdb" -D "$PGDATA" -A trust -U akinai >/dev/null
  "${RUNAS[@]}" "$PGBIN/pg_ctl" -D "$PGDATA" -o "-k $WORK -c listen_addresses=127.0.0.1 -p $PGPORT" -l "$WORK/pg.log" start >/dev/null
  for _ in $(seq 1 50); do "$PGBIN/pg_isready" -h 127.0.0.1 -p $PGPORT >/dev/null 2>&1 && break; sleep 0.2; done
  "${RUNAS[@]}" "$PGBIN/createdb" -h 127.0.0.1 -p $PGPORT -U akinai akinai
  start=$(date +%s.%N)
  "$WORK/akinai" serve --demo --demo-products "$PRODUCTS" --addr $PGA --data "$WORK/pgdata" --log-level warn \
    --database-url "postgres://akinai@127.0.0.1:$PGPORT/akinai?sslmode=disable" 2>"$WORK/pg-akinai.log" & PIDS+=($!)
  wait_up http://$PGA
  echo "  started and loaded in $(echo "$(date +%s.%N) - $start" | bc | cut -c1-5) s"
  PG=http://$PGA
else
  echo "== PostgreSQL: no initdb found, skipped"
fi

for round in $(seq 1 "$ROUNDS"); do
  echo "== round $round"
  wrk_run "bare net/http hello (reference)" http://$HELLO/
  run_urls http://$SQ "SQLite"
  [ -n "$PG" ] && run_urls "$PG" "PostgreSQL"
done

echo "== medians over $ROUNDS round(s), ratio to the bare server's median"
medians

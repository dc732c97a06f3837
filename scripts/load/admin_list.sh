#!/usr/bin/env bash
# Load test of the admin's product list (issue #13, docs/PERFORMANCE.md):
# akinai serve --demo with $PRODUCTS products on SQLite and on a throwaway
# PostgreSQL cluster, a signed-in owner (scripts/load/adminsession), and
# wrk on list pages, every figure against a bare net/http hello server
# measured in the same run. Ports PORT_BASE..PORT_BASE+3 on 127.0.0.1
# (PORT_BASE=18120 unless set).
#   PRODUCTS=100000 ROUNDS=3 scripts/load/admin_list.sh [seconds (10)] [connections (8)]
set -euo pipefail
cd "$(dirname "$0")/../.."
DUR="${1:-10}s"; CONNS="${2:-8}"; PRODUCTS="${PRODUCTS:-100000}"; ROUNDS="${ROUNDS:-1}"
P="${PORT_BASE:-18120}"
. scripts/load/lib.sh
load_init

go build -o "$WORK/akinai" ./cmd/akinai
go build -o "$WORK/load" ./scripts/load
go build -o "$WORK/session" ./scripts/load/adminsession
echo "machine: $(nproc) cores, $(go version | cut -d' ' -f3), load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "wrk -t2 -c$CONNS -d$DUR, $ROUNDS round(s), $PRODUCTS products"

# start_shop NAME PORT [serve args…]: starts the demo shop, signs the owner in; sets ADMIN and COOKIE.
start_shop() {
  local name="$1" port="$2"; shift 2
  local start; start=$(date +%s.%N)
  "$WORK/akinai" serve --demo --demo-products "$PRODUCTS" --addr "127.0.0.1:$port" --data "$WORK/$name" --log-level warn "$@" 2>"$WORK/$name.log" & PIDS+=($!)
  wait_up "http://127.0.0.1:$port"
  echo "  $name started and loaded in $(echo "$(date +%s.%N) - $start" | bc | cut -c1-6) s"
  local setup; setup="$(grep -o 'setup_url=[^ ]*' "$WORK/$name.log" | head -1 | cut -d= -f2- | sed "s#//localhost:#//127.0.0.1:#")"
  local out; out="$("$WORK/session" -setup "$setup")"
  ADMIN="$(echo "$out" | sed -n 1p)"; COOKIE="$(echo "$out" | sed -n 2p)"
}
run_urls() { # BASE LABEL
  local b="$1$ADMIN" l="$2"
  wrk_run "$l admin reference: /account (same guard, no list)" "$b/account" -H "Cookie: $COOKIE"
  wrk_run "$l list, page 1" "$b/products" -H "Cookie: $COOKIE"
  wrk_run "$l list, page 1,500 (deep offset)" "$b/products?page=1500" -H "Cookie: $COOKIE"
  wrk_run "$l list, public + low stock" "$b/products?status=public&stock=low" -H "Cookie: $COOKIE"
  # Last: its requests outlast wrk's 2 s timeout and would still be
  # running on the server during the next measurement.
  wrk_run "$l list, keyword 茶" "$b/products?q=%E8%8C%B6" -H "Cookie: $COOKIE"
}

"$WORK/load" -hello 127.0.0.1:$P & PIDS+=($!)
for _ in $(seq 1 50); do curl -fs http://127.0.0.1:$P/ >/dev/null 2>&1 && break; sleep 0.1; done

echo "== SQLite"
start_shop sqlite $((P+1))
SQ_ADMIN="$ADMIN"; SQ_COOKIE="$COOKIE"
PGBIN="$(dirname "$(ls /usr/lib/postgresql/*/bin/initdb 2>/dev/null | tail -1 || command -v initdb)")"
PG=""
if [ -x "$PGBIN/initdb" ] && [ "${SKIP_PG:-}" = "" ]; then
  echo "== PostgreSQL"
  PGDATA="$WORK/pg"; [ "$(id -u)" = 0 ] && RUNAS=(runuser -u postgres --)
  mkdir -p "$PGDATA"; [ "$(id -u)" = 0 ] && chown postgres "$WORK" "$PGDATA"
  "${RUNAS[@]}" "$PGBIN/initdb" -D "$PGDATA" -A trust -U akinai >/dev/null
  "${RUNAS[@]}" "$PGBIN/pg_ctl" -D "$PGDATA" -o "-k $WORK -c listen_addresses=127.0.0.1 -p $((P+2))" -l "$WORK/pg.log" start >/dev/null
  for _ in $(seq 1 50); do "$PGBIN/pg_isready" -h 127.0.0.1 -p $((P+2)) >/dev/null 2>&1 && break; sleep 0.2; done
  "${RUNAS[@]}" "$PGBIN/createdb" -h 127.0.0.1 -p $((P+2)) -U akinai akinai
  start_shop pgdata $((P+3)) --database-url "postgres://akinai@127.0.0.1:$((P+2))/akinai?sslmode=disable"
  PG_ADMIN="$ADMIN"; PG_COOKIE="$COOKIE"; PG=1
fi

for round in $(seq 1 "$ROUNDS"); do
  echo "== round $round"
  wrk_run "bare net/http hello (reference)" http://127.0.0.1:$P/
  ADMIN="$SQ_ADMIN"; COOKIE="$SQ_COOKIE"; run_urls http://127.0.0.1:$((P+1)) "SQLite"
  if [ -n "$PG" ]; then ADMIN="$PG_ADMIN"; COOKIE="$PG_COOKIE"; run_urls http://127.0.0.1:$((P+3)) "PostgreSQL"; fi
done

echo "== medians over $ROUNDS round(s), ratio to the bare server's median"
medians

#!/usr/bin/env bash
# Load test of the sales reports (issue #13, docs/PERFORMANCE.md): a year
# of $LINES order lines (scripts/load/reportdata, generated inside the
# database) on SQLite and on a throwaway PostgreSQL cluster, a signed-in
# owner (scripts/load/adminsession), then wrk on a year's report of every
# kind, beside the bare net/http hello server and the admin's /account
# page measured in the same run. Ports PORT_BASE..PORT_BASE+3 (18180).
#   LINES=1000000 ROUNDS=1 scripts/load/reports.sh [seconds (10)] [connections (8)]
set -euo pipefail
cd "$(dirname "$0")/../.."
DUR="${1:-10}s"; CONNS="${2:-8}"; LINES="${LINES:-1000000}"; ROUNDS="${ROUNDS:-1}"
P="${PORT_BASE:-18180}"
. scripts/load/lib.sh
load_init

go build -o "$WORK/akinai" ./cmd/akinai
go build -o "$WORK/load" ./scripts/load
go build -o "$WORK/session" ./scripts/load/adminsession
go build -o "$WORK/reportdata" ./scripts/load/reportdata
echo "machine: $(nproc) cores, $(go version | cut -d' ' -f3), load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "wrk -t2 -c$CONNS -d$DUR, $ROUNDS round(s), $LINES order lines"

# start_shop NAME PORT [serve args…]: starts the shop, signs the owner in; sets ADMIN and COOKIE.
start_shop() {
  local name="$1" port="$2"; shift 2
  "$WORK/akinai" serve --addr "127.0.0.1:$port" --data "$WORK/$name" --log-level warn "$@" 2>"$WORK/$name.log" & PIDS+=($!)
  wait_up "http://127.0.0.1:$port"
  local setup; setup="$(grep -o 'setup_url=[^ ]*' "$WORK/$name.log" | head -1 | cut -d= -f2- | sed "s#//localhost:#//127.0.0.1:#")"
  local out; out="$("$WORK/session" -setup "$setup")"
  ADMIN="$(echo "$out" | sed -n 1p)"; COOKIE="$(echo "$out" | sed -n 2p)"
}
YEAR="from=2025-12-01&to=2026-11-30"
run_urls() { # BASE LABEL
  local b="$1$ADMIN" l="$2"
  wrk_run "$l admin reference: /account" "$b/account" -H "Cookie: $COOKIE"
  wrk_run "$l year by month" "$b/reports?kind=period&unit=month&$YEAR" -H "Cookie: $COOKIE"
  wrk_run "$l year by day" "$b/reports?kind=period&unit=day&$YEAR" -H "Cookie: $COOKIE"
  for k in product category age gender pref member payment; do
    wrk_run "$l year by $k" "$b/reports?kind=$k&$YEAR" -H "Cookie: $COOKIE"
  done
}
# one_request URL: the time of a single request (curl), for the table.
one_request() { curl -s -o /dev/null -w '%{http_code} %{time_total}' -H "Cookie: $COOKIE" "$1"; }

"$WORK/load" -hello 127.0.0.1:$P & PIDS+=($!)
for _ in $(seq 1 50); do curl -fs http://127.0.0.1:$P/ >/dev/null 2>&1 && break; sleep 0.1; done

echo "== SQLite"
"$WORK/reportdata" -data "$WORK/sqlite" -lines "$LINES"
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
  for _ in $(seq 1 300); do "$PGBIN/pg_isready" -h 127.0.0.1 -p $((P+2)) >/dev/null 2>&1 && break; sleep 0.2; done
  "${RUNAS[@]}" "$PGBIN/createdb" -h 127.0.0.1 -p $((P+2)) -U akinai akinai
  PGURL="postgres://akinai@127.0.0.1:$((P+2))/akinai?sslmode=disable"
  "$WORK/reportdata" -database-url "$PGURL" -lines "$LINES"
  start_shop pgdata $((P+3)) --database-url "$PGURL"
  PG_ADMIN="$ADMIN"; PG_COOKIE="$COOKIE"; PG=1
fi

echo "== one request each (status, seconds)"
for k in period product category age gender pref member payment; do
  ADMIN="$SQ_ADMIN"; COOKIE="$SQ_COOKIE"; s="$(one_request "http://127.0.0.1:$((P+1))$ADMIN/reports?kind=$k&$YEAR")"
  g=""; if [ -n "$PG" ]; then ADMIN="$PG_ADMIN"; COOKIE="$PG_COOKIE"; g="$(one_request "http://127.0.0.1:$((P+3))$ADMIN/reports?kind=$k&$YEAR")"; fi
  printf '  %-10s SQLite %s   PostgreSQL %s\n' "$k" "$s" "${g:-—}"
done

for round in $(seq 1 "$ROUNDS"); do
  echo "== round $round"
  wrk_run "bare net/http hello (reference)" http://127.0.0.1:$P/
  ADMIN="$SQ_ADMIN"; COOKIE="$SQ_COOKIE"; run_urls http://127.0.0.1:$((P+1)) "SQLite"
  if [ -n "$PG" ]; then ADMIN="$PG_ADMIN"; COOKIE="$PG_COOKIE"; run_urls http://127.0.0.1:$((P+3)) "PostgreSQL"; fi
done

echo "== medians over $ROUNDS round(s), ratio to the bare server's median"
medians

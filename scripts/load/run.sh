#!/usr/bin/env bash
# Load test of the storefront (docs/PERFORMANCE.md): akinai serve --demo
# with a 10,000-product catalogue on SQLite and on a throwaway PostgreSQL
# cluster, plus a bare net/http hello server for reference. Everything
# listens on 127.0.0.1 and stops when the script ends.
#   scripts/load/run.sh [seconds-per-run (default 10)] [connections (default 64)]
set -euo pipefail
cd "$(dirname "$0")/../.."
DUR="${1:-10}s"; CONNS="${2:-64}"; PRODUCTS="${PRODUCTS:-10000}"
WORK="$(mktemp -d)"; PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true
  if [ -n "${PGDATA:-}" ]; then "$PGBIN/pg_ctl" -D "$PGDATA" -m immediate stop >/dev/null 2>&1 || true; fi
  rm -rf "$WORK"; }
trap cleanup EXIT

go build -o "$WORK/akinai" ./cmd/akinai
go build -o "$WORK/load" ./scripts/load

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(go version | cut -d' ' -f3)"

wait_up() { for _ in $(seq 1 600); do curl -fs "$1/readyz" >/dev/null 2>&1 && return 0; sleep 0.2; done; echo "server did not start" >&2; return 1; }
Q="$(printf 'ハーブ ティー' | od -An -tx1 | tr ' ' '%' | tr -d '\n' | tr 'a-f' 'A-F')"
run_urls() { # base
  for path in "/" "/categories/tea" "/products?q=$Q" "/products/canvas-apron"; do
    printf '  %-28s ' "$path" | sed "s|$Q|ハーブ%20ティー|"
    "$WORK/load" -url "$1$path" -c "$CONNS" -d "$DUR"
  done
}

echo "== bare net/http hello"
"$WORK/load" -hello 127.0.0.1:18090 & PIDS+=($!)
sleep 0.5
printf '  %-28s ' "/"; "$WORK/load" -url http://127.0.0.1:18090/ -c "$CONNS" -d "$DUR"

echo "== akinai on SQLite, $PRODUCTS products"
start=$(date +%s.%N)
"$WORK/akinai" serve --demo --demo-products "$PRODUCTS" --addr 127.0.0.1:18091 --data "$WORK/sqlite" --log-level warn 2>"$WORK/sqlite.log" & PIDS+=($!)
wait_up http://127.0.0.1:18091
echo "  started and loaded in $(echo "$(date +%s.%N) - $start" | bc | cut -c1-5) s"
run_urls http://127.0.0.1:18091

PGBIN="$(dirname "$(ls /usr/lib/postgresql/*/bin/initdb 2>/dev/null | tail -1 || command -v initdb)")"
if [ -x "$PGBIN/initdb" ]; then
  echo "== akinai on PostgreSQL, $PRODUCTS products"
  PGDATA="$WORK/pg"; RUNAS=(); [ "$(id -u)" = 0 ] && RUNAS=(runuser -u postgres --)
  mkdir -p "$PGDATA"; [ "$(id -u)" = 0 ] && chown postgres "$WORK" "$PGDATA"
  "${RUNAS[@]}" "$PGBIN/initdb" -D "$PGDATA" -A trust -U akinai >/dev/null
  "${RUNAS[@]}" "$PGBIN/pg_ctl" -D "$PGDATA" -o "-k $WORK -c listen_addresses=127.0.0.1 -p 18432" -l "$WORK/pg.log" start >/dev/null
  for _ in $(seq 1 50); do "$PGBIN/pg_isready" -h 127.0.0.1 -p 18432 >/dev/null 2>&1 && break; sleep 0.2; done
  "${RUNAS[@]}" "$PGBIN/createdb" -h 127.0.0.1 -p 18432 -U akinai akinai
  start=$(date +%s.%N)
  "$WORK/akinai" serve --demo --demo-products "$PRODUCTS" --addr 127.0.0.1:18092 --data "$WORK/pgdata" --log-level warn \
    --database-url "postgres://akinai@127.0.0.1:18432/akinai?sslmode=disable" 2>"$WORK/pg-akinai.log" & PIDS+=($!)
  wait_up http://127.0.0.1:18092
  echo "  started and loaded in $(echo "$(date +%s.%N) - $start" | bc | cut -c1-5) s"
  run_urls http://127.0.0.1:18092
else
  echo "== PostgreSQL: no initdb found, skipped"
fi

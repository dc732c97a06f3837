#!/usr/bin/env bash
# Whole purchases under load (issue 19, item 6; docs/PERFORMANCE.md): $CONNS
# buyers, each order a new visitor (product page → add to cart → checkout
# form → confirm → place → completion page), against akinai on SQLite (one
# instance) and on PostgreSQL (two instances sharing the database), each
# compared with a trivial write transaction loop (stock UPDATE + two
# INSERTs) on the same engine in the same run (scripts/load/purchase).
# Everything listens on 127.0.0.1 (ports PORT_BASE to PORT_BASE+3, default
# 18170) and stops when the script ends.
#   scripts/load/purchase.sh [seconds (default 10)] [buyers (default 32)]
#   ROUNDS=3 PROFILE=1 scripts/load/purchase.sh 10 32
# PROFILE=1 also saves a CPU profile of the SQLite instance during the run.
set -euo pipefail
cd "$(dirname "$0")/../.."
DUR="${1:-10}s"; CONNS="${2:-32}"; ROUNDS="${ROUNDS:-1}"; SLUG=canvas-apron
P="${PORT_BASE:-18170}"; SQ=127.0.0.1:$P; PGPORT=$((P+1)); PGA=127.0.0.1:$((P+2)); PGB=127.0.0.1:$((P+3))
. scripts/load/lib.sh
load_init
go build -o "$WORK/akinai" ./cmd/akinai
go build -o "$WORK/purchase" ./scripts/load/purchase
LIMITS="checkout.place.ip=100000000/30m,checkout.confirm.ip=100000000/30m,checkout.place.user=100000000/30m,checkout.confirm.user=100000000/30m"
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(go version | cut -d' ' -f3), load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "$CONNS buyers, $DUR per run, $ROUNDS round(s)"

"$WORK/akinai" serve --demo --addr $SQ --data "$WORK/sqlite" --log-level warn --rate-limits "$LIMITS" 2>"$WORK/sqlite.log" & PIDS+=($!)
wait_up http://$SQ
SQV="$("$WORK/purchase" -unlimited "$WORK/sqlite/akinai.db" -slug $SLUG)"

PG=""
if pg_start $PGPORT; then
  URL="postgres://akinai@127.0.0.1:$PGPORT/akinai?sslmode=disable"
  "$WORK/akinai" serve --demo --addr $PGA --data "$WORK/pga" --log-level warn --rate-limits "$LIMITS" --database-url "$URL" 2>"$WORK/pga.log" & PIDS+=($!)
  wait_up http://$PGA
  "$WORK/akinai" serve --addr $PGB --data "$WORK/pgb" --log-level warn --rate-limits "$LIMITS" --database-url "$URL" 2>"$WORK/pgb.log" & PIDS+=($!)
  wait_up http://$PGB
  PGV="$("$WORK/purchase" -unlimited "$URL" -slug $SLUG)"
  PG=1
else
  echo "== PostgreSQL: no initdb found, skipped"
fi

for round in $(seq 1 "$ROUNDS"); do
  echo "== round $round: SQLite"
  "$WORK/purchase" -ref "$WORK/ref.db" -c "$CONNS" -d "$DUR"
  if [ -n "${PROFILE:-}" ]; then
    curl -fs -o "$WORK/cpu.pprof" "http://$SQ/debug/pprof/profile?seconds=${DUR%s}" & prof=$!
  fi
  "$WORK/purchase" -url http://$SQ -slug $SLUG -variant "$SQV" -c "$CONNS" -d "$DUR"
  if [ -n "${PROFILE:-}" ]; then
    wait $prof && cp "$WORK/cpu.pprof" "/tmp/purchase-sqlite-cpu-$round.pprof" && echo "  CPU profile: /tmp/purchase-sqlite-cpu-$round.pprof"
  fi
  if [ -n "$PG" ]; then
    echo "== round $round: PostgreSQL, two instances"
    "$WORK/purchase" -ref "$URL" -c "$CONNS" -d "$DUR"
    "$WORK/purchase" -url http://$PGA,http://$PGB -slug $SLUG -variant "$PGV" -c "$CONNS" -d "$DUR"
  fi
done

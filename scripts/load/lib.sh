# Shared by the load scripts (run.sh, admin_list.sh, reports.sh): source
# it, call load_init, then use the rest (they read WORK, CONNS and DUR).

# load_init: checks for wrk, makes the work directory $WORK and stops
# every server in PIDS (and the PostgreSQL cluster in PGDATA, as RUNAS)
# when the script exits.
load_init() {
  command -v wrk >/dev/null || { echo "wrk is not installed (apt-get install wrk)" >&2; exit 1; }
  WORK="$(mktemp -d)"; PIDS=(); RUNAS=()
  trap load_cleanup EXIT
}

load_cleanup() {
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true
  if [ -n "${PGDATA:-}" ]; then "${RUNAS[@]}" "$PGBIN/pg_ctl" -D "$PGDATA" -m immediate stop >/dev/null 2>&1 || true; fi
  rm -rf "$WORK"
}

# wait_up URL: waits (up to 20 minutes: a 100,000-product demo loads
# slowly on a busy machine) until URL/readyz answers.
wait_up() { for _ in $(seq 1 6000); do curl -fs "$1/readyz" >/dev/null 2>&1 && return 0; sleep 0.2; done; echo "server did not start" >&2; return 1; }

# wrk_run NAME URL [wrk args…]: one line "NAME req/s p99", kept in $WORK/results.
wrk_run() {
  local name="$1" url="$2"; shift 2
  local out rps p99 non2xx
  out="$(wrk -t2 -c"$CONNS" -d"$DUR" --latency "$@" "$url" 2>&1)"
  rps="$(echo "$out" | awk '/Requests\/sec/ {printf "%.0f", $2}')"
  p99="$(echo "$out" | awk '$1=="99%" {v=$2; if (v ~ /us$/) {sub(/us/,"",v); v=v/1000} else if (v ~ /ms$/) {sub(/ms/,"",v)} else if (v ~ /s$/) {sub(/s/,"",v); v=v*1000}; printf "%.1f", v}')"
  non2xx="$(echo "$out" | awk '/Non-2xx/ {print $4}')"
  printf '  %-48s %8s req/s  p99 %8s ms%s\n' "$name" "$rps" "$p99" "${non2xx:+  non-2xx $non2xx}"
  echo "$name|$rps|$p99" >> "$WORK/results"
}

# medians: each URL's median req/s over the rounds, its ratio to the
# bare hello server's median, and its median p99.
medians() {
  awk -F'|' '{n[$1]++; r[$1, n[$1]] = $2; p[$1, n[$1]] = $3; if (!($1 in seen)) {seen[$1] = 1; order[++k] = $1}}
    function med(a, name, cnt,   i, j, t, v) { for (i = 1; i <= cnt; i++) v[i] = a[name, i] + 0
      for (i = 1; i <= cnt; i++) for (j = i + 1; j <= cnt; j++) if (v[j] < v[i]) { t = v[i]; v[i] = v[j]; v[j] = t }
      return v[int((cnt + 1) / 2)] }
    END { ref = med(r, "bare net/http hello (reference)", n["bare net/http hello (reference)"])
      for (i = 1; i <= k; i++) { name = order[i]; m = med(r, name, n[name])
        printf "  %-48s %8d req/s  %6.3fx  p99 %8.1f ms\n", name, m, m / ref, med(p, name, n[name]) } }' "$WORK/results"
}

# pg_start PORT: a throwaway PostgreSQL cluster in $WORK/pg on 127.0.0.1:PORT
# with a database "akinai" (user akinai, trust); sets PGBIN, PGDATA, RUNAS
# (so that load_cleanup stops it). Returns 1 when initdb is not installed.
pg_start() {
  local port="$1"
  PGBIN="$(dirname "$(ls /usr/lib/postgresql/*/bin/initdb 2>/dev/null | tail -1 || command -v initdb)")"
  [ -x "$PGBIN/initdb" ] || return 1
  PGDATA="$WORK/pg"; [ "$(id -u)" = 0 ] && RUNAS=(runuser -u postgres --)
  mkdir -p "$PGDATA"; [ "$(id -u)" = 0 ] && chown postgres "$WORK" "$PGDATA"
  "${RUNAS[@]}" "$PGBIN/initdb" -D "$PGDATA" -A trust -U akinai >/dev/null
  "${RUNAS[@]}" "$PGBIN/pg_ctl" -D "$PGDATA" -o "-k $WORK -c listen_addresses=127.0.0.1 -p $port" -l "$WORK/pg.log" start >/dev/null
  for _ in $(seq 1 300); do "$PGBIN/pg_isready" -h 127.0.0.1 -p "$port" >/dev/null 2>&1 && break; sleep 0.2; done
  "${RUNAS[@]}" "$PGBIN/createdb" -h 127.0.0.1 -p "$port" -U akinai akinai
}

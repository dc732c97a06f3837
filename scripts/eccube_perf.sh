#!/usr/bin/env bash
# Generate an EC-CUBE 4.2 shop in a throwaway MariaDB and import it into
# SQLite and PostgreSQL, printing time and peak heap per engine.
#   scripts/eccube_perf.sh [products,customers,orders]   (default: the full
#   benchmark, 10000,100000,300000; 1000,10000,30000 is a tenth)
set -euo pipefail
cd "$(dirname "$0")/.."
size="${1:-10000,100000,300000}"
ECCUBE_PERF="$size" ECCUBE_PROGRESS="${ECCUBE_PROGRESS:-}" \
  go test -run '^TestPerfImport$' -count=1 -timeout 6h -v ./internal/eccube/ 2>&1 | grep -E 'perf_test|^(ok|FAIL|---)'

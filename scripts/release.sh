#!/bin/sh
# Builds the release binary: stripped (-s -w), without local paths
# (-trimpath), stamped with the version, the git commit and the build date.
#
#   scripts/release.sh [VERSION] [OUTPUT]     (default: git describe, ./akinai)
#
# `akinai version` then prints them; `akinai verify` checks them, the
# templates against the manifest stamped here and the binary against
# OUTPUT.sha256 (publish it with the binary).
set -eu
cd "$(dirname "$0")/.."
version=${1:-$(git describe --tags --always --dirty 2>/dev/null || echo dev)}
out=${2:-akinai}
commit=$(git rev-parse HEAD 2>/dev/null || echo "")
# SOURCE_DATE_EPOCH (reproducible builds) wins over the clock.
if [ -n "${SOURCE_DATE_EPOCH:-}" ]; then
	date=$(date -u -d "@$SOURCE_DATE_EPOCH" +%Y-%m-%dT%H:%M:%SZ)
else
	date=$(date -u +%Y-%m-%dT%H:%M:%SZ)
fi
pkg=github.com/akinai/akinai/internal/buildinfo
# Stamp the asset manifest (checksums of every template and static file)
# into the binary for `akinai verify`; the development placeholder is put
# back afterwards.
manifest=internal/integrity/assets.sha256
cp "$manifest" "$manifest.dev"
trap 'mv "$manifest.dev" "$manifest"' EXIT
go run ./internal/integrity/gen >"$manifest"
CGO_ENABLED=0 go build -trimpath -buildvcs=true \
	-ldflags "-s -w -X $pkg.Version=$version -X $pkg.Commit=$commit -X $pkg.Date=$date" \
	-o "$out" ./cmd/akinai
# The checksum beside the binary: `akinai verify` compares them.
(cd "$(dirname "$out")" && sha256sum "$(basename "$out")") >"$out.sha256"
size=$(wc -c <"$out")
echo "$out: $(./"$out" version 2>/dev/null || "$out" version) — $size bytes"
limit=25000000 # 25 MB: the size budget (docs/OPERATIONS.md)
if [ "$size" -gt "$limit" ]; then
	echo "warning: $out is larger than the 25 MB budget" >&2
fi

// Command gen writes the asset manifest of the source tree to stdout:
//
//	go run ./internal/integrity/gen > internal/integrity/assets.sha256
//
// scripts/release.sh runs it before the release build.
package main

import (
	"fmt"
	"os"

	"github.com/akinai/akinai/internal/integrity"
)

func main() {
	b, err := integrity.ManifestFromTree(".")
	if err != nil {
		fmt.Fprintln(os.Stderr, "gen:", err)
		os.Exit(1)
	}
	os.Stdout.Write(b)
}

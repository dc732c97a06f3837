package main

import (
	"flag"
	"fmt"
	"io"

	"github.com/akinai/akinai/internal/buildinfo"
)

// runVersion prints the version, VCS revision and build date; with -m the
// linked modules and their checksums too.
func runVersion(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("version", flag.ContinueOnError)
	fs.SetOutput(stderr)
	modules := fs.Bool("m", false, "also list the linked modules with their checksums")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	info := buildinfo.Read()
	fmt.Fprintln(stdout, info.String())
	if *modules {
		for _, m := range info.Modules {
			fmt.Fprintf(stdout, "  %s %s %s\n", m.Path, m.Version, m.Sum)
		}
	}
	return 0
}

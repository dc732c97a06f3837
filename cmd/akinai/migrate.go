package main

import (
	"context"
	"flag"
	"fmt"
	"io"
)

func runMigrate(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	var cfg Config
	fs := flag.NewFlagSet("migrate", flag.ContinueOnError)
	fs.SetOutput(stderr)
	cfg.bindCommon(fs)
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if err := cfg.validate(); err != nil {
		fmt.Fprintln(stderr, "akinai:", err)
		return 2
	}
	log := cfg.newLogger(stderr)
	d, err := openDB(ctx, cfg, log)
	if err != nil {
		fmt.Fprintln(stderr, "akinai:", err)
		return 1
	}
	defer d.Close()
	v, err := d.Version(ctx)
	if err != nil {
		fmt.Fprintln(stderr, "akinai:", err)
		return 1
	}
	fmt.Fprintf(stdout, "database %s is at schema version %d\n", d.Where, v)
	return 0
}

package main

import (
	"context"
	"flag"
	"fmt"
	"io"

	"github.com/akinai/akinai/internal/db"
)

// commandDB parses the flags of a shell command that works on the shop's
// database (migrate, demo load, admin, audit) — the common ones plus those
// bind adds — then opens and migrates the database. A non-zero code means
// the command must exit with it (2: usage, 1: the database).
func commandDB(ctx context.Context, name string, args []string, stderr io.Writer, bind func(*flag.FlagSet)) (*Config, *flag.FlagSet, *db.DB, int) {
	cfg := &Config{}
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	cfg.bindCommon(fs)
	if bind != nil {
		bind(fs)
	}
	if err := fs.Parse(args); err != nil {
		return nil, nil, nil, 2
	}
	if err := cfg.validate(); err != nil {
		fmt.Fprintln(stderr, "akinai:", err)
		return nil, nil, nil, 2
	}
	d, err := openDB(ctx, *cfg, cfg.newLogger(stderr))
	if err != nil {
		fmt.Fprintln(stderr, "akinai:", err)
		return nil, nil, nil, 1
	}
	return cfg, fs, d, 0
}

package main

import (
	"context"
	"fmt"
	"io"
)

func runMigrate(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	_, _, d, code := commandDB(ctx, "migrate", args, stderr, nil)
	if code != 0 {
		return code
	}
	defer d.Close()
	applied, err := d.MigrationStatus(ctx)
	if err != nil {
		fmt.Fprintln(stderr, "akinai:", err)
		return 1
	}
	last := applied[len(applied)-1]
	fmt.Fprintf(stdout, "database %s has all %d migrations applied (latest %s)\n", d.Where, len(applied), last.Label())
	return 0
}

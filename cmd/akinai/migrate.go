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
	v, err := d.Version(ctx)
	if err != nil {
		fmt.Fprintln(stderr, "akinai:", err)
		return 1
	}
	fmt.Fprintf(stdout, "database %s is at schema version %d\n", d.Where, v)
	return 0
}

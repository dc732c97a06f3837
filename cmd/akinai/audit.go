package main

import (
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/akinai/akinai/internal/audit"
	"github.com/akinai/akinai/internal/i18n"
	"github.com/akinai/akinai/internal/shop"
)

func runAudit(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 || args[0] != "verify" {
		fmt.Fprintln(stderr, "usage: akinai audit verify")
		return 2
	}
	_, _, d, code := commandDB(ctx, "audit verify", args[1:], stderr, nil)
	if code != 0 {
		return code
	}
	defer d.Close()
	n, broken, err := audit.Verify(ctx, d)
	if err != nil {
		fmt.Fprintln(stderr, "akinai:", err)
		return 1
	}
	if broken != nil {
		fmt.Fprintf(stdout, "BROKEN: %v (after checking %d entries)\n", broken, n)
		return 1
	}
	fmt.Fprintf(stdout, "audit log intact: %d entries\n", n)
	return 0
}

// describe turns an error into a line for the operator (English).
func describe(err error) string {
	var e *shop.Error
	if errors.As(err, &e) && e.Kind != shop.Internal {
		msg := i18n.T(i18n.English, e.Key, e.Args...)
		for f, k := range e.Fields {
			msg += fmt.Sprintf("; %s: %s", f, i18n.T(i18n.English, k))
		}
		return msg
	}
	return err.Error()
}

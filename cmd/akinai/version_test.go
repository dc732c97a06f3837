package main

import (
	"bytes"
	"context"
	"os/exec"
	"strings"
	"testing"

	"github.com/akinai/akinai/internal/buildinfo"
)

func TestVersion(t *testing.T) {
	t.Parallel()
	var out bytes.Buffer
	if code := run(context.Background(), []string{"version"}, nil, &out, &out); code != 0 {
		t.Fatalf("version: exit %d", code)
	}
	if got := out.String(); !strings.HasPrefix(got, "akinai "+buildinfo.Version+" (revision ") || !strings.Contains(got, ", built ") {
		t.Fatalf("version printed %q", got)
	}
	out.Reset()
	run(context.Background(), []string{"version", "-m"}, nil, &out, &out)
	if !strings.Contains(out.String(), "github.com/jackc/pgx/v5 v") || !strings.Contains(out.String(), " h1:") {
		t.Fatalf("version -m lists no modules with checksums:\n%s", out.String())
	}
}

// Test-only modules stay out of the binary.
func TestNoTestOnlyModulesLinked(t *testing.T) {
	t.Parallel()
	out, err := exec.Command("go", "list", "-deps", ".").Output()
	if err != nil {
		t.Skipf("go list: %v", err)
	}
	for _, testOnly := range []string{"github.com/chromedp/", "github.com/emersion/go-smtp", "github.com/emersion/go-sasl"} {
		if strings.Contains(string(out), testOnly) {
			t.Errorf("the binary links %s, which only tests need", testOnly)
		}
	}
}

package main

import (
	"context"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/akinai/akinai/internal/db"
)

// The break-glass commands at the server's shell, and the audit chain
// check that reports the first broken link.
func TestAdminCLI_CreateResetVerify(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	ctx := context.Background()
	var out, errb strings.Builder
	code := run(ctx, []string{"admin", "create", "--data", dir, "--email", "Boss@Example.jp", "--name", "Sato", "--role", "owner"}, strings.NewReader("-\n"), &out, &errb)
	if code != 0 {
		t.Fatalf("admin create: exit %d: %s", code, errb.String())
	}
	pw := regexp.MustCompile(`password \(shown once\): (\S+)`).FindStringSubmatch(out.String())
	if pw == nil || len(pw[1]) < 12 {
		t.Fatalf("no generated password in %q", out.String())
	}
	out.Reset()
	if code := run(ctx, []string{"admin", "create", "--data", dir, "--email", "weak@example.jp", "--name", "W", "--role", "staff"}, strings.NewReader("password1234\n"), &out, &errb); code != 1 || !strings.Contains(errb.String(), "too common") {
		t.Fatalf("weak password: exit %d, %q", code, errb.String())
	}
	errb.Reset()
	if code := run(ctx, []string{"admin", "create", "--data", dir, "--email", "x@example.jp", "--name", "X", "--role", "root"}, strings.NewReader("\n"), &out, &errb); code != 2 {
		t.Fatalf("bad role: exit %d", code)
	}
	if code := run(ctx, []string{"admin", "reset-mfa", "--data", dir, "boss@example.jp"}, nil, &out, &errb); code != 0 {
		t.Fatalf("reset-mfa: exit %d: %s", code, errb.String())
	}
	if code := run(ctx, []string{"admin", "reset-mfa", "--data", dir, "nobody@example.jp"}, nil, &out, &errb); code != 1 {
		t.Fatalf("reset-mfa of an unknown admin: exit %d", code)
	}
	out.Reset()
	if code := run(ctx, []string{"audit", "verify", "--data", dir}, nil, &out, &errb); code != 0 || !strings.Contains(out.String(), "intact: 2 entries") {
		t.Fatalf("audit verify: exit %d, %q", code, out.String())
	}

	d, err := db.Open(ctx, db.Config{Path: filepath.Join(dir, "akinai.db")})
	if err != nil {
		t.Fatal(err)
	}
	var first int64
	d.QueryRow(ctx, `SELECT MIN(id) FROM audit_log`).Scan(&first)
	d.Exec(ctx, `UPDATE audit_log SET actor = 'someone-else' WHERE id = ?`, first)
	d.Close()
	out.Reset()
	if code := run(ctx, []string{"audit", "verify", "--data", dir}, nil, &out, &errb); code != 1 || !strings.Contains(out.String(), "BROKEN: audit entry 1:") {
		t.Fatalf("tampered audit verify: exit %d, %q", code, out.String())
	}
}

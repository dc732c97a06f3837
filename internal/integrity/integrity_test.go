package integrity_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/akinai/akinai/internal/db"
	"github.com/akinai/akinai/internal/db/dbtest"
	"github.com/akinai/akinai/internal/integrity"
)

func TestMain(m *testing.M) { dbtest.Main(m) }

func sum(b []byte) string {
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:])
}

func check(t *testing.T, rep integrity.Report, name string) integrity.Check {
	t.Helper()
	for _, c := range rep.Checks {
		if c.Name == name {
			return c
		}
	}
	t.Fatalf("no %s check in %+v", name, rep)
	return integrity.Check{}
}

// The manifest made from the source tree vouches for the files as they
// are; a changed template is named.
func TestAssetsAgainstTheManifest(t *testing.T) {
	t.Parallel()
	root := filepath.Join("..", "..")
	manifest, err := integrity.ManifestFromTree(root)
	if err != nil {
		t.Fatal(err)
	}
	read := func(p string) []byte {
		b, err := os.ReadFile(filepath.Join(root, p))
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	sources := []integrity.Source{
		{Path: "templates/admin_dashboard.html", SHA256: sum(read("internal/admin/templates/admin_dashboard.html"))},
		{Path: "templates/layout.html", SHA256: sum(read("internal/web/templates/layout.html"))},
		{Path: "static/app.css", SHA256: sum(read("internal/web/static/app.css"))},
	}
	ctx := context.Background()
	if c := check(t, integrity.Run(ctx, integrity.Inputs{Sources: sources, Manifest: manifest}), "assets"); c.State != integrity.OK {
		t.Fatalf("intact files: %+v", c)
	}
	tampered := append([]integrity.Source(nil), sources...)
	tampered[0].SHA256 = sum(append(read("internal/admin/templates/admin_dashboard.html"), "<script src=//evil.example></script>"...))
	c := check(t, integrity.Run(ctx, integrity.Inputs{Sources: tampered, Manifest: manifest}), "assets")
	if c.State != integrity.Bad || len(c.Details) != 1 || !strings.Contains(c.Details[0], "templates/admin_dashboard.html") {
		t.Fatalf("a tampered template: %+v", c)
	}
	if c := check(t, integrity.Run(ctx, integrity.Inputs{Sources: sources, Manifest: []byte("# none\n")}), "assets"); c.State != integrity.Warn {
		t.Fatalf("without a manifest: %+v", c)
	}
}

func TestBinaryAgainstItsChecksum(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	bin := filepath.Join(dir, "akinai")
	os.WriteFile(bin, []byte("a binary"), 0o755)
	ctx := context.Background()
	if c := check(t, integrity.Run(ctx, integrity.Inputs{Executable: bin}), "binary"); c.State != integrity.Warn {
		t.Fatalf("no checksum file: %+v", c)
	}
	os.WriteFile(bin+".sha256", []byte(sum([]byte("a binary"))+"  akinai\n"), 0o644)
	if c := check(t, integrity.Run(ctx, integrity.Inputs{Executable: bin}), "binary"); c.State != integrity.OK {
		t.Fatalf("matching checksum: %+v", c)
	}
	os.WriteFile(bin, []byte("a replaced binary"), 0o755)
	if c := check(t, integrity.Run(ctx, integrity.Inputs{Executable: bin}), "binary"); c.State != integrity.Bad || !strings.Contains(c.Summary, bin) {
		t.Fatalf("replaced binary: %+v", c)
	}
}

func TestDataDirPermissions(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	os.Chmod(dir, 0o750)
	os.WriteFile(filepath.Join(dir, "secret.key"), []byte("k"), 0o600)
	ctx := context.Background()
	if c := check(t, integrity.Run(ctx, integrity.Inputs{DataDir: dir}), "data"); c.State != integrity.OK {
		t.Fatalf("private directory: %+v", c)
	}
	os.Chmod(filepath.Join(dir, "secret.key"), 0o644)
	os.Chmod(dir, 0o755)
	c := check(t, integrity.Run(ctx, integrity.Inputs{DataDir: dir}), "data")
	if c.State != integrity.Bad || len(c.Details) != 2 || !strings.Contains(strings.Join(c.Details, "\n"), "chmod 600") {
		t.Fatalf("open directory and key: %+v", c)
	}
}

func TestMigrationsAndAudit(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		rep := integrity.Run(ctx, integrity.Inputs{DB: d})
		if c := check(t, rep, "migrations"); c.State != integrity.OK {
			t.Fatalf("fresh database: %+v", c)
		}
		if c := check(t, rep, "audit"); c.State != integrity.OK {
			t.Fatalf("fresh audit log: %+v", c)
		}
		if _, err := d.Exec(ctx, "UPDATE schema_migrations SET checksum = 'feed' WHERE version = 12"); err != nil {
			t.Fatal(err)
		}
		c := check(t, integrity.Run(ctx, integrity.Inputs{DB: d}), "migrations")
		if c.State != integrity.Bad || !strings.Contains(strings.Join(c.Details, " "), "0012_audit") {
			t.Fatalf("changed migration: %+v", c)
		}
	})
}

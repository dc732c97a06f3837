package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/akinai/akinai/internal/integrity"
)

// `akinai verify` passes on an intact installation checked against the
// manifest of the source tree, and fails naming a changed template.
func TestVerifyNamesAChangedTemplate(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	manifest, err := integrity.ManifestFromTree(filepath.Join("..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	good := filepath.Join(dir, "good.sha256")
	os.WriteFile(good, manifest, 0o600)
	// The release manifest vouches for another dashboard template than
	// the one this binary carries: as if the template had been changed.
	lines := strings.Split(string(manifest), "\n")
	for i, l := range lines {
		if strings.HasSuffix(l, "internal/admin/templates/admin_dashboard.html") {
			lines[i] = strings.Repeat("0", 64) + "  internal/admin/templates/admin_dashboard.html"
		}
	}
	bad := filepath.Join(dir, "bad.sha256")
	os.WriteFile(bad, []byte(strings.Join(lines, "\n")), 0o600)

	data := t.TempDir()
	os.Chmod(data, 0o750)
	var out, errOut bytes.Buffer
	if code := run(context.Background(), []string{"verify", "--data", data, "--manifest", good}, nil, &out, &errOut); code != 0 {
		t.Fatalf("verify an intact shop: exit %d\n%s%s", code, out.String(), errOut.String())
	}
	for _, want := range []string{"OK    migrations", "OK    assets", "OK    audit", "OK    data", "never asks anyone to sign in from a mail"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("verify output lacks %q:\n%s", want, out.String())
		}
	}
	out.Reset()
	if code := run(context.Background(), []string{"verify", "--data", data, "--manifest", bad}, nil, &out, &errOut); code != 1 || !strings.Contains(out.String(), "templates/admin_dashboard.html (changed)") {
		t.Fatalf("verify with a changed template: exit %d\n%s", code, out.String())
	}
}

// The owner's dashboard shows the integrity and backup cards, with the
// warning about mails and the link to the phishing checker.
func TestDashboardOpsCards(t *testing.T) {
	t.Parallel()
	base, logs := startLoggedShop(t, Config{DataDir: t.TempDir()}, nil)
	setup := setupPath(t, logs)
	owner, _ := setupOwner(t, base, setup)
	admin := adminPathOf(setup)
	owner.get(admin+"/").want(t, "dashboard", 200, `id="integrity-status"`, `id="backup-status"`,
		"Akinai がメールでログインを求めることはありません", `href="`+admin+`/phish"`, "定期バックアップは設定されていません")
	owner.get(admin+"/?lang=en").want(t, "dashboard in English", 200, "Akinai never asks anyone to sign in from a mail", "No scheduled backups")
}

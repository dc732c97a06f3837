package backup_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/akinai/akinai/internal/backup"
	"github.com/akinai/akinai/internal/db"
	"github.com/akinai/akinai/internal/db/dbtest"
)

func TestMain(m *testing.M) { dbtest.Main(m) }

var (
	secret = bytes.Repeat([]byte{7}, 32)
	pass   = []byte("correct horse battery staple")
)

// shop is a migrated database with a few settings rows and an image on
// disk; it returns the database and its data directory.
func shop(t *testing.T, engine dbtest.Engine) (*db.DB, string) {
	t.Helper()
	d := dbtest.MustOpen(t, engine)
	seed(t, d)
	data := t.TempDir()
	if err := os.MkdirAll(filepath.Join(data, "images", "ab"), 0o750); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(data, "images", "ab", "cd.jpg"), []byte("not really a jpeg"), 0o600); err != nil {
		t.Fatal(err)
	}
	return d, data
}

func seed(t *testing.T, d *db.DB) {
	t.Helper()
	ctx := context.Background()
	for _, k := range []string{"a", "b", "c"} {
		if _, err := d.Exec(ctx, "INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?)", "backup.test."+k, "値-"+k, d.Now()); err != nil {
			t.Fatal(err)
		}
	}
}

func take(t *testing.T, d *db.DB, data, dbURL string, opts backup.Options) string {
	t.Helper()
	to := t.TempDir()
	opts.DataDir, opts.DatabaseURL, opts.Version = data, dbURL, "test"
	res, err := backup.Create(context.Background(), d, backup.Dir(to), opts)
	if err != nil {
		t.Fatalf("backup: %v", err)
	}
	return filepath.Join(to, res.Name)
}

func TestBackupAndRestore(t *testing.T) {
	t.Parallel()
	for _, engine := range []dbtest.Engine{dbtest.SQLite, dbtest.Postgres} {
		t.Run(string(engine), func(t *testing.T) {
			t.Parallel()
			var srcURL, dstURL string
			if engine == dbtest.Postgres {
				if _, err := exec.LookPath("pg_dump"); err != nil {
					t.Skip("pg_dump is not installed")
				}
				srcURL, dstURL = dbtest.NewPostgresDatabase(t), dbtest.NewPostgresDatabase(t)
			}
			var d *db.DB
			var data string
			if engine == dbtest.Postgres {
				var err error
				d, err = db.Open(context.Background(), db.Config{URL: srcURL})
				if err != nil {
					t.Fatal(err)
				}
				defer d.Close()
				if err := d.Migrate(context.Background(), nil); err != nil {
					t.Fatal(err)
				}
				seed(t, d)
				data = t.TempDir()
			} else {
				d, data = shop(t, engine)
			}
			file := take(t, d, data, srcURL, backup.Options{Secret: secret, Passphrase: pass})

			into := filepath.Join(t.TempDir(), "restored")
			rep, err := backup.Restore(context.Background(), file, backup.RestoreOptions{DataDir: into, Passphrase: pass, DatabaseURL: dstURL})
			if err != nil {
				t.Fatalf("restore: %v", err)
			}
			if len(rep.Manifest.Schema) == 0 || rep.Manifest.Counts["settings"] == 0 {
				t.Fatalf("manifest without schema or counts: %+v", rep.Manifest)
			}
			key, err := os.ReadFile(filepath.Join(into, "secret.key"))
			if err != nil || strings.TrimSpace(string(key)) != strings.Repeat("07", 32) {
				t.Fatalf("restored secret key %q, %v", key, err)
			}
			if engine == dbtest.SQLite {
				if b, err := os.ReadFile(filepath.Join(into, "images", "ab", "cd.jpg")); err != nil || string(b) != "not really a jpeg" {
					t.Fatalf("restored image %q, %v", b, err)
				}
			}
			// The restored database is the original one.
			r, err := db.Open(context.Background(), db.Config{Path: filepath.Join(into, "akinai.db"), URL: dstURL})
			if err != nil {
				t.Fatal(err)
			}
			defer r.Close()
			want, _ := db.Counts(context.Background(), d, d.Dialect)
			got, _ := db.Counts(context.Background(), r, r.Dialect)
			for table, n := range want {
				if table != "akinai_lockcheck" && got[table] != n {
					t.Errorf("table %s: %d rows restored, %d in the shop", table, got[table], n)
				}
			}
			if _, err := r.MigrationStatus(context.Background()); err != nil {
				t.Errorf("restored migrations: %v", err)
			}
		})
	}
}

func TestBackupSecretChoices(t *testing.T) {
	t.Parallel()
	d, data := shop(t, dbtest.SQLite)
	sealed := take(t, d, data, "", backup.Options{Secret: secret, Passphrase: pass})
	into := filepath.Join(t.TempDir(), "x")
	if _, err := backup.Restore(context.Background(), sealed, backup.RestoreOptions{DataDir: into, Passphrase: []byte("wrong passphrase here")}); !errors.Is(err, backup.ErrPassphrase) {
		t.Fatalf("wrong passphrase: %v", err)
	}
	if _, err := os.Stat(into); !os.IsNotExist(err) {
		t.Fatalf("a failed restore left %s behind", into)
	}
	if _, err := backup.Restore(context.Background(), sealed, backup.RestoreOptions{DataDir: into}); err == nil || !strings.Contains(err.Error(), "passphrase") {
		t.Fatalf("no passphrase: %v", err)
	}
	to := t.TempDir()
	res, err := backup.Create(context.Background(), d, backup.Dir(to), backup.Options{Secret: secret})
	if err != nil || res.Manifest.Secret != "omitted" || len(res.Warnings) == 0 {
		t.Fatalf("backup without a passphrase: %v %+v", err, res)
	}
	omitted := filepath.Join(to, res.Name)
	if _, err := backup.Restore(context.Background(), omitted, backup.RestoreOptions{DataDir: into}); err == nil || !strings.Contains(err.Error(), "--without-secret") {
		t.Fatalf("restore of a backup without the key, not acknowledged: %v", err)
	}
	rep, err := backup.Restore(context.Background(), omitted, backup.RestoreOptions{DataDir: into, WithoutSecret: true})
	if err != nil || len(rep.Warnings) == 0 {
		t.Fatalf("restore --without-secret: %v %+v", err, rep)
	}
	if _, err := os.Stat(filepath.Join(into, "secret.key")); !os.IsNotExist(err) {
		t.Fatal("a secret key appeared from a backup that had none")
	}
}

func TestRestoreRefusesBadInput(t *testing.T) {
	t.Parallel()
	d, data := shop(t, dbtest.SQLite)
	file := take(t, d, data, "", backup.Options{Secret: secret, Passphrase: pass})
	whole, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	write := func(name string, b []byte) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, b, 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	zw.Write([]byte("just some text, gzipped"))
	zw.Close()
	// A flipped byte in the middle of the compressed data.
	damaged := append([]byte(nil), whole...)
	damaged[len(damaged)/2] ^= 0xff
	for _, c := range []struct{ name, file, want string }{
		{"truncated", write("half.tar.gz", whole[:len(whole)/2]), "truncated"},
		{"truncated near the end", write("most.tar.gz", whole[:len(whole)-40]), "truncated"},
		{"damaged", write("damaged.tar.gz", damaged), "damaged"},
		{"not gzip", write("photo.jpg", []byte("\xff\xd8\xff\xe0 a jpeg, say")), "not an Akinai backup"},
		{"gzip of something else", write("other.gz", gz.Bytes()), "not an Akinai backup"},
		{"missing", filepath.Join(dir, "nope.tar.gz"), "no such file"},
	} {
		into := filepath.Join(t.TempDir(), "new")
		_, err := backup.Restore(context.Background(), c.file, backup.RestoreOptions{DataDir: into, Passphrase: pass})
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: %v, want an error saying %q", c.name, err, c.want)
		}
		if _, err := os.Stat(into); !os.IsNotExist(err) {
			t.Errorf("%s: the failed restore left %s behind", c.name, into)
		}
		if left, _ := filepath.Glob(filepath.Join(filepath.Dir(into), ".new.restoring-*")); len(left) > 0 {
			t.Errorf("%s: staging left behind: %v", c.name, left)
		}
	}
	// Over an existing data directory: refused, untouched.
	existing := t.TempDir()
	keep := filepath.Join(existing, "akinai.db")
	if err := os.WriteFile(keep, []byte("the live shop"), 0o600); err != nil {
		t.Fatal(err)
	}
	_, err = backup.Restore(context.Background(), file, backup.RestoreOptions{DataDir: existing, Passphrase: pass})
	if err == nil || !strings.Contains(err.Error(), "not empty") {
		t.Fatalf("restore over an existing directory: %v", err)
	}
	if b, _ := os.ReadFile(keep); string(b) != "the live shop" {
		t.Fatal("the existing directory was changed")
	}
	// An empty directory is fine.
	empty := t.TempDir()
	if _, err := backup.Restore(context.Background(), file, backup.RestoreOptions{DataDir: empty, Passphrase: pass}); err != nil {
		t.Fatalf("restore into an empty directory: %v", err)
	}
}

func TestBackupToABadTarget(t *testing.T) {
	t.Parallel()
	d, data := shop(t, dbtest.SQLite)
	// A path below a file cannot be a directory.
	file := filepath.Join(t.TempDir(), "a-file")
	os.WriteFile(file, nil, 0o600)
	_, err := backup.Create(context.Background(), d, backup.Dir(filepath.Join(file, "backups")), backup.Options{DataDir: data})
	if err == nil || !strings.Contains(err.Error(), "backup directory") {
		t.Fatalf("unwritable target: %v", err)
	}
	// A full disk: a 256 KiB tmpfs cannot hold the backup of a shop with
	// a megabyte of incompressible data.
	noise := make([]byte, 1<<20)
	rand.Read(noise)
	if _, err := d.Exec(context.Background(), "INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?)", "backup.test.noise", base64.StdEncoding.EncodeToString(noise), d.Now()); err != nil {
		t.Fatal(err)
	}
	mnt := t.TempDir()
	if out, err := exec.Command("mount", "-t", "tmpfs", "-o", "size=256k", "tmpfs", mnt).CombinedOutput(); err != nil {
		t.Skipf("cannot mount a small tmpfs to fill (%v: %s)", err, out)
	}
	t.Cleanup(func() { exec.Command("umount", mnt).Run() })
	before, _ := os.ReadDir(mnt)
	_, err = backup.Create(context.Background(), d, backup.Dir(mnt), backup.Options{DataDir: data, Staging: t.TempDir()})
	if err == nil || !strings.Contains(err.Error(), "no space left") || !strings.Contains(err.Error(), "nothing was kept") {
		t.Fatalf("backup to a full disk: %v", err)
	}
	after, _ := os.ReadDir(mnt)
	if len(after) != len(before) {
		t.Fatalf("a failed backup left files on the full disk: %v", after)
	}
}
